package io.github.reluspectra.pruning;

import io.github.reluspectra.network.LayerOperator;
import io.github.reluspectra.network.LayerOperators;
import io.github.reluspectra.network.NetworkLayers;
import io.github.reluspectra.network.Networks;
import io.github.reluspectra.results.SkippedLayer;
import io.github.reluspectra.spectra.ConvolutionGeometry;
import io.github.reluspectra.spectra.ConvolutionOperator;
import io.github.reluspectra.spectra.FitObjective;
import io.github.reluspectra.spectra.ReluFitOptions;
import io.github.reluspectra.spectra.ReluSingularValues;
import io.github.reluspectra.spectra.ReluValuesOverData;
import io.github.reluspectra.spectra.ReplacementError;
import io.github.reluspectra.spectra.SequentialReluOptions;
import io.github.reluspectra.spectra.SequentialReluSpectrum;
import io.github.reluspectra.spectra.SequentialReluValues;
import io.github.reluspectra.spectra.SingularValues;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.layers.BaseOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Harmonic pruning (definitions §6): each selected dense layer {@code x -> act(A x + b)} keeps the projection of its
 * input on r leading harmonics, {@code A_r = A B_r B_r^T}, with {@code B_r} the top-r right singular vectors
 * (SVD basis) or ReLU singular vectors (ReLU basis). Where {@code r (n + m) < n m} the layer becomes
 * {@code Dense(n -> r, identity, no bias, B_r)} then {@code Dense(r -> m, act, A B_r, b)}; otherwise one layer
 * with weights {@code A_r}. Ranks come from the classical singular values in both bases.
 *
 * <p>The fitted basis (definitions §6, P3) fits each layer through its ReLU ({@link ReluReconstruction}, after
 * Zhang et al.'s nonlinear reconstruction): from the whitened closed form on the inputs the layer sees once the
 * earlier selected layers are pruned, a few hundred Adam steps on the squared error after the ReLU against the
 * original layer's outputs (for the layer that feeds the output layer, of the logits they give: {@link FitTarget}),
 * bias free; layer by layer, so that each corrects the error it receives. It becomes
 * {@code Dense(n -> r, identity, no bias, M^T)} then {@code Dense(r -> m, act, W^T, c)}. Its ranks come from the
 * same policies, and under a budget from the ReLU singular values over data ({@link ReluSingularValues}), or
 * from a tolerance on {@code s_{k,X} / s_{0,X}}.
 *
 * <p>A 2D convolution is the same map on patches: its kernel {@code [c', c, kh, kw]} is {@code A}, {@code c' x
 * (c kh kw)}, fitted on its calibration patches ({@link CalibrationInputs}); split, it becomes a convolution to r
 * channels with the original kernel size, stride, padding and dilation, then a 1x1 convolution to {@code c'}
 * ({@link NetworkRewrite}). Budgets count the kernels' weights with the dense layers'.
 *
 * <p>The input network is not modified. The new network keeps every layer's configuration (activation,
 * regularisation, dropout, updater settings); a split layer's dropout stays on its first half. Not kept:
 * the updater's state (the new network starts with a fresh one) and the iteration and epoch counts.
 */
public final class HarmonicPruningTransform implements PruningMethod {

    /** How the refusal of a network without prunable layers begins. */
    public static final String NOTHING_TO_PRUNE = "nothing to prune: ";

    private static final Logger log = LoggerFactory.getLogger(HarmonicPruningTransform.class);

    private final Basis basis;
    private final RankPolicy policy;
    private final boolean includeOutput;
    private final SequentialReluOptions reluOptions;
    private final ReluFitOptions fitOptions;
    private final FitTarget fitTarget;
    private final INDArray data;
    private final boolean convolutions;
    private final InputType inputType;

    private HarmonicPruningTransform(Builder b) {
        this.basis = b.basis;
        this.policy = b.policy;
        this.includeOutput = b.includeOutput;
        this.reluOptions = b.reluOptions;
        this.fitOptions = b.fitOptions;
        this.fitTarget = b.fitTarget;
        this.data = b.data;
        this.convolutions = b.convolutions;
        this.inputType = b.inputType;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String toString() {
        return "harmonic pruning, " + basis + " basis, " + policy + ", output layer "
                + (includeOutput ? "pruned" : "kept") + (convolutions ? "" : ", convolutions kept")
                + (basis == Basis.RELU ? ", search " + reluOptions : "")
                + (basis == Basis.FITTED ? ", target " + fitTarget + ", values over data " + fitOptions : "")
                + (basis.needsData() ? " on " + data.rows() + " inputs" : "");
    }

    /**
     * A layer chosen for pruning with its spectrum: a dense layer's {@code A} ({@code m x n}), or a convolution's
     * kernel as the map from one patch to one position's channels ({@code c' x (c kh kw)}) and its channels' bias.
     */
    private record Selected(LayerOperator layer, INDArray a, INDArray bias, SingularValues.RightSingular svd) {
        int index() {
            return layer.index();
        }

        String name() {
            return layer.name();
        }

        boolean relu() {
            return layer.isRelu();
        }

        ConvolutionGeometry convolution() {
            return layer.linear() instanceof ConvolutionOperator conv ? conv.geometry() : null;
        }

        long n() {
            return a.columns();
        }

        long m() {
            return a.rows();
        }
    }

    @Override
    public PruningResult transform(MultiLayerNetwork network) {
        List<Selected> selected = select(network);
        RankAllocation allocation =
                policy instanceof RankPolicy.Budget budget ? budget.allocation().resolve(basis) : null;
        boolean fromValues = allocation == RankAllocation.VALUES_OVER_DATA;
        Map<Integer, INDArray> inputs = basis.needsData() || fromValues ? layerInputs(network, selected) : Map.of();
        Map<Integer, ReluValuesOverData> ladders = fromValues ? ladders(selected, inputs) : Map.of();
        int[] ranks = policy instanceof RankPolicy.Tolerance
                ? new int[selected.size()]
                : fromValues
                        ? RankChoice.fromValues(
                                shapes(selected),
                                selected.stream()
                                        .map(l -> ladders.get(l.index()))
                                        .toList(),
                                ((RankPolicy.Budget) policy).fraction())
                        : RankChoice.fromSpectra(shapes(selected), policy, basis);
        List<LayerPruning> report = new ArrayList<>();
        List<NetworkRewrite.Replacement> replacements = new ArrayList<>();
        Map<Integer, INDArray> newBiases = new HashMap<>();
        // the fitted basis calibrates layer by layer: a copy of the network with the layers pruned so far
        MultiLayerNetwork calibrated = basis == Basis.FITTED ? network.clone() : null;
        boolean logitsFitted = false;
        for (int i = 0; i < selected.size(); i++) {
            Selected s = selected.get(i);
            // L = W M with W = A B_r, M = B_r^T for the harmonic bases, or the fitted or closed-form factors.
            INDArray layerInputs = inputs.get(s.index());
            INDArray readout =
                    basis == Basis.FITTED && fitTarget == FitTarget.LOGITS && s.relu() ? readout(network, s) : null;
            logitsFitted |= readout != null;
            INDArray[] factors = switch (basis) {
                case FITTED ->
                    fitted(
                            s,
                            fittedRank(s, ranks[i], layerInputs, ladders.get(s.index())),
                            layerInputs,
                            i == 0
                                    ? layerInputs
                                    : CalibrationInputs.of(calibrated, List.of(s.layer()), data)
                                            .get(s.index()),
                            readout,
                            newBiases);
                case WHITENED ->
                    closedForm(s, DataAwareLowRank.whitened(s.a(), s.bias(), layerInputs, ranks[i]), newBiases);
                case ACTIVATION_SCALED ->
                    closedForm(s, DataAwareLowRank.activationScaled(s.a(), s.bias(), layerInputs, ranks[i]), newBiases);
                case SVD, RELU -> harmonic(s, ranks[i]);
            };
            INDArray w = factors[0];
            INDArray m = factors[1];
            int r = Math.toIntExact(m.rows());
            double energy = square(w.mmul(m).norm2Number().doubleValue())
                    / Math.max(square(s.a().norm2Number().doubleValue()), Double.MIN_NORMAL);
            boolean split = (long) r * (s.n() + s.m()) < s.n() * s.m();
            long bias = s.bias() == null ? 0 : s.m();
            long before = s.n() * s.m() + bias;
            long after = split ? r * (s.n() + s.m()) + bias : before;
            ReplacementError overData = basis.needsData() && s.relu()
                    ? ReplacementError.of(
                            s.a(),
                            s.bias(),
                            layerInputs,
                            w,
                            m,
                            newBiases.containsKey(s.index()) ? newBiases.get(s.index()) : s.bias())
                    : null;
            if (overData != null) {
                log.info(
                        "layer '{}': rank {} on {} calibration {}: max error {} ({} of s_0,X), rms {}",
                        s.name(),
                        r,
                        layerInputs.rows(),
                        s.convolution() == null ? "inputs" : "patches",
                        String.format(java.util.Locale.ROOT, "%.4g", overData.value()),
                        String.format(java.util.Locale.ROOT, "%.4f", overData.relative()),
                        String.format(java.util.Locale.ROOT, "%.4g", overData.rms()));
            }
            LayerPruning pruning = new LayerPruning(
                    s.index(), s.name(), s.layer().kind(), s.n(), s.m(), r, before, after, energy, split, overData);
            report.add(pruning);
            NetworkRewrite.Replacement replacement =
                    new NetworkRewrite.Replacement(pruning, w, m, newBiases.get(s.index()), s.convolution());
            replacements.add(replacement);
            if (calibrated != null) {
                NetworkRewrite.setUnsplit(calibrated, replacement);
            }
        }
        MultiLayerNetwork pruned = NetworkRewrite.rebuild(network, replacements);
        String method = switch (basis) {
            case FITTED ->
                "fitted (through the ReLU from the whitened SVD, calibrated layer by layer"
                        + (logitsFitted ? "; the layer before the output layer to its logits)" : ")");
            case WHITENED -> "whitened SVD (closed form over data, mean folded into the bias)";
            case ACTIVATION_SCALED -> "activation-scaled SVD (ASVD, alpha " + DataAwareLowRank.ACTIVATION_ALPHA + ")";
            case SVD, RELU -> "harmonic (" + basis + " basis)";
        };
        PruningReport result = new PruningReport(
                method, policy.toString(), List.copyOf(report), network.numParams(), pruned.numParams());
        log.info(
                "{}, {}: {} -> {} parameters of the pruned layers ({}x), {} -> {} in the network ({}x)",
                method,
                policy,
                result.paramsBefore(),
                result.paramsAfter(),
                String.format("%.2f", result.compression()),
                result.networkParamsBefore(),
                result.networkParamsAfter(),
                String.format("%.2f", result.networkCompression()));
        return new PruningResult(pruned, result, null);
    }

    private static List<RankChoice.Shape> shapes(List<Selected> selected) {
        return selected.stream()
                .map(l -> new RankChoice.Shape(l.n(), l.m(), l.svd().values()))
                .toList();
    }

    /** The closed form's factors; its bias, where it has a new one, goes to {@code biases}. */
    private static INDArray[] closedForm(Selected s, DataAwareLowRank.Factors f, Map<Integer, INDArray> biases) {
        if (f.bias() != null) {
            biases.put(s.index(), f.bias().reshape(1, s.m()));
        }
        return new INDArray[] {f.w(), f.m()};
    }

    /** {@code W = A B_r}, {@code M = B_r^T}: the input projected on the r leading harmonics. */
    private INDArray[] harmonic(Selected s, int r) {
        INDArray basisVectors = basis(s, r);
        return new INDArray[] {s.a().mmul(basisVectors), basisVectors.transpose()};
    }

    /**
     * The fitted basis's rank: r, or with a tolerance policy the smallest rank of the ladder 1, 2, 4, ... with
     * {@code s_{k,X} <= t s_{0,X}} on the layer's own inputs; at least 1 (a layer keeps one dimension).
     */
    private int fittedRank(Selected s, int r, INDArray inputs, ReluValuesOverData ladder) {
        int max = Math.toIntExact(Math.min(s.n(), s.m()));
        if (!(policy instanceof RankPolicy.Tolerance t)) {
            return Math.max(1, Math.min(r, max));
        }
        ReluValuesOverData values = ladder != null
                ? ladder
                : ReluSingularValues.compute(
                        s.a(),
                        s.bias(),
                        inputs,
                        fitOptions.toBuilder().ranks(ladder(max)).build());
        int k = Math.max(1, values.smallestRankWithin(t.fraction()));
        log.info(
                "layer '{}': rank {}: s_k,X = {} (s_0,X = {})",
                s.name(),
                k,
                values.fit(k) == null ? "-" : values.fit(k).value(),
                values.values()[0]);
        return k;
    }

    /**
     * The fitted rank-r replacement ({@link ReluReconstruction}): the whitened closed form on the inputs the layer
     * sees once the earlier layers are pruned ({@code seen}), refined through the ReLU toward the original layer's
     * outputs on its own inputs (as the output layer reads them, {@code readout}, if not null); a layer whose
     * activation is not the plain ReLU keeps the whitened start. Its new bias goes to {@code biases}.
     */
    private static INDArray[] fitted(
            Selected s, int r, INDArray original, INDArray seen, INDArray readout, Map<Integer, INDArray> biases) {
        DataAwareLowRank.Factors start = DataAwareLowRank.whitened(s.a(), s.bias(), seen, r);
        if (!s.relu()) {
            log.info(
                    "layer '{}': {} activation, not the ReLU: the whitened SVD on its calibration inputs, not "
                            + "refined",
                    s.name(),
                    s.layer().activation());
            return closedForm(s, start, biases);
        }
        INDArray targets = ReplacementError.target(s.a(), s.bias(), original);
        long t0 = System.nanoTime();
        DataAwareLowRank.Factors fitted = ReluReconstruction.refine(start, seen, targets, readout);
        log.info(
                "layer '{}': rank {} fitted through the ReLU{} on {} calibration {} ({} s{})",
                s.name(),
                r,
                readout == null ? "" : " to the output layer's logits",
                seen.rows(),
                s.convolution() == null ? "inputs" : "patches",
                String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9),
                fitted == start ? "; no step improved on the whitened start" : "");
        return closedForm(s, fitted, biases);
    }

    /**
     * The output layer's weights {@code V} ({@code m x p}, the network's own array: {@link ReluReconstruction}
     * reads a single-precision copy) if {@code s} is a dense layer that feeds the network's output layer directly
     * (the next and last layer, a dense output layer with no preprocessor before it): what
     * {@link FitTarget#LOGITS} fits that layer through; otherwise null.
     */
    private static INDArray readout(MultiLayerNetwork network, Selected s) {
        int last = network.getnLayers() - 1;
        if (s.convolution() != null
                || s.index() != last - 1
                || network.getLayerWiseConfigurations().getInputPreProcess(last) != null
                || !(network.getLayer(last) instanceof BaseOutputLayer<?> output)) {
            return null;
        }
        INDArray v = output.getParam(DefaultParamInitializer.WEIGHT_KEY);
        return v == null || v.rank() != 2 || v.rows() != s.m() ? null : v;
    }

    /** 0, 1, 2, 4, ... up to {@code max}, which is included. */
    private static int[] ladder(int max) {
        List<Integer> ranks = new ArrayList<>(List.of(0));
        for (int k = 1; k < max; k *= 2) {
            ranks.add(k);
        }
        ranks.add(max);
        return ranks.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The calibration inputs of every selected layer on the data ({@link CalibrationInputs}), by layer index. */
    private Map<Integer, INDArray> layerInputs(MultiLayerNetwork network, List<Selected> selected) {
        if (data == null) {
            throw new IllegalStateException(
                    "the " + basis + " basis needs data: pass the training inputs with " + "data(...)");
        }
        // a network on 4D input (an image type given with inputType) takes the images as they are
        if (data.rank() == 2 && data.columns() != Networks.inputSize(network)) {
            throw new IllegalArgumentException("the data have " + data.columns() + " values per input, but the "
                    + "network takes " + Networks.inputSize(network));
        }
        return CalibrationInputs.of(
                network, selected.stream().map(Selected::layer).toList(), data);
    }

    /**
     * The dense layers (the output layer if asked) and, unless left out, the 2D convolutions.
     *
     * @throws IllegalArgumentException if no layer is to be pruned: a copy would be no smaller
     */
    private List<Selected> select(MultiLayerNetwork network) {
        NetworkLayers layers = LayerOperators.read(network, DataType.DOUBLE, inputType);
        List<LayerOperator> candidates = layers.layers().stream()
                .filter(l -> l.isConvolution() ? convolutions : includeOutput || !l.isOutputLayer())
                .toList();
        for (SkippedLayer skipped : layers.skipped()) {
            if (convolutions && skipped.reason().startsWith(LayerOperators.UNKNOWN_INPUT_SHAPE)) {
                log.warn("{}: not pruned, {} (give it with inputType(...))", skipped.name(), skipped.reason());
            }
        }
        if (candidates.isEmpty()) {
            boolean onlyOutput = layers.layers().stream().anyMatch(LayerOperator::isOutputLayer);
            throw new IllegalArgumentException(NOTHING_TO_PRUNE
                    + (onlyOutput
                            ? "its only dense layer is the output " + "layer, which is pruned only when asked"
                            : convolutions
                                    ? "it has no DenseLayer, OutputLayer or " + "ConvolutionLayer"
                                    : "it has no DenseLayer or OutputLayer (its convolutions are kept)"));
        }
        List<Selected> out = new ArrayList<>();
        for (LayerOperator layer : candidates) {
            try {
                INDArray a = layer.linear() instanceof ConvolutionOperator conv ? conv.kernelMatrix() : layer.weights();
                INDArray bias = layer.isConvolution() ? channelBias(network, layer) : layer.bias();
                out.add(new Selected(layer, a, bias, SingularValues.withRightVectors(a)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(layer.describe() + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** A convolution's bias, one entry per output channel, in double; null without one. */
    private static INDArray channelBias(MultiLayerNetwork network, LayerOperator layer) {
        INDArray b = network.getLayer(layer.index()).paramTable().get(DefaultParamInitializer.BIAS_KEY);
        return b == null ? null : b.reshape(-1).castTo(DataType.DOUBLE).dup();
    }

    /** Each layer's values over data on the ranks of {@link LadderAllocation#ranks}, by layer index. */
    private Map<Integer, ReluValuesOverData> ladders(List<Selected> selected, Map<Integer, INDArray> inputs) {
        Map<Integer, ReluValuesOverData> out = new HashMap<>();
        for (Selected s : selected) {
            ReluValuesOverData values = ReluSingularValues.compute(
                    s.a(),
                    s.bias(),
                    inputs.get(s.index()),
                    fitOptions.toBuilder()
                            .ranks(LadderAllocation.ranks(s.n(), s.m()))
                            .build());
            log.info(
                    "layer '{}': ladder of s_k,X / s_0,X over ranks {}: {} ({} s)",
                    s.name(),
                    java.util.Arrays.toString(values.ranks()),
                    relative(values.values()),
                    String.format(java.util.Locale.ROOT, "%.1f", values.seconds()));
            out.put(s.index(), values);
        }
        return out;
    }

    private static String relative(double[] values) {
        StringBuilder out = new StringBuilder("[");
        for (int k = 0; k < values.length; k++) {
            out.append(k == 0 ? "" : ", ")
                    .append(String.format(
                            java.util.Locale.ROOT, "%.3f", values[k] / Math.max(values[0], Double.MIN_NORMAL)));
        }
        return out.append(']').toString();
    }

    /** B_r, n x r: the top-r right singular vectors or sequential ReLU singular vectors. */
    private INDArray basis(Selected s, int r) {
        if (basis == Basis.SVD) {
            return s.svd()
                    .vectors()
                    .get(NDArrayIndex.all(), NDArrayIndex.interval(0, r))
                    .dup('f');
        }
        SequentialReluSpectrum relu = SequentialReluValues.compute(
                s.a(), s.svd().values(), reluOptions.toBuilder().topK(r).build());
        if (!relu.converged()) {
            log.warn(
                    "layer '{}': {} of {} ReLU basis vectors did not converge within maxIterationsPerValue = {}; "
                            + "the basis is still orthonormal, its vectors may lie short of their local maxima",
                    s.name(),
                    relu.unconverged(),
                    relu.size(),
                    reluOptions.maxIterationsPerValue());
        }
        return relu.vectors();
    }

    private static double square(double x) {
        return x * x;
    }

    /** Defaults: SVD basis, energy 0.9, hidden layers only. */
    public static final class Builder {
        private Basis basis = Basis.SVD;
        private RankPolicy policy = RankPolicy.energy(0.9);
        private boolean includeOutput;
        private SequentialReluOptions reluOptions =
                SequentialReluOptions.builder().build();
        /** The values over data that set the fitted basis's ranks (budget, tolerance): their fit's mean square. */
        private ReluFitOptions fitOptions = ReluFitOptions.builder()
                .objective(FitObjective.MEAN_SQUARED_ERROR)
                .build();

        private FitTarget fitTarget = FitTarget.LOGITS;
        private INDArray data;
        private boolean convolutions = true;
        private InputType inputType;

        public Builder basis(Basis basis) {
            this.basis = basis;
            return this;
        }

        public Builder policy(RankPolicy policy) {
            this.policy = policy;
            return this;
        }

        public Builder rank(int r) {
            return policy(RankPolicy.rank(r));
        }

        public Builder energy(double fraction) {
            return policy(RankPolicy.energy(fraction));
        }

        /** A global budget, ranks allocated as the basis suggests ({@link RankAllocation#BY_BASIS}). */
        public Builder budget(double fraction) {
            return policy(RankPolicy.budget(fraction));
        }

        public Builder budget(double fraction, RankAllocation allocation) {
            return policy(RankPolicy.budget(fraction, allocation));
        }

        /** Also prune the output layer (off by default). */
        public Builder includeOutput(boolean includeOutput) {
            this.includeOutput = includeOutput;
            return this;
        }

        /**
         * The network's input type, for a network that starts with a convolution on 4D input: the model does not
         * record its image shape, and without it such convolutions are left as they are (with a WARN). Networks
         * built with {@code InputType.convolutionalFlat} or starting with a dense layer need none.
         */
        public Builder inputType(InputType type) {
            this.inputType = type;
            return this;
        }

        /**
         * Also prune the 2D convolutions (on by default): each kernel {@code [c', c, kh, kw]} as the map from a
         * {@code c kh kw} patch to {@code c'} channels, split into a convolution to r channels and a 1x1 one.
         */
        public Builder convolutions(boolean convolutions) {
            this.convolutions = convolutions;
            return this;
        }

        /** Options of the ReLU basis search (its topK is set per layer to the rank). */
        public Builder reluOptions(SequentialReluOptions options) {
            this.reluOptions = options;
            return this;
        }

        /** Per layer the smallest rank with {@code s_{k,X} <= t s_{0,X}} (the fitted basis only). */
        public Builder tolerance(double t) {
            return policy(RankPolicy.tolerance(t));
        }

        /**
         * Options of the ReLU singular values over data from which the bases fitted on data take their ranks
         * (the ladders of a budget, a tolerance; their ranks are set per layer); by default their fits minimise
         * the mean squared error after the ReLU ({@link FitObjective#MEAN_SQUARED_ERROR}).
         */
        public Builder fitOptions(ReluFitOptions options) {
            this.fitOptions = options;
            return this;
        }

        /**
         * What the fitted basis fits each layer to ({@link FitTarget}; the logits for the layer before the output
         * layer by default). The other bases ignore it.
         */
        public Builder fitTarget(FitTarget target) {
            if (target == null) {
                throw new IllegalArgumentException("fit target must not be null");
            }
            this.fitTarget = target;
            return this;
        }

        /**
         * The training inputs (network inputs, one per row) on which the fitted, whitened and activation-scaled
         * bases fit each layer; they need them, the SVD and ReLU bases ignore them.
         */
        public Builder data(INDArray inputs) {
            this.data = inputs;
            return this;
        }

        /** @throws IllegalStateException for the fitted basis without data, or a tolerance with another basis */
        public HarmonicPruningTransform build() {
            if (basis.needsData() && data == null) {
                throw new IllegalStateException(
                        "the " + basis + " basis needs data: pass the training inputs with " + "data(...)");
            }
            if (policy instanceof RankPolicy.Budget budget
                    && budget.allocation().resolve(basis) == RankAllocation.VALUES_OVER_DATA
                    && data == null) {
                throw new IllegalStateException("a budget allocated from the values over data needs data: pass "
                        + "the training inputs with data(...)");
            }
            if (policy instanceof RankPolicy.Tolerance && basis != Basis.FITTED) {
                throw new IllegalStateException("a tolerance on s_k,X / s_0,X chooses ranks for the fitted basis "
                        + "only, not the " + basis + " basis");
            }
            return new HarmonicPruningTransform(this);
        }
    }
}
