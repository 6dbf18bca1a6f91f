package io.github.reluspectra.network;

import io.github.reluspectra.layers.DoubleLayerVertexImpl;
import io.github.reluspectra.results.LayerAnalysis;
import io.github.reluspectra.results.SkippedLayer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
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
 * its configuration class is exactly {@code DenseLayer} or {@code OutputLayer}: subclasses (center-loss output,
 * for example) carry parameters of their own that an operator {@code x -> act(Ax + b)} does not describe and a
 * rewrite would lose. Every other layer is listed as {@link SkippedLayer} with the reason.
 */
public final class LayerOperators {

    private static final Logger log = LoggerFactory.getLogger(LayerOperators.class);
    private static final String WEIGHTS = DefaultParamInitializer.WEIGHT_KEY;
    private static final String BIAS = DefaultParamInitializer.BIAS_KEY;

    private LayerOperators() {
    }

    /** The dense and the skipped layers of a {@code MultiLayerNetwork} or {@code ComputationGraph}. */
    public static NetworkLayers read(Model model, DataType type) {
        if (model instanceof MultiLayerNetwork net) {
            return read(net, type);
        }
        if (model instanceof ComputationGraph graph) {
            return read(graph, type);
        }
        throw Networks.unsupported(model);
    }

    /** Every dense layer of the network, in order, as {@code type} (for example DOUBLE) copies. */
    public static List<LayerOperator> of(MultiLayerNetwork network, DataType type) {
        return read(network, type).dense();
    }

    /** Every dense layer of the graph, in topological order, as {@code type} copies (see {@link #read(ComputationGraph, DataType)}). */
    public static List<LayerOperator> of(ComputationGraph graph, DataType type) {
        return read(graph, type).dense();
    }

    public static NetworkLayers read(MultiLayerNetwork network, DataType type) {
        List<LayerOperator> dense = new ArrayList<>();
        List<SkippedLayer> skipped = new ArrayList<>();
        Layer[] layers = network.getLayers();
        for (int i = 0; i < layers.length; i++) {
            add(dense, skipped, i, nameOf(layers[i], "layer" + i), layers[i], type);
        }
        return new NetworkLayers(dense, skipped);
    }

    /**
     * As {@link #read(MultiLayerNetwork, DataType)}, in topological order. A dense layer with identity activation
     * whose only consumer is a {@link io.github.reluspectra.layers.DoubleLayerVertex} is read with it as one
     * double layer: operator {@code D = [A; -A]}, bias {@code [b; -b]}, activation relu, type
     * {@value LayerAnalysis#DOUBLE_LAYER}, named after the vertex.
     */
    public static NetworkLayers read(ComputationGraph graph, DataType type) {
        List<LayerOperator> dense = new ArrayList<>();
        List<SkippedLayer> skipped = new ArrayList<>();
        GraphVertex[] vertices = graph.getVertices();
        int position = 0;
        for (int v : graph.topologicalSortOrder()) {
            GraphVertex vertex = vertices[v];
            if (vertex.hasLayer()) {
                GraphVertex doubler = doubleLayerAfter(graph, vertex);
                if (doubler != null) {
                    dense.add(doubleLayer(read(position, vertex.getVertexName(), vertex.getLayer(), type),
                            doubler.getVertexName()));
                } else {
                    add(dense, skipped, position, vertex.getVertexName(), vertex.getLayer(), type);
                }
            }
            position++;
        }
        return new NetworkLayers(dense, skipped);
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
        INDArray b = layer.paramTable().containsKey(BIAS) ? layer.getParam(BIAS).reshape(-1).castTo(type).dup()
                : null;
        return new LayerOperator(index, name, typeName, activationName(((BaseLayer) conf).getActivationFn()), a, b);
    }

    /** The layer's configured name, or {@code fallback} when it has none. */
    public static String nameOf(Layer layer, String fallback) {
        String name = layer.conf().getLayer().getLayerName();
        return name == null ? fallback : name;
    }

    /** The DoubleLayerVertex that is the only consumer of an identity dense layer, or null. */
    private static GraphVertex doubleLayerAfter(ComputationGraph graph, GraphVertex vertex) {
        if (!isDense(vertex.getLayer()) || vertex.getOutputVertices() == null
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
        INDArray bias = linear.bias() == null ? null : Nd4j.concat(0, linear.bias(), linear.bias().neg());
        return new LayerOperator(linear.index(), name, LayerAnalysis.DOUBLE_LAYER, "relu", d, bias);
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

    private static void add(List<LayerOperator> dense, List<SkippedLayer> skipped, int index, String name,
                            Layer layer, DataType type) {
        if (isDense(layer)) {
            dense.add(read(index, name, layer, type));
            return;
        }
        String typeName = layer.conf().getLayer().getClass().getSimpleName();
        SkippedLayer skip = new SkippedLayer(index, name, typeName, layer.numParams() == 0
                ? "it has no parameters (not a linear operator of its own)"
                : "only DenseLayer and OutputLayer are analysed");
        skipped.add(skip);
        log.debug("{}", skip);
    }
}
