package io.github.reluspectra.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Spark in this JVM ({@code local[2]}, loopback only, no web UI, scratch space under target/) and seeded data. */
final class LocalSpark {

    static final int FEATURES = 12;
    static final int BATCH = 32;

    private LocalSpark() {}

    static JavaSparkContext start() {
        SparkConf conf = new SparkConf()
                .setMaster("local[2]")
                .setAppName("relu-spectra-spark-tests")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.local.dir", "target/spark-local");
        return new JavaSparkContext(conf);
    }

    /** Parameter averaging, each worker's minibatches straight from the RDD (nothing exported to disk). */
    static ParameterAveragingTrainingMaster trainingMaster() {
        return new ParameterAveragingTrainingMaster.Builder(BATCH)
                .batchSizePerWorker(BATCH)
                .averagingFrequency(2)
                .workerPrefetchNumBatches(0)
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .rngSeed(7)
                .build();
    }

    /** 12 -> 16 (ReLU) -> 10 (ReLU) -> 3 (softmax) in double precision. */
    static MultiLayerNetwork network() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(5)
                .dataType(DataType.DOUBLE)
                .updater(new Adam(1e-2))
                .list()
                .layer(new DenseLayer.Builder()
                        .name("hidden1")
                        .nIn(FEATURES)
                        .nOut(16)
                        .activation(Activation.RELU)
                        .build())
                .layer(new DenseLayer.Builder()
                        .name("hidden2")
                        .nIn(16)
                        .nOut(10)
                        .activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .name("out")
                        .nIn(10)
                        .nOut(3)
                        .activation(Activation.SOFTMAX)
                        .build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** A seeded 3-class problem the network learns partly, in minibatches of {@link #BATCH}. */
    static List<DataSet> batches(long seed, int samples) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.randn(DataType.DOUBLE, samples, FEATURES);
        INDArray noise = Nd4j.randn(DataType.DOUBLE, samples, 1);
        INDArray score = x.getColumn(0).add(x.getColumn(1)).sub(x.getColumn(2)).add(noise.reshape(-1));
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, samples, 3);
        for (int i = 0; i < samples; i++) {
            double s = score.getDouble(i);
            labels.putScalar(i, s < -0.5 ? 0 : s < 0.5 ? 1 : 2, 1);
        }
        List<DataSet> out = new ArrayList<>();
        for (DataSet d : new DataSet(x, labels).batchBy(BATCH)) {
            out.add(d);
        }
        return out;
    }

    static JavaRDD<DataSet> rdd(JavaSparkContext sc, List<DataSet> batches) {
        return sc.parallelize(batches, 2);
    }
}
