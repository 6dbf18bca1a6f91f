package io.github.reluspectra.network;

import io.github.reluspectra.results.ConvolutionAnalysis;
import io.github.reluspectra.results.LayerAnalysis;
import io.github.reluspectra.results.PartSeconds;
import io.github.reluspectra.spectra.KernelSlices;
import io.github.reluspectra.spectra.LinearOperator;
import io.github.reluspectra.spectra.MeanWidths;
import io.github.reluspectra.spectra.ReluSingularValues;
import io.github.reluspectra.spectra.ReluValuesOverData;
import io.github.reluspectra.spectra.SequentialReluOptions;
import io.github.reluspectra.spectra.SequentialReluSpectrum;
import io.github.reluspectra.spectra.SequentialReluValues;
import io.github.reluspectra.spectra.TopSingularValues;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes the spectra of every analysed layer of a network (dense layers and 2D convolutions): one
 * {@link LayerAnalysis} per layer. The values over data (definitions §2b) are computed for dense ReLU layers only.
 */
public final class NetworkAnalyzer implements Serializable {

    private static final Logger log = LoggerFactory.getLogger(NetworkAnalyzer.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    /** A convolution gets at least this many classical values, the count its reports compare. */
    static final int CONVOLUTION_MIN_VALUES = 8;

    private final AnalysisOptions options;

    public NetworkAnalyzer(AnalysisOptions options) {
        this.options = options;
        warnIfThreadsSpin();
    }

    /**
     * Once per JVM: on ND4J's CPU backend without {@code OMP_WAIT_POLICY}, libnd4j's OpenMP threads spin between
     * operations and starve OpenBLAS (2.5-5x slower on 2 cores, measured); the variable is read when the native
     * library loads, so only the user can set it.
     */
    private static void warnIfThreadsSpin() {
        if (System.getenv("OMP_WAIT_POLICY") == null
                && Nd4j.getBackend().getClass().getSimpleName().startsWith("Cpu")
                && WARNED.compareAndSet(false, true)) {
            log.warn("OMP_WAIT_POLICY is not set: ND4J's OpenMP threads spin between operations and can make "
                    + "training and analysis several times slower on few cores; start the JVM with "
                    + "OMP_WAIT_POLICY=passive in its environment");
        }
    }

    public AnalysisOptions options() {
        return options;
    }

    /** Every analysed layer: dense layers and 2D convolutions (see {@link LayerOperators}). */
    public List<LayerAnalysis> analyze(MultiLayerNetwork network) {
        return analyze(LayerOperators.read(network, options.dataType(network)).layers());
    }

    public List<LayerAnalysis> analyze(ComputationGraph graph) {
        return analyze(LayerOperators.read(graph, options.dataType(graph)).layers());
    }

    /**
     * Analyses every layer, with the ReLU singular values over data of each dense ReLU layer on the inputs that
     * reach it when {@code inputs} (network inputs, one per row) go through the network.
     *
     * @throws UnfitDataException if the inputs do not fit the network or drive a layer's inputs beyond doubles
     */
    public List<LayerAnalysis> analyze(Model network, INDArray inputs) {
        return analyze(network, Networks.layers(network, options.dataType(network)), inputs);
    }

    /**
     * As {@link #analyze(Model, INDArray)}, for layers already read from the network (for example with its
     * input type given, see {@link LayerOperators#read(Model, org.nd4j.linalg.api.buffer.DataType,
     * org.deeplearning4j.nn.conf.inputs.InputType...)}).
     */
    public List<LayerAnalysis> analyze(Model network, List<LayerOperator> layers, INDArray inputs) {
        return analyze(network, layers, inputs, done -> {});
    }

    /**
     * As {@link #analyze(Model, List, INDArray)}, handing each layer's analysis to {@code progress} as soon as it is
     * done (a tool's progress lines).
     */
    public List<LayerAnalysis> analyze(
            Model network, List<LayerOperator> layers, INDArray inputs, Consumer<LayerAnalysis> progress) {
        Map<String, INDArray> layerInputs;
        try {
            layerInputs = Networks.layerInputs(network, layers, inputs);
        } catch (RuntimeException e) {
            throw new UnfitDataException(
                    "the data do not fit the network (inputs of shape "
                            + java.util.Arrays.toString(java.util.Arrays.copyOfRange(inputs.shape(), 1, inputs.rank()))
                            + "): " + e.getMessage(),
                    e);
        }
        List<LayerAnalysis> out = new ArrayList<>();
        for (LayerOperator layer : layers) {
            LayerAnalysis done = analyze(LayerRequest.of(layer).withInputs(layerInputs.get(layer.name()), null));
            progress.accept(done);
            out.add(done);
        }
        return out;
    }

    /**
     * The fits over data square and sum each layer's inputs: values whose squares overflow (beyond about 1e154)
     * would turn into NaN inside the fit and be blamed on the layer.
     */
    private static void requireSquaresFinite(LayerOperator layer, INDArray x) {
        if (x != null && !Double.isFinite(x.mul(x).sumNumber().doubleValue())) {
            throw new UnfitDataException("the data are too large for " + layer.describe() + ": the squares of its "
                    + "inputs overflow a double (largest |value| " + x.amaxNumber() + ")");
        }
    }

    public List<LayerAnalysis> analyze(List<LayerOperator> layers) {
        List<LayerAnalysis> out = new ArrayList<>();
        for (LayerOperator layer : layers) {
            out.add(analyze(LayerRequest.of(layer)));
        }
        return out;
    }

    /**
     * Analyses one layer as {@code request} says (see {@link LayerRequest}).
     *
     * @throws IllegalArgumentException naming the layer if its operator cannot be analysed
     * @throws UnfitDataException naming the layer if its inputs are too large to square in doubles
     */
    public LayerAnalysis analyze(LayerRequest request) {
        LayerOperator layer = request.layer();
        INDArray warmStart = request.warmStart();
        INDArray warmClassical = request.warmClassical();
        INDArray inputs = request.inputs();
        ReluValuesOverData warmOverData = request.warmOverData();
        long start = System.nanoTime();
        layer.requireFinite();
        requireSquaresFinite(layer, inputs);
        try {
            LinearOperator a = layer.linear(options.biasMode());
            long t0 = System.nanoTime();
            ClassicalValues classical = ClassicalValues.of(
                    layer,
                    options.biasMode(),
                    convolutionValues(a),
                    options.sequential().seed(),
                    warmClassical);
            double[] sigma = classical.values();
            ConvolutionAnalysis convolution =
                    classical.certified() == null ? null : convolutionSpectra(layer, classical.certified());
            requireFinite("singular values", sigma);
            long t1 = System.nanoTime();
            SequentialReluSpectrum relu = null;
            ReluValuesOverData overData = null;
            long t2 = t1;
            if (layer.isRelu()) {
                int topK = options.sequential().topK();
                if (topK != SequentialReluOptions.ALL && topK > a.columns()) {
                    log.info(
                            "{}: {} sequential ReLU values asked for, the layer has {} inputs: {} computed",
                            layer.describe(),
                            topK,
                            a.columns(),
                            a.columns());
                }
                relu = SequentialReluValues.compute(
                        a, sigma, options.sequential().withWarmStart(warmStart), layer.describe());
                requireFinite("sequential ReLU singular values", relu.values());
                warnIfUnconverged(layer, relu);
                t2 = System.nanoTime();
                if (inputs != null && options.overData() != null && !layer.isConvolution()) {
                    overData = valuesOverData(layer, inputs, warmOverData);
                }
            }
            long t3 = System.nanoTime();
            var width = options.width() == null
                    ? null
                    : layer.isRelu() ? MeanWidths.of(a, options.width()) : MeanWidths.linear(a, options.width());
            if (width != null) {
                requireFinite(
                        "mean widths",
                        layer.isRelu() ? new double[] {width.linear(), width.relu()} : new double[] {width.linear()});
            }
            long t4 = System.nanoTime();
            PartSeconds parts = new PartSeconds(
                    (t1 - t0) / 1e9,
                    relu == null ? 0 : (t2 - t1) / 1e9,
                    overData == null ? 0 : (t3 - t2) / 1e9,
                    width == null ? 0 : (t4 - t3) / 1e9);
            return new LayerAnalysis(
                    layer.index(),
                    layer.name(),
                    layer.kind(),
                    layer.activation(),
                    a.columns(),
                    a.rows(),
                    sigma,
                    relu,
                    overData,
                    width,
                    (t4 - start) / 1e9,
                    parts,
                    convolution);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(layer.describe() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Adds the layer's ReLU singular values over its inputs (definitions §2b) to an analysis of it made without
     * them, for callers that decide part by part what to compute (the listeners' cost budget).
     *
     * @param warmOverData the previous values over data of this layer to start their fits from, or null
     * @throws UnfitDataException naming the layer if its inputs are too large to square in doubles
     * @throws IllegalArgumentException naming the layer if the fit fails
     */
    public LayerAnalysis withValuesOverData(
            LayerAnalysis analysis, LayerOperator layer, INDArray inputs, ReluValuesOverData warmOverData) {
        requireSquaresFinite(layer, inputs);
        try {
            return analysis.withOverData(valuesOverData(layer, inputs, warmOverData));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(layer.describe() + ": " + e.getMessage(), e);
        }
    }

    private ReluValuesOverData valuesOverData(LayerOperator layer, INDArray inputs, ReluValuesOverData warm) {
        ReluValuesOverData overData = ReluSingularValues.compute(
                layer.weights(),
                layer.bias(),
                inputs.castTo(layer.weights().dataType()),
                options.overData().withWarmStart(warm));
        requireFinite("ReLU singular values over data", overData.values());
        return overData;
    }

    /**
     * How many classical values a convolution gets: as many as sequential ReLU values are asked for, at least
     * {@value #CONVOLUTION_MIN_VALUES}, at most {@code min(m, n)}.
     */
    private int convolutionValues(LinearOperator a) {
        int topK = options.sequential().topK();
        return (int) Math.min(
                topK == SequentialReluOptions.ALL ? Long.MAX_VALUE : Math.max(topK, CONVOLUTION_MIN_VALUES),
                Math.min(a.rows(), a.columns()));
    }

    /**
     * A convolution's certified top classical values (a warning if they did not converge) and the pooled
     * kernel-slice values beside them.
     */
    private static ConvolutionAnalysis convolutionSpectra(LayerOperator layer, TopSingularValues classical) {
        if (!classical.converged()) {
            log.warn(
                    "{}: the top {} classical singular values did not converge within {} iterations (largest "
                            + "relative residual {}, tolerance {}); they may lie below the true values",
                    layer.describe(),
                    classical.values().length,
                    classical.iterations(),
                    String.format(java.util.Locale.ROOT, "%.2e", classical.maxResidual()),
                    classical.tolerance());
        }
        return new ConvolutionAnalysis(
                layer.convolution().geometry(),
                classical,
                KernelSlices.pooledSingularValues(layer.convolution().kernel()));
    }

    /** A value that did not converge may lie below its local maximum: the user hears of it, with the layer. */
    private static void warnIfUnconverged(LayerOperator layer, SequentialReluSpectrum relu) {
        if (!relu.converged()) {
            double worst = Arrays.stream(relu.residuals()).max().orElse(0);
            log.warn(
                    "{}: {} of {} sequential ReLU values did not converge within maxIterationsPerValue = {} "
                            + "iterations (largest KKT residual {}, tolerance {}); they may lie below their local maxima",
                    layer.describe(),
                    relu.unconverged(),
                    relu.size(),
                    relu.options().maxIterationsPerValue(),
                    String.format(java.util.Locale.ROOT, "%.2e", worst),
                    relu.options().tolerance());
        }
    }

    /** A result beyond the range of doubles (weights near 1e308) is an error, never a number in a report. */
    private static double[] requireFinite(String what, double[] values) {
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(what + " overflow the range of doubles (" + v + ")");
            }
        }
        return values;
    }
}
