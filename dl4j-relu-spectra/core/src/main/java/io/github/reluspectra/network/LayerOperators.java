package io.github.reluspectra.network;

import io.github.reluspectra.layers.DoubleLayerVertexImpl;
import io.github.reluspectra.results.LayerKind;
import io.github.reluspectra.results.SkippedLayer;
import io.github.reluspectra.spectra.ConvolutionGeometry;
import io.github.reluspectra.spectra.ConvolutionOperator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one reader of DL4J layers for the analysis, the listeners and both pruning methods. A layer counts when
 * its configuration class is exactly {@code DenseLayer}, {@code OutputLayer} or {@code ConvolutionLayer} (2D):
 * subclasses (center-loss output, 1D, depthwise, separable and transposed convolutions) compute something an
 * operator {@code x -> act(Ax + b)} read this way does not describe. A convolution's operator acts on its
 * input's shape, derived from the network's input type (see {@link LayerInputTypes}). Every other layer is
 * listed as {@link SkippedLayer} with the reason.
 */
public final class LayerOperators {

    private static final Logger log = LoggerFactory.getLogger(LayerOperators.class);
    private static final String WEIGHTS = DefaultParamInitializer.WEIGHT_KEY;
    private static final String BIAS = DefaultParamInitializer.BIAS_KEY;
    /** How the reason of a convolution skipped for want of its input's shape begins. */
    public static final String UNKNOWN_INPUT_SHAPE = "its input shape is unknown";

    private LayerOperators() {}

    /**
     * The analysed and the skipped layers of a {@code MultiLayerNetwork} or {@code ComputationGraph}.
     *
     * @param networkInputs the network's input types (one per graph input), needed only for a network that
     *                      starts with a convolution on 4D input; none: recovered from the configuration
     */
    public static NetworkLayers read(Model model, DataType type, InputType... networkInputs) {
        if (model instanceof MultiLayerNetwork net) {
            return read(net, type, networkInputs.length == 0 ? null : networkInputs[0]);
        }
        if (model instanceof ComputationGraph graph) {
            return read(graph, type, networkInputs.length == 0 ? null : List.of(networkInputs));
        }
        throw Networks.unsupported(model);
    }

    /** Every dense layer of the network, in order, as {@code type} (for example DOUBLE) copies. */
    public static List<LayerOperator> of(MultiLayerNetwork network, DataType type) {
        return read(network, type, (InputType) null).dense();
    }

    /** Every dense layer of the graph, in topological order, as {@code type} copies (see {@link #read(ComputationGraph, DataType, List)}). */
    public static List<LayerOperator> of(ComputationGraph graph, DataType type) {
        return read(graph, type, (List<InputType>) null).dense();
    }

    /** @param networkInput the network's input type, or null to recover it from the configuration */
    public static NetworkLayers read(MultiLayerNetwork network, DataType type, InputType networkInput) {
        List<LayerOperator> analysed = new ArrayList<>();
        List<SkippedLayer> skipped = new ArrayList<>();
        Layer[] layers = network.getLayers();
        InputType[] inputs = LayerInputTypes.of(network, networkInput);
        for (int i = 0; i < layers.length; i++) {
            add(analysed, skipped, i, nameOf(layers[i], "layer" + i), layers[i], inputs[i], type);
        }
        return new NetworkLayers(analysed, skipped);
    }

    /**
     * As {@link #read(MultiLayerNetwork, DataType, InputType)}, in topological order. A dense layer with identity activation
     * whose only consumer is a {@link io.github.reluspectra.layers.DoubleLayerVertex} is read with it as one
     * double layer: operator {@code D = [A; -A]}, bias {@code [b; -b]}, activation relu, type
     * {@code DoubleLayer}, named after the vertex.
     *
     * @param networkInputs the graph's input types in the order of its inputs, or null to recover them
     */
    public static NetworkLayers read(ComputationGraph graph, DataType type, List<InputType> networkInputs) {
        List<LayerOperator> analysed = new ArrayList<>();
        List<SkippedLayer> skipped = new ArrayList<>();
        Map<String, InputType> inputs = LayerInputTypes.of(graph, networkInputs);
        GraphVertex[] vertices = graph.getVertices();
        int position = 0;
        for (int v : graph.topologicalSortOrder()) {
            GraphVertex vertex = vertices[v];
            if (vertex.hasLayer()) {
                GraphVertex doubler = doubleLayerAfter(graph, vertex);
                if (doubler != null) {
                    analysed.add(doubleLayer(
                            read(position, vertex.getVertexName(), vertex.getLayer(), type), doubler.getVertexName()));
                } else {
                    add(
                            analysed,
                            skipped,
                            position,
                            vertex.getVertexName(),
                            vertex.getLayer(),
                            inputs.get(vertex.getVertexName()),
                            type);
                }
            }
            position++;
        }
        return new NetworkLayers(analysed, skipped);
    }

    /** Whether the layer is one this library reads: exactly a {@code DenseLayer} or an {@code OutputLayer}. */
    public static boolean isDense(Layer layer) {
        Class<?> conf = layer.conf().getLayer().getClass();
        return conf == DenseLayer.class || conf == OutputLayer.class;
    }

    /**
     * The operator of one dense layer: {@code A = W^T} ({@code nOut x nIn}) and {@code b}, detached {@code type}
     * copies that outlive the network's workspaces and later updates.
     *
     * @throws IllegalArgumentException naming the layer if it is not dense or has no weights (finiteness is
     *                                  checked where the operator is analysed, so one bad layer does not hide
     *                                  the others)
     */
    public static LayerOperator read(int index, String name, Layer layer, DataType type) {
        Object conf = layer.conf().getLayer();
        String typeName = conf.getClass().getSimpleName();
        String where = LayerOperator.describe(index, name, typeName);
        if (!isDense(layer)) {
            throw new IllegalArgumentException(where + " is not a DenseLayer or OutputLayer");
        }
        INDArray w = layer.getParam(WEIGHTS);
        if (w == null || w.length() == 0) {
            throw new IllegalArgumentException(where + " has no weights");
        }
        INDArray a = w.transpose().castTo(type).dup('f');
        INDArray b = layer.paramTable().containsKey(BIAS)
                ? layer.getParam(BIAS).reshape(-1).castTo(type).dup()
                : null;
        IActivation activation = ((BaseLayer) conf).getActivationFn();
        LayerKind kind = conf.getClass() == OutputLayer.class ? LayerKind.OUTPUT : LayerKind.DENSE;
        return new LayerOperator(index, name, kind, activationName(activation), isPlainRelu(activation), a, b);
    }

    /** The layer's configured name, or {@code fallback} when it has none. */
    public static String nameOf(Layer layer, String fallback) {
        String name = layer.conf().getLayer().getLayerName();
        return name == null ? fallback : name;
    }

    /** The DoubleLayerVertex that is the only consumer of an identity dense layer, or null. */
    private static GraphVertex doubleLayerAfter(ComputationGraph graph, GraphVertex vertex) {
        if (!isDense(vertex.getLayer())
                || vertex.getOutputVertices() == null
                || vertex.getOutputVertices().length != 1) {
            return null;
        }
        Object conf = vertex.getLayer().conf().getLayer();
        if (!(((BaseLayer) conf).getActivationFn() instanceof ActivationIdentity)) {
            return null;
        }
        GraphVertex next = graph.getVertices()[vertex.getOutputVertices()[0].getVertexIndex()];
        return next instanceof DoubleLayerVertexImpl ? next : null;
    }

    private static LayerOperator doubleLayer(LayerOperator linear, String name) {
        INDArray d = Nd4j.vstack(linear.weights(), linear.weights().neg()).dup('f');
        INDArray bias = linear.bias() == null
                ? null
                : Nd4j.concat(0, linear.bias(), linear.bias().neg());
        return new LayerOperator(linear.index(), name, LayerKind.DOUBLE_LAYER, "relu", true, d, bias);
    }

    /**
     * The activation's name as DL4J prints it, except that DL4J prints every {@link ActivationReLU} as
     * {@code relu}, capped, thresholded and leaky ones too: those are named with their settings, so that only
     * the plain ReLU counts as one ({@link LayerOperator#isRelu()}).
     */
    static String activationName(IActivation activation) {
        if (activation instanceof ActivationReLU relu) {
            List<String> settings = new ArrayList<>();
            if (relu.getMax() != null && relu.getMax() < Double.POSITIVE_INFINITY) {
                settings.add("max=" + relu.getMax());
            }
            if (relu.getThreshold() != null && relu.getThreshold() != 0) {
                settings.add("threshold=" + relu.getThreshold());
            }
            if (relu.getNegativeSlope() != null && relu.getNegativeSlope() != 0) {
                settings.add("negativeSlope=" + relu.getNegativeSlope());
            }
            if (!settings.isEmpty()) {
                return "relu(" + String.join(", ", settings) + ")";
            }
        }
        return String.valueOf(activation).toLowerCase(Locale.ROOT);
    }

    /** The plain ReLU: DL4J's {@link ActivationReLU} without a cap, threshold or negative slope. */
    static boolean isPlainRelu(IActivation activation) {
        return activation instanceof ActivationReLU relu
                && (relu.getMax() == null || relu.getMax() == Double.POSITIVE_INFINITY)
                && (relu.getThreshold() == null || relu.getThreshold() == 0)
                && (relu.getNegativeSlope() == null || relu.getNegativeSlope() == 0);
    }

    /** Whether the layer is exactly a 2D {@code ConvolutionLayer}. */
    public static boolean isConvolution(Layer layer) {
        return layer.conf().getLayer().getClass() == ConvolutionLayer.class;
    }

    /**
     * The operator of one 2D convolution on its input type {@code input}: the kernel as a detached {@code type}
     * copy, the geometry as DL4J computes the layer's forward pass, each channel's bias repeated over its output
     * positions.
     *
     * @throws IllegalArgumentException naming the layer if it is not a 2D convolution or its input is not an image
     */
    public static LayerOperator readConvolution(int index, String name, Layer layer, InputType input, DataType type) {
        Object conf = layer.conf().getLayer();
        String where = LayerOperator.describe(index, name, conf.getClass().getSimpleName());
        if (!isConvolution(layer)) {
            throw new IllegalArgumentException(where + " is not a ConvolutionLayer");
        }
        if (!(input instanceof InputType.InputTypeConvolutional image)) {
            throw new IllegalArgumentException(where + " has input type " + input + ", not an image");
        }
        ConvolutionLayer c = (ConvolutionLayer) conf;
        var out = (InputType.InputTypeConvolutional) c.getOutputType(index, image);
        int[] in = {Math.toIntExact(image.getHeight()), Math.toIntExact(image.getWidth())};
        int[] outSize = {Math.toIntExact(out.getHeight()), Math.toIntExact(out.getWidth())};
        boolean same = c.getConvolutionMode() == ConvolutionMode.Same;
        int[] pad = same
                ? ConvolutionUtils.getSameModeTopLeftPadding(
                        outSize, in, c.getKernelSize(), c.getStride(), c.getDilation())
                : c.getPadding();
        var geometry = new ConvolutionGeometry(
                Math.toIntExact(image.getChannels()),
                in[0],
                in[1],
                Math.toIntExact(out.getChannels()),
                outSize[0],
                outSize[1],
                c.getKernelSize()[0],
                c.getKernelSize()[1],
                c.getStride()[0],
                c.getStride()[1],
                pad[0],
                pad[1],
                c.getDilation()[0],
                c.getDilation()[1],
                same,
                c.getCnn2dDataFormat() == CNN2DFormat.NHWC);
        var operator = new ConvolutionOperator(
                layer.getParam(ConvolutionParamInitializer.WEIGHT_KEY).castTo(type), geometry);
        INDArray bias = layer.paramTable().containsKey(ConvolutionParamInitializer.BIAS_KEY)
                ? perPosition(
                        layer.getParam(ConvolutionParamInitializer.BIAS_KEY)
                                .reshape(-1)
                                .castTo(type),
                        geometry)
                : null;
        return new LayerOperator(
                index,
                name,
                LayerKind.CONVOLUTION,
                activationName(c.getActivationFn()),
                isPlainRelu(c.getActivationFn()),
                null,
                bias,
                operator);
    }

    /** Each channel's bias at each output position, in the operator's order of coordinates. */
    private static INDArray perPosition(INDArray channelBias, ConvolutionGeometry g) {
        long positions = (long) g.outHeight() * g.outWidth();
        INDArray grid = g.channelsLast()
                ? channelBias.reshape(1, g.outChannels()).broadcast(positions, g.outChannels())
                : channelBias.reshape(g.outChannels(), 1).broadcast(g.outChannels(), positions);
        return grid.dup('c').reshape(-1);
    }

    private static void add(
            List<LayerOperator> analysed,
            List<SkippedLayer> skipped,
            int index,
            String name,
            Layer layer,
            InputType input,
            DataType type) {
        if (isDense(layer)) {
            analysed.add(read(index, name, layer, type));
            return;
        }
        if (isConvolution(layer) && input instanceof InputType.InputTypeConvolutional) {
            analysed.add(readConvolution(index, name, layer, input, type));
            return;
        }
        String typeName = layer.conf().getLayer().getClass().getSimpleName();
        SkippedLayer skip = new SkippedLayer(index, name, typeName, skipReason(layer, input));
        skipped.add(skip);
        log.debug("{}", skip);
    }

    private static String skipReason(Layer layer, InputType input) {
        if (isConvolution(layer)) {
            return input == null
                    ? UNKNOWN_INPUT_SHAPE + ": the model does not record it (a network built "
                            + "with InputType.convolutional and no preprocessor); give the network's input type"
                    : "its input type " + input + " is not an image";
        }
        if (layer.numParams() == 0) {
            return "it has no parameters (not a linear operator of its own)";
        }
        return layer.conf().getLayer() instanceof ConvolutionLayer
                ? "only 2D ConvolutionLayer is analysed among convolutions; this variant computes another operator"
                : "only DenseLayer, OutputLayer and ConvolutionLayer are analysed";
    }
}
