package io.github.reluspectra.listeners;

import io.github.reluspectra.measures.Auroc;
import io.github.reluspectra.measures.SeparationMeasures;
import io.github.reluspectra.network.LayerOperator;
import io.github.reluspectra.network.LayerOperators;
import io.github.reluspectra.network.Networks;
import io.github.reluspectra.results.EpochSeparation;
import io.github.reluspectra.results.EpochSpectra;
import io.github.reluspectra.results.Failure;
import io.github.reluspectra.results.LayerAnalysis;
import io.github.reluspectra.results.MeasureSeconds;
import io.github.reluspectra.results.Provenance;
import io.github.reluspectra.results.SeparationScore;
import io.github.reluspectra.spectra.BiasMode;
import io.github.reluspectra.spectra.RankFit;
import io.github.reluspectra.spectra.ReluFitOptions;
import io.github.reluspectra.spectra.ReluValuesOverData;
import io.github.reluspectra.spectra.SequentialReluSpectrum;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The paper's experiment (definitions §4): at the end of every N-th epoch, for each ReLU layer and each held-out
 * sample with layer input {@code h}, the per-sample measures of {@link SeparationMeasures} (gain, active fraction,
 * local width, alignment with the top-K sequential ReLU singular vectors, and with {@link Builder#fitData
 * training data} the residual of the layer's fitted rank-k ReLU approximation); for each measure the AUROC
 * (with direction) for telling misclassified from correctly classified samples, beside the AUROC of the
 * maximum softmax probability. Works on {@code MultiLayerNetwork} and {@code ComputationGraph} (one input, one
 * output). A double layer's active fraction is 1/2 by construction and is not offered as a measure there.
 *
 * <p>As {@link ReluSpectraListener}: the work happens in {@code onEpochEnd} ({@link #measureNow(Model)} on
 * demand), results go to the history and the sinks, failures are recorded and logged, and the listener is
 * {@link Serializable} (warm starts are rebuilt after deserialisation).
 */
public class SeparationListener extends EpochListener<EpochSeparation> {

    @Serial
    private static final long serialVersionUID = 1L;

    private static final Logger log = LoggerFactory.getLogger(SeparationListener.class);

    /** The pass of the held-out data that every measure shares. */
    private static final CostBudget.Part HELD_OUT_PASS = CostBudget.Part.pass("the pass of the held-out data");
    /** The pass of the training data that the residuals' fits share. */
    private static final CostBudget.Part TRAINING_PASS =
            CostBudget.Part.pass("the pass of the training data for the residual");

    private final DataSetIterator heldOut;
    private final int alignmentK;
    /** Training data for the residual measure, or null; its first {@code fitSamples} features, read once. */
    private final DataSetIterator fitData;

    private final int fitSamples;
    private final ReluFitOptions fitOptions;
    private final double residualFraction;
    /** Where the alignment's vectors come from when that listener analysed the same moment, or null. */
    private final ReluSpectraListener alignmentFrom;

    private final ReluSpectraListener fitFrom;

    /** The residual's training features, read once (not serialised: read again after deserialisation). */
    private transient INDArray fitFeatures;

    private SeparationListener(Builder b) {
        super(b);
        this.heldOut = b.heldOut;
        this.alignmentK = b.alignmentK;
        this.fitData = b.fitData;
        this.fitSamples = b.fitSamples;
        this.fitOptions = b.fitOptions;
        this.residualFraction = b.residualFraction;
        this.alignmentFrom = b.alignmentFrom;
        this.fitFrom = b.fitFrom;
    }

    public static Builder builder(DataSetIterator heldOut) {
        return new Builder(heldOut);
    }

    @Override
    public void onEpochEnd(Model model) {
        if (epochEnds(model)) {
            measureNow(model);
        }
    }

    /**
     * Measures the model on the held-out data now, records the result and hands it to the sinks; the record
     * carries the network's current epoch count.
     *
     * @throws RuntimeException what failed, if {@code failFast}; otherwise failures are in the result
     */
    public synchronized EpochSeparation measureNow(Model model) {
        return charged(() -> measureAndRecord(model));
    }

    private EpochSeparation measureAndRecord(Model model) {
        int epoch = Networks.epoch(model);
        long start = System.nanoTime();
        EpochSeparation result;
        try {
            result = measure(model, epoch, start);
            log.info(result.table());
        } catch (RuntimeException e) {
            if (failFast) {
                throw e;
            }
            log.warn("epoch {}: separation analysis failed, training goes on: {}", epoch, e.getMessage());
            result = EpochSeparation.failed(
                    networks.current(),
                    epoch,
                    Failure.ofEpoch(epoch, e),
                    (System.nanoTime() - start) / 1e9,
                    provenance());
        }
        record(result);
        return result;
    }

    private EpochSeparation measure(Model model, int epoch, long start) {
        // the network's precision: a float network's measures and fits cost half of double's
        DataType precision = Networks.precision(model);
        List<LayerOperator> all =
                LayerOperators.read(model, precision, inputTypes).layers();
        int network = networks.observe(model, all);
        List<LayerOperator> layers = all.stream().filter(LayerOperator::isRelu).toList();
        warm.forNetwork(network);
        List<String> refusals = budget == null
                ? List.of()
                : layers.stream()
                        .map(layer -> budget.refusal(measuresPart(layer), HELD_OUT_PASS))
                        .toList();
        if (!layers.isEmpty() && refusals.size() == layers.size() && !refusals.contains(null)) {
            List<String> skipped = refusals;
            log.info("epoch {}: {}", epoch, String.join("; ", skipped));
            return EpochSeparation.skipped(network, epoch, skipped, (System.nanoTime() - start) / 1e9, provenance());
        }
        long passStart = System.nanoTime();
        DataSet data = Datasets.all(heldOut);
        INDArray features = data.getFeatures();
        // one inference pass gives the probabilities and every layer's input and output
        Networks.LayerActivations passes = Networks.layerActivations(model, layers, features);
        INDArray probabilities = passes.networkOutput();
        int n = Math.toIntExact(features.size(0));
        int[] predicted = probabilities.argMax(1).toIntVector();
        int[] actual = data.getLabels().argMax(1).toIntVector();
        boolean[] wrong = new boolean[n];
        int misclassified = 0;
        for (int i = 0; i < n; i++) {
            wrong[i] = predicted[i] != actual[i];
            misclassified += wrong[i] ? 1 : 0;
        }
        double[] msp = probabilities.max(1).castTo(DataType.DOUBLE).toDoubleVector();
        Map<String, INDArray> inputs = passes.inputs();
        Map<String, INDArray> shared = sharedVectors(model);
        Map<String, ReluValuesOverData> sharedFits = sharedFits(model);
        List<MeasureSeconds> timings = new ArrayList<>();
        double passSeconds = spent(HELD_OUT_PASS, passStart);
        List<SeparationScore> scores = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Map<String, INDArray> trainingInputs = null;
        // Each part is decided just before it runs, on the credit left after the parts before it.
        for (LayerOperator layer : layers) {
            String refusal = budget == null ? null : budget.refusal(measuresPart(layer));
            if (refusal != null) {
                skipped.add(refusal);
                continue;
            }
            try {
                INDArray h = inputs.get(layer.name()).castTo(precision);
                long t0 = System.nanoTime();
                INDArray sharedVectors = shared.get(layer.name());
                SeparationMeasures.of(
                                layer,
                                h,
                                passes.outputs().get(layer.name()),
                                () -> sharedVectors != null ? sharedVectors : alignmentVectors(layer),
                                timings)
                        .forEach((measure, values) ->
                                scores.add(SeparationScore.of(layer.name(), measure, Auroc.of(values, wrong))));
                spent(measuresPart(layer), t0);
                ReluValuesOverData sharedFit = sharedFits.get(layer.name());
                if (layer.isConvolution() || (fitData == null && sharedFit == null)) {
                    continue;
                }
                String residualRefusal = budget == null
                        ? null
                        : trainingInputs == null && sharedFit == null
                                ? budget.refusal(residualPart(layer), TRAINING_PASS)
                                : budget.refusal(residualPart(layer));
                if (residualRefusal != null) {
                    skipped.add(residualRefusal);
                    continue;
                }
                if (trainingInputs == null && sharedFit == null) {
                    long pass = System.nanoTime();
                    trainingInputs = Networks.layerInputs(model, layers, trainingFeatures());
                    passSeconds += spent(TRAINING_PASS, pass);
                }
                long t1 = System.nanoTime();
                RankFit fit = sharedFit != null
                        ? sharedFit.fit(sharedFit.smallestRankWithin(residualFraction))
                        : residualFit(layer, trainingInputs.get(layer.name()).castTo(precision));
                double[] residual = SeparationMeasures.residual(layer, fit, h);
                scores.add(SeparationScore.of(layer.name(), SeparationMeasures.RESIDUAL, Auroc.of(residual, wrong)));
                timings.add(
                        new MeasureSeconds(layer.name(), SeparationMeasures.RESIDUAL, spent(residualPart(layer), t1)));
            } catch (RuntimeException e) {
                if (failFast) {
                    throw e;
                }
                failures.add(Failure.ofLayer(layer.name(), epoch, e));
                log.warn(
                        "epoch {}: separation of {} failed, training goes on: {}",
                        epoch,
                        layer.describe(),
                        e.getMessage());
            }
        }
        if (!skipped.isEmpty()) {
            log.info("epoch {}: {}", epoch, String.join("; ", skipped));
        }
        timings.add(0, new MeasureSeconds("all", "passes", passSeconds));
        return new EpochSeparation(
                network,
                epoch,
                n,
                misclassified,
                SeparationScore.of("output", "msp", Auroc.of(msp, wrong)),
                scores,
                failures,
                skipped,
                (System.nanoTime() - start) / 1e9,
                timings,
                provenance());
    }

    /** The seconds since {@code since}, debited to {@code part} under a budget. */
    private double spent(CostBudget.Part part, long since) {
        double seconds = (System.nanoTime() - since) / 1e9;
        if (budget != null) {
            budget.spent(part, seconds);
        }
        return seconds;
    }

    private static CostBudget.Part measuresPart(LayerOperator layer) {
        return CostBudget.Part.of(layer, "measures");
    }

    private static CostBudget.Part residualPart(LayerOperator layer) {
        return CostBudget.Part.of(layer, "residual");
    }

    /** The listener's settings: the measures' options and, with training data, the residual's. */
    private Provenance provenance() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("frequency", frequency);
        settings.put("alignmentK", alignmentK);
        if (alignmentFrom != null) {
            settings.put("alignmentFrom", "ReluSpectraListener at the same iteration, where it has the vectors");
        }
        if (fitFrom != null) {
            settings.put("fitFrom", "ReluSpectraListener's values over data at the same iteration, where it has them");
            settings.put("residualFraction", residualFraction);
        }
        settings.put("localWidth", "exact: ||J_h||_F");
        if (budget != null) {
            settings.put("costBudget", budget.fraction());
        }
        if (fitData != null) {
            settings.put("residualFit", fitOptions);
            settings.put("residualFraction", residualFraction);
            settings.put("fitSamples", fitSamples);
        }
        return Provenance.of(seed, settings);
    }

    private INDArray trainingFeatures() {
        if (fitFeatures == null) {
            fitFeatures = Datasets.firstFeatures(fitData, fitSamples);
        }
        return fitFeatures;
    }

    /** The layer's top-K sequential ReLU vectors, from this listener's own warm-started search. */
    private INDArray alignmentVectors(LayerOperator layer) {
        SeparationMeasures.AlignmentVectors found = SeparationMeasures.alignmentVectors(
                layer, alignmentK, warm.sequential(layer.name()), warm.classical(layer.name()));
        if (found.classicalVectors() != null) {
            warm.classical(layer.name(), found.classicalVectors());
        }
        warm.sequential(layer.name(), found.lockingOrder());
        return found.vectors();
    }

    /**
     * The top-K vectors of each layer that {@link Builder#alignmentFrom} computed at this very iteration (same
     * operator: bias mode ignore, at least K values), by layer name; empty where it has none.
     */
    private Map<String, INDArray> sharedVectors(Model model) {
        Map<String, INDArray> out = new HashMap<>();
        if (alignmentFrom == null || alignmentFrom.history().isEmpty()) {
            return out;
        }
        EpochSpectra last = alignmentFrom.history().get(alignmentFrom.history().size() - 1);
        if (last.iteration() != Networks.iteration(model)
                || last.epoch() != Networks.epoch(model)
                || alignmentFrom.options().biasMode() != BiasMode.IGNORE) {
            return out;
        }
        for (LayerAnalysis a : last.layers()) {
            SequentialReluSpectrum s = a.sequential();
            if (s != null && s.size() >= alignmentK) {
                out.put(a.name(), s.vectors().get(NDArrayIndex.all(), NDArrayIndex.interval(0, alignmentK)));
            }
        }
        return out;
    }

    /**
     * The values over data of each layer that {@link Builder#fitFrom} computed at this very iteration, by layer
     * name; empty where it has none.
     */
    private Map<String, ReluValuesOverData> sharedFits(Model model) {
        Map<String, ReluValuesOverData> out = new HashMap<>();
        if (fitFrom == null || fitFrom.history().isEmpty()) {
            return out;
        }
        EpochSpectra last = fitFrom.history().get(fitFrom.history().size() - 1);
        if (last.iteration() != Networks.iteration(model) || last.epoch() != Networks.epoch(model)) {
            return out;
        }
        for (LayerAnalysis a : last.layers()) {
            if (a.overData() != null && a.overData().fits().size() > 1) {
                out.put(a.name(), a.overData());
            }
        }
        return out;
    }

    /**
     * The layer's rank-k fit on the training inputs, k the smallest rank of the ladder with
     * {@code s_{k,X} <= fraction * s_{0,X}} (definitions §2b), warm-started from the last epoch's fits.
     */
    private RankFit residualFit(LayerOperator layer, INDArray training) {
        ReluValuesOverData fits =
                SeparationMeasures.residualFits(layer, training, fitOptions, warm.fits(layer.name()), residualFraction);
        warm.fits(layer.name(), fits);
        return fits.fit(fits.smallestRankWithin(residualFraction));
    }

    /**
     * Options are checked by {@link #build()}, whatever order they were set in. Defaults: every epoch,
     * alignment with the top 8 ReLU singular vectors, no residual.
     */
    public static final class Builder extends ListenerBuilder<EpochSeparation, Builder> {
        private final DataSetIterator heldOut;
        private int alignmentK = 8;
        private ReluSpectraListener alignmentFrom;
        private ReluSpectraListener fitFrom;
        private DataSetIterator fitData;
        private int fitSamples;
        private ReluFitOptions fitOptions = SeparationMeasures.DEFAULT_RESIDUAL_FIT;
        private double residualFraction = SeparationMeasures.DEFAULT_RESIDUAL_FRACTION;

        private Builder(DataSetIterator heldOut) {
            this.heldOut = heldOut;
        }

        @Override
        Builder self() {
            return this;
        }

        /** How many top sequential ReLU singular vectors the alignment measure uses (at least 1). */
        public Builder alignmentK(int k) {
            this.alignmentK = k;
            return this;
        }

        /**
         * Takes the alignment's top-K sequential ReLU vectors from {@code spectra}'s analysis of the same epoch
         * instead of searching them again (set it before this listener in {@code setListeners}, not
         * {@code async}, bias mode ignore, {@code topK >= alignmentK}); where it has none for a layer, this
         * listener searches itself.
         */
        public Builder alignmentFrom(ReluSpectraListener spectra) {
            if (spectra == null) {
                throw new IllegalArgumentException("alignmentFrom is null");
            }
            this.alignmentFrom = spectra;
            return this;
        }

        /**
         * Takes the residual's fit from {@code spectra}'s values over data of the same epoch (its {@code data(...)}
         * samples, the smallest rank of its ladder within {@code residualFraction}) instead of fitting again (set
         * it before this listener in {@code setListeners}, not {@code async}); where it has none for a layer, this
         * listener fits on {@code fitData} if given, else leaves the residual out for that epoch.
         */
        public Builder fitFrom(ReluSpectraListener spectra) {
            if (spectra == null) {
                throw new IllegalArgumentException("fitFrom is null");
            }
            this.fitFrom = spectra;
            return this;
        }

        /**
         * Adds the residual measure {@code r_k(h)} of each ReLU layer's rank-k ReLU approximation, fitted on the
         * first {@code samples} examples of {@code training} (warm-started epoch to epoch); k is the smallest
         * rank of the fit's ladder with {@code s_{k,X} <= 0.5 s_{0,X}} unless {@link #residualFraction} says
         * otherwise.
         */
        public Builder fitData(DataSetIterator training, int samples) {
            this.fitData = training;
            this.fitSamples = samples;
            return this;
        }

        /** Options of the residual's fits (default: ranks 0, 1, 2, 4, 8, 16, otherwise the defaults). */
        public Builder fitOptions(ReluFitOptions options) {
            this.fitOptions = options;
            return this;
        }

        /** The residual's rank: the smallest with {@code s_{k,X} <= fraction * s_{0,X}} (default 0.5). */
        public Builder residualFraction(double fraction) {
            this.residualFraction = fraction;
            return this;
        }

        /** @throws IllegalArgumentException naming the option that is missing or out of range */
        public SeparationListener build() {
            if (heldOut == null) {
                throw new IllegalArgumentException("a held-out DataSetIterator is required");
            }
            requireShared();
            Datasets.requireAtLeast("alignmentK", alignmentK, 1);
            if (fitData != null || fitSamples != 0) {
                Datasets.requireSample(fitData, fitSamples);
            }
            if (fitOptions == null) {
                throw new IllegalArgumentException("fitOptions are null");
            }
            SeparationMeasures.requireResidualFraction(residualFraction);
            return new SeparationListener(this);
        }
    }
}
