package io.github.reluspectra.spark;

import io.github.reluspectra.pruning.HarmonicPruningTransform;
import io.github.reluspectra.pruning.PruningResult;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Harmonic pruning with its calibration data in an RDD, and fine-tuning of the pruned network on Spark. The data-aware
 * bases fit each layer on the driver (the fits need all calibration inputs at once); the calibration inputs are the
 * first examples of the RDD, so the result equals pruning with a local iterator over the same minibatches.
 *
 * <pre>
 *   PruningResult small = SparkPruning.prune(HarmonicPruningTransform.builder().basis(Basis.FITTED).budget(0.25),
 *           net, trainRdd, 2000);
 *   SparkPruning.fineTune(sc, small.network(), trainingMaster, trainRdd, 1);
 * </pre>
 */
public final class SparkPruning {

    private static final Logger log = LoggerFactory.getLogger(SparkPruning.class);

    private SparkPruning() {}

    /**
     * Prunes {@code network} with {@code transform}, its calibration inputs the first {@code samples} examples of
     * {@code calibration} (the builder's own {@code data(...)} is replaced).
     */
    public static PruningResult prune(
            HarmonicPruningTransform.Builder transform,
            MultiLayerNetwork network,
            JavaRDD<DataSet> calibration,
            int samples) {
        if (transform == null || network == null || calibration == null) {
            throw new IllegalArgumentException("the transform, network and calibration RDD are required");
        }
        long start = System.nanoTime();
        PruningResult result = transform
                .data(RddSamples.firstFeatures(calibration, samples))
                .build()
                .transform(network);
        log.info(String.format(
                Locale.ROOT,
                "pruned with %d calibration samples from the RDD in %.2f s",
                samples,
                (System.nanoTime() - start) / 1e9));
        return result;
    }

    /**
     * Trains the pruned network {@code epochs} epochs over {@code data} with DL4J's Spark training and
     * {@code trainingMaster}; the network is updated in place and returned.
     */
    public static MultiLayerNetwork fineTune(
            JavaSparkContext sc,
            MultiLayerNetwork pruned,
            TrainingMaster<?, ?> trainingMaster,
            JavaRDD<DataSet> data,
            int epochs) {
        if (sc == null || pruned == null || trainingMaster == null || data == null) {
            throw new IllegalArgumentException("the Spark context, network, training master and data are required");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, pruned, trainingMaster);
        return SparkSpectra.fit(sparkNet, data, epochs);
    }
}
