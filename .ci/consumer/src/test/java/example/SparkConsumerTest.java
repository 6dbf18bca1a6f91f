package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.reluspectra.listeners.ReluSpectraListener;
import io.github.reluspectra.results.EpochSpectra;
import io.github.reluspectra.spark.SparkSpectra;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The Spark artifact as a user of DL4J's Spark training gets it: one epoch in local[2] with the spectra listener. */
class SparkConsumerTest {

    @Test
    void trainOnSparkAndWatchOnTheDriver() {
        Nd4j.getRandom().setSeed(1);
        var features = Nd4j.rand(200, 8);
        var labels = Nd4j.zeros(200, 3);
        for (int i = 0; i < 200; i++) {
            labels.putScalar(i, (int) (features.getDouble(i, 0) * 3 - 1e-9), 1);
        }
        List<DataSet> batches = new DataSet(features, labels).batchBy(20);
        var conf = new NeuralNetConfiguration.Builder().seed(7).updater(new Adam(1e-2)).list()
                .layer(new DenseLayer.Builder().name("hidden").nIn(8).nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nIn(16).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build();
        SparkConf spark = new SparkConf().setMaster("local[2]").setAppName("consumer").set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.local.dir", "target/spark-local");
        try (JavaSparkContext sc = new JavaSparkContext(spark)) {
            var master = new ParameterAveragingTrainingMaster.Builder(20).batchSizePerWorker(20)
                    .rddTrainingApproach(RDDTrainingApproach.Direct).build();
            ReluSpectraListener spectra = ReluSpectraListener.builder().topK(4).build();
            SparkSpectra.fit(new SparkDl4jMultiLayer(sc, conf, master), sc.parallelize(batches, 2), 1, spectra);

            assertEquals(1, spectra.history().size());
            EpochSpectra epoch = spectra.history().get(0);
            assertTrue(epoch.failures().isEmpty(), epoch.failures().toString());
            assertEquals(0, epoch.epoch());
            System.out.println("consumer (Spark): " + epoch.layers().get(0).summary());
        }
    }
}
