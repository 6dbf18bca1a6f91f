package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.reluspectra.listeners.ReluSpectraListener;
import io.github.reluspectra.listeners.SeparationListener;
import io.github.reluspectra.pruning.HarmonicPruningTransform;
import io.github.reluspectra.pruning.PruningResult;
import io.github.reluspectra.results.EpochSeparation;
import io.github.reluspectra.results.EpochSpectra;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** A two-layer network trained one epoch with both listeners and a sink of its own, then pruned. */
class ConsumerTest {

    @Test
    void trainWatchAndPrune() {
        Nd4j.getRandom().setSeed(1);
        var features = Nd4j.rand(200, 8);
        var labels = Nd4j.zeros(200, 3);
        for (int i = 0; i < 200; i++) {
            labels.putScalar(i, (int) (features.getDouble(i, 0) * 3 - 1e-9), 1);
        }
        List<DataSet> examples = new DataSet(features, labels).asList();
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(7)
                .updater(new Adam(1e-2)).list()
                .layer(new DenseLayer.Builder().name("hidden").nIn(8).nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nIn(16).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();

        List<EpochSpectra> mine = new CopyOnWriteArrayList<>();
        List<EpochSeparation> separations = new CopyOnWriteArrayList<>();
        ReluSpectraListener spectra = ReluSpectraListener.builder().topK(4).sink(mine::add).build();
        SeparationListener separation = SeparationListener.builder(new ListDataSetIterator<>(examples, 50))
                .alignmentK(2).sink(separations::add).build();
        net.setListeners(spectra, separation);
        net.fit(new ListDataSetIterator<>(examples, 20), 1);

        assertEquals(1, mine.size());
        assertEquals(spectra.history(), mine);
        EpochSpectra epoch = mine.get(0);
        assertTrue(epoch.failures().isEmpty(), epoch.failures().toString());
        assertEquals(4, epoch.layers().get(0).sequential().values().length);
        assertEquals("dl4j-relu-spectra", epoch.provenance().library());
        assertEquals(1, separations.size());
        assertEquals(4, separations.get(0).scores().size());

        PruningResult pruned = HarmonicPruningTransform.builder().rank(2).build().transform(net);
        assertEquals(3, pruned.network().getnLayers());
        System.out.println("consumer: " + epoch.layers().get(0).summary());
    }
}
