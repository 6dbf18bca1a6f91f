package io.github.reluspectra.network;

import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;

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
        if (model instanceof MultiLayerNetwork net) {
            return LayerOperators.of(net, type);
        }
        if (model instanceof ComputationGraph graph) {
            return LayerOperators.of(graph, type);
        }
        throw unsupported(model);
    }

    static IllegalArgumentException unsupported(Model model) {
        return new IllegalArgumentException("only MultiLayerNetwork and ComputationGraph are supported, not "
                + (model == null ? "null" : model.getClass().getSimpleName()));
    }
}
