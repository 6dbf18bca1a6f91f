package io.github.reluspectra.spark;

import io.github.reluspectra.network.LayerOperator;
import io.github.reluspectra.network.LayerOperators;
import io.github.reluspectra.network.Networks;
import io.github.reluspectra.spectra.RankFit;
import io.github.reluspectra.spectra.ReluFitOptions;
import io.github.reluspectra.spectra.ReluSingularValues;
import io.github.reluspectra.spectra.ReluValuesOverData;
import io.github.reluspectra.spectra.ReplacementError;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The values over data of every dense ReLU layer (definitions §2b) with an RDD as the data: the fit on the first
 * {@code fitSamples} examples on the driver, as {@code ReluSpectraListener} does on one machine, then the largest and
 * the RMS per-sample error of each rank's fit over the whole RDD as one Spark job (the network and the fits
 * broadcast, one network per partition, one forward pass per minibatch).
 */
public final class SparkValuesOverData {

    private static final Logger log = LoggerFactory.getLogger(SparkValuesOverData.class);

    private SparkValuesOverData() {}

    /**
     * @param inputTypes the network's input types where it does not record them (see
     *                   {@code ReluSpectraListener.Builder#inputType}), or none
     * @return one result per dense ReLU layer, in the network's order
     */
    public static List<RddValuesOverData> compute(
            JavaSparkContext sc,
            Model network,
            JavaRDD<DataSet> data,
            int fitSamples,
            ReluFitOptions options,
            InputType... inputTypes) {
        if (sc == null || network == null || data == null || options == null) {
            throw new IllegalArgumentException("the Spark context, network, data and options are required");
        }
        List<LayerOperator> layers = denseReluLayers(network, inputTypes);
        if (layers.isEmpty()) {
            log.info("values over data: the network has no dense ReLU layer");
            return List.of();
        }
        Map<String, ReluValuesOverData> fits =
                sampleFits(network, layers, RddSamples.firstFeatures(data, fitSamples), options);
        long start = System.nanoTime();
        Broadcast<NetworkCopy> copy = sc.broadcast(NetworkCopy.of(network));
        Broadcast<Map<String, List<RankFit>>> broadcastFits = sc.broadcast(fitsByLayer(fits));
        ErrorTally tally;
        try {
            tally = data.mapPartitions((Iterator<DataSet> batches) -> List.of(
                                    partitionTally(copy.value(), broadcastFits.value(), batches, inputTypes))
                            .iterator())
                    .reduce(ErrorTally::merge);
        } finally {
            copy.destroy();
            broadcastFits.destroy();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        log.info(String.format(
                Locale.ROOT,
                "values over data: %d layers, fit on %d samples, errors over %d samples " + "in %.2f s",
                layers.size(),
                fitSamples,
                tally.samples(),
                seconds));
        List<RddValuesOverData> out = new ArrayList<>();
        fits.forEach((layer, fit) -> out.add(
                new RddValuesOverData(layer, fit, tally.samples(), tally.max(layer), tally.rms(layer), seconds)));
        return out;
    }

    /** The layers the values over data are defined for: dense ReLU layers (as the listener's). */
    static List<LayerOperator> denseReluLayers(Model network, InputType... inputTypes) {
        return LayerOperators.read(network, DataType.DOUBLE, inputTypes).layers().stream()
                .filter(l -> l.isRelu() && !l.isConvolution())
                .toList();
    }

    private static Map<String, ReluValuesOverData> sampleFits(
            Model network, List<LayerOperator> layers, INDArray features, ReluFitOptions options) {
        Map<String, INDArray> inputs = Networks.layerInputs(network, layers, features);
        Map<String, ReluValuesOverData> fits = new LinkedHashMap<>();
        for (LayerOperator layer : layers) {
            fits.put(
                    layer.name(),
                    ReluSingularValues.compute(
                            layer.weights(),
                            layer.bias(),
                            inputs.get(layer.name()).castTo(DataType.DOUBLE),
                            options));
        }
        return fits;
    }

    private static Map<String, List<RankFit>> fitsByLayer(Map<String, ReluValuesOverData> fits) {
        Map<String, List<RankFit>> out = new LinkedHashMap<>();
        fits.forEach((layer, f) -> out.put(layer, f.fits()));
        return out;
    }

    /** One partition's errors: its network restored once, each minibatch passed through it once. */
    private static ErrorTally partitionTally(
            NetworkCopy copy, Map<String, List<RankFit>> fits, Iterator<DataSet> batches, InputType[] inputTypes) {
        ErrorTally tally = new ErrorTally();
        if (!batches.hasNext()) {
            return tally;
        }
        Model network = copy.restore();
        List<LayerOperator> layers = denseReluLayers(network, inputTypes).stream()
                .filter(l -> fits.containsKey(l.name()))
                .toList();
        while (batches.hasNext()) {
            DataSet batch = batches.next();
            Map<String, INDArray> inputs = Networks.layerInputs(network, layers, batch.getFeatures());
            for (LayerOperator layer : layers) {
                List<RankFit> layerFits = fits.get(layer.name());
                INDArray h = inputs.get(layer.name());
                INDArray target = ReplacementError.target(layer.weights(), layer.bias(), h);
                for (int i = 0; i < layerFits.size(); i++) {
                    RankFit f = layerFits.get(i);
                    tally.add(
                            layer.name(),
                            i,
                            layerFits.size(),
                            ReplacementError.sampleErrors(target, h, f.w(), f.m(), layer.bias()));
                }
            }
            tally.count(batch.numExamples());
        }
        return tally;
    }
}
