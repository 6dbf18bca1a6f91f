package io.github.reluspectra.listeners;

import io.github.reluspectra.io.Messages;
import io.github.reluspectra.network.LayerOperator;
import io.github.reluspectra.network.Networks;
import io.github.reluspectra.report.Auroc;
import io.github.reluspectra.report.JsonLines;
import io.github.reluspectra.report.SeparationJson;
import io.github.reluspectra.spectra.MeanWidthOptions;
import io.github.reluspectra.spectra.MeanWidths;
import io.github.reluspectra.spectra.RankFit;
import io.github.reluspectra.spectra.ReluFitOptions;
import io.github.reluspectra.spectra.ReluSingularValues;
import io.github.reluspectra.spectra.ReluValuesOverData;
import io.github.reluspectra.spectra.SequentialReluValues;
import io.github.reluspectra.spectra.SequentialReluOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The paper's experiment (SPEC §4): at the end of every N-th epoch, for each ReLU layer and each held-out
 * sample with layer input {@code h}, the gain {@code ||phi(h)||/||h||}, the active fraction, the local width
 * and the alignment {@code ||X_K^T h||/||h||} with the top-K sequential ReLU singular vectors, and with
 * {@link Builder#fitData training data} the residual {@code r_k(h)} of the layer's fitted rank-k ReLU
 * approximation (SPEC §2b); for each measure the AUROC (with direction) for telling misclassified from
 * correctly classified samples, beside the AUROC of the maximum softmax probability. Works on
 * {@code MultiLayerNetwork} and {@code ComputationGraph} (one input, one output).
 */
public class SeparationListener extends BaseTrainingListener {

    private static final Logger log = LoggerFactory.getLogger(SeparationListener.class);
    private static final List<String> MEASURES = List.of("gain", "activeFraction", "localWidth", "alignment");
    private static final String RESIDUAL = "residual";

    private final DataSetIterator heldOut;
    private final int frequency;
    private final int alignmentK;
    private final MeanWidthOptions widthOptions;
    private final Path jsonLines;
    private final boolean failFast;
    private final List<EpochSeparation> history = new ArrayList<>();
    private final Map<String, INDArray> warmStarts = new HashMap<>();
    private final Map<String, ReluValuesOverData> warmFits = new HashMap<>();
    /** Training data for the residual measure, or null; its first {@code fitSamples} features, read once. */
    private final DataSetIterator fitData;
    private final int fitSamples;
    private final ReluFitOptions fitOptions;
    private final double residualFraction;
    private INDArray fitFeatures;
    private final NetworkTracker networks = new NetworkTracker();
    private int warmNetwork;

    private SeparationListener(Builder b) {
        this.heldOut = b.heldOut;
        this.frequency = b.frequency;
        this.alignmentK = b.alignmentK;
        this.widthOptions = b.widthOptions;
        this.jsonLines = b.jsonLines;
        this.failFast = b.failFast;
        this.fitData = b.fitData;
        this.fitSamples = b.fitSamples;
        this.fitOptions = b.fitOptions;
        this.residualFraction = b.residualFraction;
    }

    public static Builder builder(DataSetIterator heldOut) {
        return new Builder(heldOut);
    }

    public List<EpochSeparation> history() {
        return Collections.unmodifiableList(history);
    }

    @Override
    public void onEpochEnd(Model model) {
        int epoch = Networks.epoch(model);
        if ((epoch + 1) % frequency != 0) {
            return;
        }
        try {
            EpochSeparation result = measure(model, epoch);
            history.add(result);
            log.info(table(result));
            if (jsonLines != null) {
                append(result);
            }
        } catch (RuntimeException e) {
            if (failFast) {
                throw e;
            }
            log.warn("epoch {}: separation analysis failed, training goes on: {}", epoch, e.getMessage());
        }
    }

    /** Computes the separation scores of the model on the held-out data now. */
    public EpochSeparation measure(Model model, int epoch) {
        DataSet data = Datasets.all(heldOut);
        INDArray features = data.getFeatures();
        INDArray probabilities = output(model, features);
        int n = Math.toIntExact(features.rows());
        int[] predicted = probabilities.argMax(1).toIntVector();
        int[] actual = data.getLabels().argMax(1).toIntVector();
        boolean[] wrong = new boolean[n];
        int misclassified = 0;
        for (int i = 0; i < n; i++) {
            wrong[i] = predicted[i] != actual[i];
            misclassified += wrong[i] ? 1 : 0;
        }
        double[] msp = probabilities.max(1).castTo(DataType.DOUBLE).toDoubleVector();
        List<SeparationScore> scores = new ArrayList<>();
        List<LayerOperator> layers = Networks.denseLayers(model, DataType.DOUBLE);
        int network = networks.observe(model, layers);
        if (network != warmNetwork) {
            // another network: its layers start cold, whatever their names
            warmStarts.clear();
            warmFits.clear();
            warmNetwork = network;
        }
        Map<String, INDArray> inputs = Networks.layerInputs(model, layers, features);
        Map<String, INDArray> trainingInputs = fitData == null ? Map.of()
                : Networks.layerInputs(model, layers, trainingFeatures());
        for (LayerOperator layer : layers) {
            if (!layer.isRelu()) {
                continue;
            }
            INDArray h = inputs.get(layer.name()).castTo(DataType.DOUBLE);
            double[][] measures = measures(layer, h);
            for (int j = 0; j < MEASURES.size(); j++) {
                scores.add(SeparationScore.of(layer.name(), MEASURES.get(j), Auroc.of(measures[j], wrong)));
            }
            if (fitData != null) {
                double[] residual = residual(layer, trainingInputs.get(layer.name()).castTo(DataType.DOUBLE), h);
                scores.add(SeparationScore.of(layer.name(), RESIDUAL, Auroc.of(residual, wrong)));
            }
        }
        return new EpochSeparation(network, epoch, n, misclassified, SeparationScore.of("output", "msp", Auroc.of(msp, wrong)),
                List.copyOf(scores));
    }

    private INDArray trainingFeatures() {
        if (fitFeatures == null) {
            fitFeatures = Datasets.firstFeatures(fitData, fitSamples);
        }
        return fitFeatures;
    }

    /**
     * SPEC §4/§2b: {@code r_k(h) = ||ReLU(Ah+b) - ReLU(WMh+b)|| / ||ReLU(Ah+b)||} per held-out input h, with
     * {@code W, M} the layer's rank-k fit on the training inputs and k the smallest rank of the ladder with
     * {@code s_{k,X} <= fraction * s_{0,X}} (0 where the layer's output is 0).
     */
    private double[] residual(LayerOperator layer, INDArray training, INDArray h) {
        ReluValuesOverData fits = ReluSingularValues.compute(layer.weights(), layer.bias(), training,
                fitOptions.withWarmStart(warmFits.get(layer.name())));
        warmFits.put(layer.name(), fits);
        RankFit fit = fits.fit(fits.smallestRankWithin(residualFraction));
        INDArray exact = h.mmul(layer.weights().transpose());
        INDArray approximate = fit.rank() == 0 ? Nd4j.zerosLike(exact)
                : h.mmul(fit.m().transpose()).mmul(fit.w().transpose());
        if (layer.bias() != null) {
            exact.addiRowVector(layer.bias().reshape(1, exact.columns()));
            approximate.addiRowVector(layer.bias().reshape(1, exact.columns()));
        }
        Transforms.relu(exact, false);
        double[] output = exact.norm2(1).toDoubleVector();
        double[] error = exact.subi(Transforms.relu(approximate, false)).norm2(1).toDoubleVector();
        double[] r = new double[output.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = output[i] > 0 ? error[i] / output[i] : 0;
        }
        return r;
    }

    /** Rows: gain, active fraction, local width, alignment; one column per sample. */
    private double[][] measures(LayerOperator layer, INDArray h) {
        INDArray a = layer.weights();
        INDArray pre = h.mmul(a.transpose());
        if (layer.bias() != null) {
            pre.addiRowVector(layer.bias().reshape(1, a.rows()));
        }
        INDArray hNorm = Transforms.max(h.norm2(1), 1e-12, false);
        double[] gain = Transforms.relu(pre, true).norm2(1).divi(hNorm).toDoubleVector();
        double[] active = pre.gt(0).castTo(DataType.DOUBLE).mean(1).toDoubleVector();
        double[] local = MeanWidths.local(a, layer.bias(), h, widthOptions);
        var spectrum = SequentialReluValues.compute(a, SequentialReluOptions.builder().topK(alignmentK)
                .warmStart(warmStarts.get(layer.name())).build());
        warmStarts.put(layer.name(), spectrum.vectors());
        double[] alignment = h.mmul(spectrum.vectors()).norm2(1).divi(hNorm).toDoubleVector();
        return new double[][] {gain, active, local, alignment};
    }

    private static INDArray output(Model model, INDArray features) {
        if (model instanceof MultiLayerNetwork net) {
            return net.output(features, false);
        }
        return ((ComputationGraph) model).outputSingle(false, features);
    }

    static String table(EpochSeparation s) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "epoch %d separation: %d of %d held-out samples misclassified; MSP AUROC %.3f (%s)%n",
                s.epoch(), s.misclassified(), s.samples(), s.msp().auroc(), s.msp().direction()));
        b.append(String.format(Locale.ROOT, "  %-16s %-15s %7s %s%n", "layer", "measure", "AUROC", "misclassified when"));
        for (SeparationScore score : s.scores()) {
            b.append(String.format(Locale.ROOT, "  %-16s %-15s %7.3f %s%n", score.layer(), score.measure(),
                    score.auroc(), score.direction()));
        }
        return b.toString();
    }

    private void append(EpochSeparation s) {
        try {
            JsonLines.append(jsonLines, SeparationJson.node(s));
        } catch (IOException e) {
            throw new UncheckedIOException("could not append to " + jsonLines + ": " + Messages.reason(e), e);
        }
    }

    /** Defaults: every epoch, alignment with the top 8 ReLU singular vectors, local widths from 16 samples. */
    public static final class Builder {
        private final DataSetIterator heldOut;
        private int frequency = 1;
        private int alignmentK = 8;
        private MeanWidthOptions widthOptions = MeanWidthOptions.builder().samples(16).build();
        private Path jsonLines;
        private boolean failFast;
        private DataSetIterator fitData;
        private int fitSamples;
        /** The residual's rank is small (s_k,X halves early), so the ladder stops at 16. */
        private ReluFitOptions fitOptions = ReluFitOptions.builder().ranks(0, 1, 2, 4, 8, 16).build();
        private double residualFraction = 0.5;

        private Builder(DataSetIterator heldOut) {
            if (heldOut == null) {
                throw new IllegalArgumentException("a held-out DataSetIterator is required");
            }
            this.heldOut = heldOut;
        }

        public Builder frequency(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("frequency must be at least 1, got " + n);
            }
            this.frequency = n;
            return this;
        }

        public Builder alignmentK(int k) {
            this.alignmentK = k;
            return this;
        }

        public Builder localWidthSamples(int samples) {
            this.widthOptions = MeanWidthOptions.builder().samples(samples).build();
            return this;
        }

        public Builder jsonLines(Path file) {
            this.jsonLines = file;
            return this;
        }

        /**
         * Adds the residual measure {@code r_k(h)} of each ReLU layer's rank-k ReLU approximation, fitted on the
         * first {@code samples} examples of {@code training} (warm-started epoch to epoch); k is the smallest
         * rank of the fit's ladder with {@code s_{k,X} <= 0.5 s_{0,X}} unless {@link #residualFraction} says
         * otherwise.
         */
        public Builder fitData(DataSetIterator training, int samples) {
            Datasets.requireSample(training, samples);
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
            if (!(fraction > 0 && fraction < 1)) {
                throw new IllegalArgumentException("fraction must be in (0, 1), got " + fraction);
            }
            this.residualFraction = fraction;
            return this;
        }

        public Builder failFast(boolean failFast) {
            this.failFast = failFast;
            return this;
        }

        /** @throws IllegalArgumentException if the JSON-lines file is a directory */
        public SeparationListener build() {
            if (jsonLines != null && Files.isDirectory(jsonLines)) {
                throw new IllegalArgumentException("jsonLines " + jsonLines + " is a directory; give a file");
            }
            return new SeparationListener(this);
        }
    }
}
