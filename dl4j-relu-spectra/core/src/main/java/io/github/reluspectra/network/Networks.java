package io.github.reluspectra.network;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What listeners need of a DL4J {@link Model}, for both network types. */
public final class Networks {

    private Networks() {}

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

    /**
     * The precision the model is analysed in unless asked otherwise: DOUBLE for a double network, FLOAT for any
     * other. Float halves the memory each product reads, and a float network's parameters hold no more digits
     * than float keeps (README, "Precision", for how far the values move).
     */
    public static DataType precision(Model model) {
        INDArray parameters = model.params();
        return parameters != null && parameters.dataType() == DataType.DOUBLE ? DataType.DOUBLE : DataType.FLOAT;
    }

    /** The analysed layers of the model (dense layers and convolutions), detached {@code type} copies. */
    public static List<LayerOperator> layers(Model model, DataType type) {
        return LayerOperators.read(model, type).layers();
    }

    /**
     * How many values one flat input of the network has: the image's {@code h w c} for a network built with
     * {@code InputType.convolutionalFlat} (its first layer unflattens them), else the first layer's input size.
     */
    public static long inputSize(MultiLayerNetwork network) {
        if (network.getLayerWiseConfigurations().getInputPreProcess(0) instanceof FeedForwardToCnnPreProcessor p) {
            return p.getInputHeight() * p.getInputWidth() * p.getNumChannels();
        }
        return network.layerInputSize(0);
    }

    static IllegalArgumentException unsupported(Model model) {
        return new IllegalArgumentException("only MultiLayerNetwork and ComputationGraph are supported, not "
                + (model == null ? "null" : model.getClass().getSimpleName()));
    }

    /**
     * The input of every layer on {@code features} (an inference forward pass), keyed like
     * {@link LayerOperator#name()}: what the layer's operator acts on, after the layer's preprocessor, one
     * sample per row (an image flattened in the layer's own order, see
     * {@link io.github.reluspectra.spectra.ConvolutionGeometry}); for a double layer, the input of its linear
     * part.
     */
    public static Map<String, INDArray> layerInputs(Model model, List<LayerOperator> layers, INDArray features) {
        return layerActivations(model, layers, features).inputs();
    }

    /**
     * Each layer's input (as {@link #layerInputs}) and output, from one inference forward pass: the output is what
     * the layer emits, its activation applied ({@code [ReLU(z); ReLU(-z)]} for a double layer), flattened in the
     * order of the operator's rows, in the network's precision; and the network's output (its first, for a graph)
     * from the same pass.
     */
    public static LayerActivations layerActivations(Model model, List<LayerOperator> layers, INDArray features) {
        Map<String, INDArray> in = new HashMap<>();
        Map<String, INDArray> out = new HashMap<>();
        long batch = features.size(0);
        if (model instanceof MultiLayerNetwork net) {
            List<INDArray> activations = net.feedForward(features, false);
            // activations.get(i) is the input of layer i before its preprocessor (entry 0: the network's input)
            for (LayerOperator layer : layers) {
                in.put(
                        layer.name(),
                        flattened(
                                preprocessed(
                                        net.getLayerWiseConfigurations().getInputPreProcess(layer.index()),
                                        activations.get(layer.index()),
                                        batch),
                                batch));
                out.put(layer.name(), flattened(activations.get(layer.index() + 1), batch));
            }
            return new LayerActivations(in, out, activations.get(activations.size() - 1));
        }
        ComputationGraph graph = (ComputationGraph) model;
        Map<String, INDArray> activations = graph.feedForward(features, false);
        ComputationGraphConfiguration conf = graph.getConfiguration();
        Map<String, List<String>> vertexInputs = conf.getVertexInputs();
        for (LayerOperator layer : layers) {
            String vertex = layer.name();
            if (!graph.getVertex(vertex).hasLayer()) {
                vertex = vertexInputs.get(vertex).get(0); // a double layer: the input of its linear part
            }
            String source = vertexInputs.get(vertex).get(0);
            INDArray x = activations.containsKey(source) ? activations.get(source) : features;
            InputPreProcessor pre =
                    conf.getVertices().get(vertex) instanceof LayerVertex v ? v.getPreProcessor() : null;
            in.put(layer.name(), flattened(preprocessed(pre, x, batch), batch));
            out.put(layer.name(), flattened(activations.get(layer.name()), batch));
        }
        return new LayerActivations(
                in, out, activations.get(conf.getNetworkOutputs().get(0)));
    }

    /** Each layer's input and output on a batch, by layer name, one sample per row, and the network's output. */
    public record LayerActivations(
            Map<String, INDArray> inputs, Map<String, INDArray> outputs, INDArray networkOutput) {}

    private static INDArray preprocessed(InputPreProcessor pre, INDArray x, long batch) {
        return pre == null ? x : pre.preProcess(x, Math.toIntExact(batch), LayerWorkspaceMgr.noWorkspaces());
    }

    /** One sample per row: an image tensor flattened in its own order ({@code 'c'}). */
    private static INDArray flattened(INDArray x, long batch) {
        return x.rank() == 2 ? x : x.dup('c').reshape('c', batch, x.length() / batch);
    }
}
