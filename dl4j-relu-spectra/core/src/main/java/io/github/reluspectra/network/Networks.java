package io.github.reluspectra.network;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What listeners need of a DL4J {@link Model}, for both network types. */
public final class Networks {

    private Networks() {
    }

    /** The epoch that is ending (0-based: DL4J counts it up after its epoch-end listeners ran). */
    public static int epoch(Model model) {
        if (model instanceof MultiLayerNetwork net) {
            return net.getLayerWiseConfigurations().getEpochCount();
        }
        if (model instanceof ComputationGraph graph) {
            return graph.getConfiguration().getEpochCount();
        }
        throw unsupported(model);
    }

    public static int iteration(Model model) {
        if (model instanceof MultiLayerNetwork net) {
            return net.getLayerWiseConfigurations().getIterationCount();
        }
        if (model instanceof ComputationGraph graph) {
            return graph.getConfiguration().getIterationCount();
        }
        throw unsupported(model);
    }

    /** The dense layers of the model, detached {@code type} copies. */
    public static List<LayerOperator> denseLayers(Model model, DataType type) {
        return LayerOperators.read(model, type).dense();
    }

    static IllegalArgumentException unsupported(Model model) {
        return new IllegalArgumentException("only MultiLayerNetwork and ComputationGraph are supported, not "
                + (model == null ? "null" : model.getClass().getSimpleName()));
    }

    /**
     * The input of every dense layer on {@code features} (an inference forward pass), keyed like
     * {@link LayerOperator#name()}; for a double layer, the input of its linear part.
     */
    public static Map<String, INDArray> layerInputs(Model model, List<LayerOperator> layers, INDArray features) {
        Map<String, INDArray> out = new HashMap<>();
        if (model instanceof MultiLayerNetwork net) {
            List<INDArray> activations = net.feedForward(features, false);
            // activations.get(i) is the input of layer i (entry 0 is the network's input)
            for (LayerOperator layer : layers) {
                out.put(layer.name(), activations.get(layer.index()));
            }
            return out;
        }
        ComputationGraph graph = (ComputationGraph) model;
        Map<String, INDArray> activations = graph.feedForward(features, false);
        Map<String, List<String>> vertexInputs = graph.getConfiguration().getVertexInputs();
        for (LayerOperator layer : layers) {
            String source = vertexInputs.get(layer.name()).get(0);
            if (!graph.getVertex(layer.name()).hasLayer()) {
                source = vertexInputs.get(source).get(0);  // a double layer: the input of its linear part
            }
            out.put(layer.name(), activations.containsKey(source) ? activations.get(source) : features);
        }
        return out;
    }
}
