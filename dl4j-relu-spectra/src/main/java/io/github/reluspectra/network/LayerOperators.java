package io.github.reluspectra.network;

import java.util.ArrayList;
import java.util.List;
import io.github.reluspectra.layers.DoubleLayerVertexImpl;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the dense layers ({@code DenseLayer}, {@code OutputLayer}) of DL4J networks as operators. */
public final class LayerOperators {

    private static final Logger log = LoggerFactory.getLogger(LayerOperators.class);

    private LayerOperators() {
    }

    /** Every dense layer of the network, in order, as {@code type} (for example DOUBLE) copies. */
    public static List<LayerOperator> of(MultiLayerNetwork network, DataType type) {
        List<LayerOperator> out = new ArrayList<>();
        Layer[] layers = network.getLayers();
        for (int i = 0; i < layers.length; i++) {
            String name = layers[i].conf().getLayer().getLayerName();
            addIfDense(out, i, name == null ? "layer" + i : name, layers[i], type);
        }
        return out;
    }

    /**
     * Every dense layer of the graph, in topological order, as {@code type} copies. A dense layer with identity
     * activation whose only consumer is a {@link DoubleLayerVertex} is read with it as one double layer:
     * operator {@code D = [A; -A]}, bias {@code [b; -b]}, activation relu, type {@code DoubleLayer}, named after
     * the vertex.
     */
    public static List<LayerOperator> of(ComputationGraph graph, DataType type) {
        List<LayerOperator> out = new ArrayList<>();
        GraphVertex[] vertices = graph.getVertices();
        int position = 0;
        for (int v : graph.topologicalSortOrder()) {
            GraphVertex vertex = vertices[v];
            if (vertex.hasLayer()) {
                GraphVertex doubler = doubleLayerAfter(graph, vertex);
                if (doubler != null) {
                    out.add(doubleLayer(read(position, vertex.getVertexName(), vertex.getLayer(), type),
                            doubler.getVertexName()));
                } else {
                    addIfDense(out, position, vertex.getVertexName(), vertex.getLayer(), type);
                }
            }
            position++;
        }
        return out;
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
        return new LayerOperator(linear.index(), name, "DoubleLayer", "relu", d, bias);
    }

    /** Whether the layer is one this library reads ({@code DenseLayer} or {@code OutputLayer}). */
    public static boolean isDense(Layer layer) {
        Object conf = layer.conf().getLayer();
        return conf instanceof DenseLayer || conf instanceof OutputLayer;
    }

    /**
     * The operator of one dense layer.
     *
     * @throws IllegalArgumentException naming the layer if it is not dense (finiteness is checked where the
     *                                  operator is analysed, so one bad layer does not hide the others)
     */
    public static LayerOperator read(int index, String name, Layer layer, DataType type) {
        Object conf = layer.conf().getLayer();
        String typeName = conf.getClass().getSimpleName();
        String where = "layer '" + name + "' (index " + index + ", " + typeName + ")";
        if (!isDense(layer)) {
            throw new IllegalArgumentException(where + " is not a DenseLayer or OutputLayer");
        }
        INDArray w = layer.getParam("W");
        if (w == null || w.length() == 0) {
            throw new IllegalArgumentException(where + " has no weights");
        }
        // W is nIn x nOut; the operator is A = W^T. The copy detaches it from any workspace.
        INDArray a = w.transpose().castTo(type).dup('f');
        INDArray b = layer.paramTable().containsKey("b") ? layer.getParam("b").reshape(-1).castTo(type).dup()
                : null;
        return new LayerOperator(index, name, typeName, activationName(((BaseLayer) conf).getActivationFn()), a, b);
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
        return String.valueOf(activation).toLowerCase(java.util.Locale.ROOT);
    }

    private static void addIfDense(List<LayerOperator> out, int index, String name, Layer layer, DataType type) {
        if (isDense(layer)) {
            out.add(read(index, name, layer, type));
        } else {
            log.info("layer '{}' (index {}) is a {}, not a dense layer: not analysed", name, index,
                    layer.conf().getLayer().getClass().getSimpleName());
        }
    }
}
