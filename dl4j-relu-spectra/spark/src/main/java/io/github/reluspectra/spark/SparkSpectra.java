package io.github.reluspectra.spark;

import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Training on Spark with epoch listeners on the driver. A listener set on a Spark network runs on the workers, which
 * call {@code fit(DataSet)} per minibatch and never end an epoch, so {@code ReluSpectraListener} and
 * {@code SeparationListener} would never fire there. Here each epoch is one {@code fit(rdd)} of the Spark network
 * (its {@code TrainingMaster} averages the workers' parameters into the driver's network), between the listeners'
 * {@code onEpochStart} and {@code onEpochEnd} on that network: the same records, sinks, charts and cost budget as
 * on one machine, with the epoch's Spark training as the time a budget is a share of.
 *
 * <pre>
 *   SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, conf, trainingMaster);
 *   SparkSpectra.fit(sparkNet, trainRdd, 10, spectra, separation);
 * </pre>
 */
public final class SparkSpectra {

    private static final Logger log = LoggerFactory.getLogger(SparkSpectra.class);

    private SparkSpectra() {}

    /**
     * Trains {@code epochs} epochs over {@code data}, calling each listener's {@code onEpochStart} and
     * {@code onEpochEnd} with the driver's network around each epoch, in the order given.
     *
     * @return the trained network (the driver's)
     */
    public static MultiLayerNetwork fit(
            SparkDl4jMultiLayer sparkNet, JavaRDD<DataSet> data, int epochs, TrainingListener... listeners) {
        require(sparkNet, data, epochs, listeners);
        run(sparkNet::getNetwork, () -> sparkNet.fit(data), epochs, List.of(listeners));
        return sparkNet.getNetwork();
    }

    /** As {@link #fit(SparkDl4jMultiLayer, JavaRDD, int, TrainingListener...)} for a graph. */
    public static ComputationGraph fit(
            SparkComputationGraph sparkNet, JavaRDD<DataSet> data, int epochs, TrainingListener... listeners) {
        require(sparkNet, data, epochs, listeners);
        run(sparkNet::getNetwork, () -> sparkNet.fit(data), epochs, List.of(listeners));
        return sparkNet.getNetwork();
    }

    private static void require(Object sparkNet, JavaRDD<DataSet> data, int epochs, TrainingListener[] listeners) {
        if (sparkNet == null || data == null) {
            throw new IllegalArgumentException(sparkNet == null ? "the Spark network is null" : "the data RDD is null");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        for (TrainingListener l : listeners) {
            if (l == null) {
                throw new IllegalArgumentException("a listener is null");
            }
        }
    }

    private static void run(Supplier<Model> network, Runnable epoch, int epochs, List<TrainingListener> listeners) {
        for (int e = 0; e < epochs; e++) {
            Model before = network.get();
            listeners.forEach(l -> l.onEpochStart(before));
            long start = System.nanoTime();
            epoch.run();
            double training = (System.nanoTime() - start) / 1e9;
            Model after = network.get();
            long watch = System.nanoTime();
            endEpoch(after, listeners);
            log.info(String.format(
                    Locale.ROOT,
                    "epoch %d: Spark training %.2f s, listeners on the driver %.2f s",
                    epochCount(after) - 1,
                    training,
                    (System.nanoTime() - watch) / 1e9));
        }
    }

    /**
     * DL4J calls epoch-end listeners before it counts the epoch, and the listeners read the ending epoch from the
     * count; Spark's {@code fit} has already counted it, so the count is the ending epoch's while they run.
     */
    private static void endEpoch(Model model, List<TrainingListener> listeners) {
        int counted = epochCount(model);
        setEpochCount(model, counted - 1);
        try {
            listeners.forEach(l -> l.onEpochEnd(model));
        } finally {
            setEpochCount(model, counted);
        }
    }

    private static int epochCount(Model model) {
        return model instanceof MultiLayerNetwork net
                ? net.getLayerWiseConfigurations().getEpochCount()
                : ((ComputationGraph) model).getConfiguration().getEpochCount();
    }

    private static void setEpochCount(Model model, int count) {
        if (model instanceof MultiLayerNetwork net) {
            net.getLayerWiseConfigurations().setEpochCount(count);
        } else {
            ((ComputationGraph) model).getConfiguration().setEpochCount(count);
        }
    }
}
