package io.github.reluspectra.spark;

import io.github.reluspectra.measures.Auroc;
import io.github.reluspectra.measures.SeparationMeasures;
import io.github.reluspectra.network.LayerOperator;
import io.github.reluspectra.network.LayerOperators;
import io.github.reluspectra.network.Networks;
import io.github.reluspectra.results.EpochSeparation;
import io.github.reluspectra.results.MeasureSeconds;
import io.github.reluspectra.results.Provenance;
import io.github.reluspectra.results.SeparationScore;
import io.github.reluspectra.spectra.RankFit;
import io.github.reluspectra.spectra.ReluFitOptions;
import io.github.reluspectra.spectra.ReluValuesOverData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
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
 * {@code SeparationListener}'s measurement (definitions §4) with the held-out samples in an RDD: the alignment's
 * vectors and the residual's fit (on the first samples of a training RDD) on the driver, each held-out sample's
 * measures on the executors (the network, vectors and fits broadcast, one network per partition), the AUROCs on the
 * driver from the collected scores. On the same network, vectors and fit the numbers equal the listener's.
 *
 * <pre>
 *   EpochSeparation s = SparkSeparation.builder().fitData(trainRdd, 500).build().measure(sc, net, testRdd);
 * </pre>
 */
public final class SparkSeparation {

    private static final Logger log = LoggerFactory.getLogger(SparkSeparation.class);

    private final int alignmentK;
    private final JavaRDD<DataSet> fitData;
    private final int fitSamples;
    private final ReluFitOptions fitOptions;
    private final double residualFraction;
    private final InputType[] inputTypes;

    private SparkSeparation(Builder b) {
        this.alignmentK = b.alignmentK;
        this.fitData = b.fitData;
        this.fitSamples = b.fitSamples;
        this.fitOptions = b.fitOptions;
        this.residualFraction = b.residualFraction;
        this.inputTypes = b.inputTypes;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Measures {@code model} on the held-out samples of {@code heldOut}; the record carries its epoch count. */
    public EpochSeparation measure(JavaSparkContext sc, Model model, JavaRDD<DataSet> heldOut) {
        if (sc == null || model == null || heldOut == null) {
            throw new IllegalArgumentException("the Spark context, network and held-out RDD are required");
        }
        long start = System.nanoTime();
        List<LayerOperator> layers = reluLayers(model, inputTypes);
        Map<String, INDArray> vectors = new HashMap<>();
        List<MeasureSeconds> driverSeconds = new ArrayList<>();
        for (LayerOperator layer : layers) {
            long t = System.nanoTime();
            vectors.put(
                    layer.name(),
                    SeparationMeasures.alignmentVectors(layer, alignmentK, null, null)
                            .vectors());
            driverSeconds.add(
                    new MeasureSeconds(layer.name(), "alignment vectors (driver)", (System.nanoTime() - t) / 1e9));
        }
        Map<String, RankFit> fits = fitData == null ? Map.of() : residualFits(model, layers, driverSeconds);
        Broadcast<NetworkCopy> copy = sc.broadcast(NetworkCopy.of(model));
        Broadcast<Map<String, INDArray>> broadcastVectors = sc.broadcast(vectors);
        Broadcast<Map<String, RankFit>> broadcastFits = sc.broadcast(fits);
        InputType[] types = inputTypes;
        SampleScores scores;
        try {
            // collect keeps the partitions' order, so the samples are in the RDD's order
            scores = heldOut
                    .mapPartitions((Iterator<DataSet> batches) -> List.of(partitionScores(
                                    copy.value(), broadcastVectors.value(), broadcastFits.value(), batches, types))
                            .iterator())
                    .collect()
                    .stream()
                    .reduce(new SampleScores(), SampleScores::append);
        } finally {
            copy.destroy();
            broadcastVectors.destroy();
            broadcastFits.destroy();
        }
        boolean[] wrong = scores.wrong();
        int misclassified = 0;
        for (boolean w : wrong) {
            misclassified += w ? 1 : 0;
        }
        List<SeparationScore> out = new ArrayList<>();
        scores.measures()
                .forEach((key, values) -> out.add(SeparationScore.of(key.get(0), key.get(1), Auroc.of(values, wrong))));
        List<MeasureSeconds> timings = new ArrayList<>(driverSeconds);
        timings.addAll(scores.seconds());
        EpochSeparation result = new EpochSeparation(
                1,
                Networks.epoch(model),
                wrong.length,
                misclassified,
                SeparationScore.of("output", "msp", Auroc.of(scores.msp(), wrong)),
                out,
                List.of(),
                List.of(),
                (System.nanoTime() - start) / 1e9,
                timings,
                provenance());
        log.info(result.table());
        return result;
    }

    private static List<LayerOperator> reluLayers(Model model, InputType[] inputTypes) {
        return LayerOperators.read(model, DataType.DOUBLE, inputTypes).layers().stream()
                .filter(LayerOperator::isRelu)
                .toList();
    }

    /** Each dense ReLU layer's residual fit on the training sample, as the listener's first epoch finds it. */
    private Map<String, RankFit> residualFits(Model model, List<LayerOperator> layers, List<MeasureSeconds> seconds) {
        List<LayerOperator> dense =
                layers.stream().filter(l -> !l.isConvolution()).toList();
        Map<String, INDArray> inputs =
                Networks.layerInputs(model, dense, RddSamples.firstFeatures(fitData, fitSamples));
        Map<String, RankFit> out = new LinkedHashMap<>();
        for (LayerOperator layer : dense) {
            long t = System.nanoTime();
            ReluValuesOverData values = SeparationMeasures.residualFits(
                    layer, inputs.get(layer.name()), fitOptions, null, residualFraction);
            out.put(layer.name(), values.fit(values.smallestRankWithin(residualFraction)));
            seconds.add(new MeasureSeconds(layer.name(), "residual fit (driver)", (System.nanoTime() - t) / 1e9));
        }
        return out;
    }

    private static SampleScores partitionScores(
            NetworkCopy copy,
            Map<String, INDArray> vectors,
            Map<String, RankFit> fits,
            Iterator<DataSet> batches,
            InputType[] inputTypes) {
        SampleScores scores = new SampleScores();
        if (!batches.hasNext()) {
            return scores;
        }
        Model model = copy.restore();
        List<LayerOperator> layers = reluLayers(model, inputTypes);
        while (batches.hasNext()) {
            DataSet batch = batches.next();
            Networks.LayerActivations passes = Networks.layerActivations(model, layers, batch.getFeatures());
            INDArray probabilities = passes.networkOutput();
            int[] predicted = probabilities.argMax(1).toIntVector();
            int[] actual = batch.getLabels().argMax(1).toIntVector();
            boolean[] wrong = new boolean[predicted.length];
            for (int i = 0; i < wrong.length; i++) {
                wrong[i] = predicted[i] != actual[i];
            }
            scores.addBatch(probabilities.max(1).castTo(DataType.DOUBLE).toDoubleVector(), wrong);
            List<MeasureSeconds> timings = new ArrayList<>();
            for (LayerOperator layer : layers) {
                INDArray h = passes.inputs().get(layer.name()).castTo(DataType.DOUBLE);
                SeparationMeasures.of(
                                layer, h, passes.outputs().get(layer.name()), () -> vectors.get(layer.name()), timings)
                        .forEach((measure, values) -> scores.add(layer.name(), measure, values));
                RankFit fit = fits.get(layer.name());
                if (fit != null) {
                    long t = System.nanoTime();
                    scores.add(layer.name(), SeparationMeasures.RESIDUAL, SeparationMeasures.residual(layer, fit, h));
                    timings.add(new MeasureSeconds(
                            layer.name(), SeparationMeasures.RESIDUAL, (System.nanoTime() - t) / 1e9));
                }
            }
            scores.time(timings);
        }
        return scores;
    }

    private Provenance provenance() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("alignmentK", alignmentK);
        settings.put("localWidth", "exact: ||J_h||_F");
        settings.put("distributed", "Spark: per-sample measures on the executors, AUROCs on the driver");
        if (fitData != null) {
            settings.put("residualFit", fitOptions);
            settings.put("residualFraction", residualFraction);
            settings.put("fitSamples", fitSamples);
        }
        return Provenance.of(null, settings);
    }

    /** Options are checked by {@link #build()}. Defaults as {@code SeparationListener}'s. */
    public static final class Builder {
        private int alignmentK = 8;
        private JavaRDD<DataSet> fitData;
        private int fitSamples;
        private ReluFitOptions fitOptions = SeparationMeasures.DEFAULT_RESIDUAL_FIT;
        private double residualFraction = SeparationMeasures.DEFAULT_RESIDUAL_FRACTION;
        private InputType[] inputTypes = new InputType[0];

        private Builder() {}

        /** How many top sequential ReLU singular vectors the alignment uses (at least 1; default 8). */
        public Builder alignmentK(int k) {
            this.alignmentK = k;
            return this;
        }

        /** Adds the residual, fitted on the first {@code samples} examples of {@code training}. */
        public Builder fitData(JavaRDD<DataSet> training, int samples) {
            this.fitData = training;
            this.fitSamples = samples;
            return this;
        }

        /** Options of the residual's fits (default: ranks 0, 1, 2, 4, 8, 16). */
        public Builder fitOptions(ReluFitOptions options) {
            this.fitOptions = options;
            return this;
        }

        /** The residual's rank: the smallest with {@code s_{k,X} <= fraction * s_{0,X}} (default 0.5). */
        public Builder residualFraction(double fraction) {
            this.residualFraction = fraction;
            return this;
        }

        /** The network's input types where it does not record them. */
        public Builder inputType(InputType... types) {
            this.inputTypes = types.clone();
            return this;
        }

        /** @throws IllegalArgumentException naming the option that is missing or out of range */
        public SparkSeparation build() {
            if (alignmentK < 1) {
                throw new IllegalArgumentException("alignmentK must be at least 1, got " + alignmentK);
            }
            if (fitData != null && fitSamples < 1) {
                throw new IllegalArgumentException("fitData needs at least 1 sample, got " + fitSamples);
            }
            if (fitOptions == null) {
                throw new IllegalArgumentException("fitOptions are null");
            }
            SeparationMeasures.requireResidualFraction(residualFraction);
            return new SparkSeparation(this);
        }
    }
}
