package io.github.reluspectra.listeners;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reluspectra.measures.Auroc;
import io.github.reluspectra.measures.SampleMeasures;
import io.github.reluspectra.network.AnalysisOptions;
import io.github.reluspectra.network.LayerOperator;
import io.github.reluspectra.network.Networks;
import io.github.reluspectra.network.TinyNetworks;
import io.github.reluspectra.results.EpochSeparation;
import io.github.reluspectra.results.EpochSpectra;
import io.github.reluspectra.results.LayerAnalysis;
import io.github.reluspectra.results.SeparationScore;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Both listeners on a CNN of each network type: convolutions analysed and scored, pooling left out. */
class ConvolutionListenersTest {

    private static void fit(Model model, int epochs) {
        if (model instanceof MultiLayerNetwork net) {
            net.fit(TinyNetworks.imageTrain(), epochs);
        } else {
            ((ComputationGraph) model).fit(TinyNetworks.imageTrain(), epochs);
        }
    }

    @Test
    void bothListenersWatchTheConvolutions() {
        for (Model model : List.<Model>of(TinyNetworks.cnn(), TinyNetworks.cnnGraph())) {
            ReluSpectraListener spectra = ReluSpectraListener.builder().topK(4).build();
            SeparationListener separation = SeparationListener.builder(TinyNetworks.imageHeldOut())
                    .alignmentK(3)
                    .fitData(TinyNetworks.imageTrain(), 64)
                    .build();
            model.setListeners(spectra, separation);
            fit(model, 2);

            assertThat(spectra.history()).hasSize(2);
            for (EpochSpectra epoch : spectra.history()) {
                assertThat(epoch.failures()).isEmpty();
                assertThat(epoch.layers())
                        .extracting(LayerAnalysis::name)
                        .containsExactly("conv", "conv2", "dense", "out");
                LayerAnalysis conv = epoch.layers().get(0);
                assertThat(conv.type()).isEqualTo("ConvolutionLayer");
                assertThat(conv.convolution().geometry().inputShape()).containsExactly(1, 6, 6);
                assertThat(conv.convolution().classical().converged()).isTrue();
                assertThat(conv.sequential().values()).hasSize(4);
            }
            // the second epoch starts its classical values from the first's vectors
            assertThat(spectra.history()
                            .get(1)
                            .layers()
                            .get(0)
                            .convolution()
                            .classical()
                            .iterations())
                    .isLessThanOrEqualTo(spectra.history()
                            .get(0)
                            .layers()
                            .get(0)
                            .convolution()
                            .classical()
                            .iterations());

            assertThat(separation.history()).hasSize(2);
            EpochSeparation last = separation.history().get(1);
            assertThat(last.failures()).isEmpty();
            assertThat(last.scores()).extracting(SeparationScore::layer).contains("conv", "conv2", "dense");
            assertThat(last.scores().stream()
                            .filter(s -> s.layer().equals("conv"))
                            .map(SeparationScore::measure))
                    .containsExactly("gain", "activeFraction", "localWidth", "alignment");
            assertThat(last.scores().stream()
                            .filter(s -> s.layer().equals("dense"))
                            .map(SeparationScore::measure))
                    .contains("residual");
            assertGainRecomputed(model, last);
            model.setListeners(List.of());
        }
    }

    /** With alignmentFrom, the alignment is measured against the spectra listener's vectors of the same epoch. */
    @Test
    void alignmentReusesTheSpectraListenersVectors() {
        alignmentReusesVectorsAnalysedIn(DataType.DOUBLE);
    }

    /** The same when the spectra listener analyses in float and the measures run in double. */
    @Test
    void alignmentReusesVectorsOfAFloatAnalysis() {
        alignmentReusesVectorsAnalysedIn(DataType.FLOAT);
    }

    private static void alignmentReusesVectorsAnalysedIn(DataType precision) {
        MultiLayerNetwork net = TinyNetworks.cnn();
        ReluSpectraListener spectra = ReluSpectraListener.builder()
                .options(AnalysisOptions.builder().dataType(precision).build())
                .topK(4)
                .build();
        SeparationListener separation = SeparationListener.builder(TinyNetworks.imageHeldOut())
                .alignmentK(3)
                .alignmentFrom(spectra)
                .build();
        net.setListeners(spectra, separation);
        net.fit(TinyNetworks.imageTrain(), 2);
        DataSet held = TinyNetworks.images(2, 120);
        List<LayerOperator> layers = Networks.layers(net, DataType.DOUBLE);
        Map<String, INDArray> inputs = Networks.layerInputs(net, layers, held.getFeatures());
        boolean[] wrong = misclassified(net, held);
        for (LayerAnalysis a : spectra.history().get(1).layers()) {
            if (a.sequential() == null) {
                continue;
            }
            INDArray vectors = a.sequential()
                    .vectors()
                    .get(
                            org.nd4j.linalg.indexing.NDArrayIndex.all(),
                            org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 3));
            double[] alignment = SampleMeasures.alignment(
                    vectors.castTo(DataType.DOUBLE), inputs.get(a.name()).castTo(DataType.DOUBLE));
            assertThat(separation.history().get(1).scores())
                    .contains(SeparationScore.of(a.name(), "alignment", Auroc.of(alignment, wrong)));
        }
        assertThat(separation.history().get(1).failures()).isEmpty();
        assertThat(separation.history().get(1).provenance().options()).containsKey("alignmentFrom");
    }

    /**
     * With fitFrom and no fitData, the residual of each dense ReLU layer is measured with the spectra listener's
     * fit of the same epoch (the smallest rank of its ladder within the residual fraction).
     */
    @Test
    void theResidualReusesTheSpectraListenersFit() {
        MultiLayerNetwork net = TinyNetworks.multiLayer();
        ReluSpectraListener spectra = ReluSpectraListener.builder()
                .topK(2)
                .data(TinyNetworks.train(), 64)
                .build();
        SeparationListener separation = SeparationListener.builder(TinyNetworks.heldOut())
                .fitFrom(spectra)
                .build();
        net.setListeners(spectra, separation);
        net.fit(TinyNetworks.train(), 2);
        DataSet held = TinyNetworks.data(2, 120);
        List<LayerOperator> layers = Networks.layers(net, DataType.DOUBLE);
        Map<String, INDArray> inputs = Networks.layerInputs(net, layers, held.getFeatures());
        boolean[] wrong = misclassified(net, held);
        int residuals = 0;
        for (LayerAnalysis a : spectra.history().get(1).layers()) {
            if (a.overData() == null) {
                continue;
            }
            LayerOperator layer = layers.stream()
                    .filter(l -> l.name().equals(a.name()))
                    .findFirst()
                    .orElseThrow();
            var fit = a.overData().fit(a.overData().smallestRankWithin(0.5));
            double[] residual = SampleMeasures.residual(
                    layer.weights(), layer.bias(), fit, inputs.get(a.name()).castTo(DataType.DOUBLE));
            assertThat(separation.history().get(1).scores())
                    .contains(SeparationScore.of(a.name(), "residual", Auroc.of(residual, wrong)));
            residuals++;
        }
        assertThat(residuals).isPositive();
        assertThat(separation.history().get(1).provenance().options()).containsKey("fitFrom");
    }

    /** A network on 4D input records no image shape: with inputType the listeners analyse its convolution. */
    @Test
    void theInputTypeOfANetworkOn4dInput() {
        InputType image = InputType.convolutional(4, 5, 2);
        for (boolean given : new boolean[] {false, true}) {
            MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                    .seed(1)
                    .list()
                    .layer(new ConvolutionLayer.Builder(2, 2)
                            .name("conv")
                            .nOut(3)
                            .activation(Activation.RELU)
                            .build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                            .name("out")
                            .nOut(2)
                            .activation(Activation.SOFTMAX)
                            .build())
                    .setInputType(image)
                    .build());
            net.init();
            Nd4j.getRandom().setSeed(3);
            INDArray labels = Nd4j.zeros(DataType.FLOAT, 24, 2);
            for (int i = 0; i < 24; i++) {
                labels.putScalar(i, i % 2, 1);
            }
            DataSet data = new DataSet(Nd4j.rand(DataType.FLOAT, 24, 2, 4, 5), labels);
            ReluSpectraListener.Builder spectra = ReluSpectraListener.builder().topK(2);
            SeparationListener.Builder separation = SeparationListener.builder(
                            new ListDataSetIterator<>(data.asList(), 12))
                    .alignmentK(2);
            if (given) {
                spectra.inputType(image);
                separation.inputType(image);
            }
            ReluSpectraListener s = spectra.build();
            SeparationListener m = separation.build();
            net.setListeners(s, m);
            net.fit(new ListDataSetIterator<>(data.asList(), 12), 1);
            assertThat(s.history().get(0).layers())
                    .extracting(LayerAnalysis::name)
                    .containsExactlyElementsOf(given ? List.of("conv", "out") : List.of("out"));
            assertThat(m.history().get(0).failures()).isEmpty();
            assertThat(m.history().get(0).scores())
                    .extracting(SeparationScore::layer)
                    .containsExactlyElementsOf(given ? List.of("conv", "conv", "conv", "conv") : List.of());
        }
    }

    /** The gain AUROC of the first convolution recomputed by hand from the layer's own activations. */
    private static void assertGainRecomputed(Model model, EpochSeparation last) {
        DataSet held = TinyNetworks.images(2, 120); // the held-out batches, as one
        INDArray features = held.getFeatures();
        List<LayerOperator> layers = Networks.layers(model, DataType.DOUBLE);
        Map<String, INDArray> inputs = Networks.layerInputs(model, layers, features);
        INDArray probabilities = model instanceof MultiLayerNetwork net
                ? net.output(features, false)
                : ((ComputationGraph) model).outputSingle(false, features);
        int[] predicted = probabilities.argMax(1).toIntVector();
        int[] actual = held.getLabels().argMax(1).toIntVector();
        boolean[] wrong = new boolean[predicted.length];
        for (int i = 0; i < wrong.length; i++) {
            wrong[i] = predicted[i] != actual[i];
        }
        LayerOperator conv = layers.get(0);
        double[] gain = SampleMeasures.gain(
                conv.linear(), conv.bias(), inputs.get("conv").castTo(DataType.DOUBLE));
        SeparationScore expected = SeparationScore.of("conv", "gain", Auroc.of(gain, wrong));
        assertThat(last.scores()).contains(expected);
    }

    /** Per held-out sample, whether the network gets it wrong. */
    private static boolean[] misclassified(MultiLayerNetwork net, DataSet held) {
        int[] predicted = net.output(held.getFeatures(), false).argMax(1).toIntVector();
        int[] actual = held.getLabels().argMax(1).toIntVector();
        boolean[] wrong = new boolean[predicted.length];
        for (int i = 0; i < wrong.length; i++) {
            wrong[i] = predicted[i] != actual[i];
        }
        return wrong;
    }
}
