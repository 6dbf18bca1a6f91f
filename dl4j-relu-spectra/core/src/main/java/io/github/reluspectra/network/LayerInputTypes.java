package io.github.reluspectra.network;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * What reaches each layer (after its preprocessor), walked forward from the network's input types the way
 * DL4J's configuration computes them, without changing the configuration. A saved network does not keep the
 * input type it was built with; it is recovered from what the first layers say of it: a
 * {@code FeedForwardToCnnPreProcessor} ({@code InputType.convolutionalFlat}) records the image's shape, a
 * dense first layer its width. A network that starts with a convolution on 4D input records neither: its
 * input type has to be given.
 */
final class LayerInputTypes {

    private LayerInputTypes() {
    }

    /**
     * The input type of layer i, after its preprocessor; entries are null where the network's input type is
     * unknown or a layer's output type could not be derived.
     *
     * @param networkInput the network's input type, or null to recover it from the configuration
     */
    static InputType[] of(MultiLayerNetwork network, InputType networkInput) {
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
        int n = conf.getConfs().size();
        InputType[] out = new InputType[n];
        InputType type = networkInput != null ? networkInput
                : n == 0 ? null : recovered(conf.getInputPreProcess(0), conf.getConf(0).getLayer());
        for (int i = 0; i < n && type != null; i++) {
            try {
                InputPreProcessor pre = conf.getInputPreProcess(i);
                out[i] = pre == null ? type : pre.getOutputType(type);
                type = conf.getConf(i).getLayer().getOutputType(i, out[i]);
            } catch (RuntimeException e) {
                break;  // the walk stops here; the layers from i on are unknown
            }
        }
        return out;
    }

    /**
     * The input type of every layer vertex, after its preprocessor, by vertex name (absent where unknown).
     *
     * @param networkInputs the graph's input types in the order of its inputs, or null to recover them
     */
    static Map<String, InputType> of(ComputationGraph graph, List<InputType> networkInputs) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        Map<String, InputType> outputs = new HashMap<>();
        List<String> inputs = conf.getNetworkInputs();
        for (int i = 0; i < inputs.size(); i++) {
            InputType type = networkInputs != null && i < networkInputs.size() ? networkInputs.get(i)
                    : recovered(conf, inputs.get(i));
            if (type != null) {
                outputs.put(inputs.get(i), type);
            }
        }
        Map<String, InputType> layerInputs = new HashMap<>();
        GraphVertex[] vertices = graph.getVertices();
        int layerIndex = 0;
        for (int v : graph.topologicalSortOrder()) {
            String name = vertices[v].getVertexName();
            if (vertices[v].isInputVertex()) {
                continue;
            }
            var vertexConf = conf.getVertices().get(name);
            List<String> sources = conf.getVertexInputs().get(name);
            InputType[] in = sources.stream().map(outputs::get).toArray(InputType[]::new);
            int index = vertexConf instanceof LayerVertex ? layerIndex++ : layerIndex;
            if (java.util.Arrays.stream(in).anyMatch(java.util.Objects::isNull)) {
                continue;
            }
            try {
                if (vertexConf instanceof LayerVertex layer) {
                    layerInputs.put(name, layer.getPreProcessor() == null ? in[0]
                            : layer.getPreProcessor().getOutputType(in[0]));
                }
                outputs.put(name, vertexConf.getOutputType(index, in));
            } catch (RuntimeException e) {
                // unknown from here on along this path
            }
        }
        return layerInputs;
    }

    /** The type of one graph input, recovered from its first layer consumer, or null. */
    private static InputType recovered(ComputationGraphConfiguration conf, String input) {
        for (Map.Entry<String, List<String>> e : conf.getVertexInputs().entrySet()) {
            if (e.getValue().size() == 1 && e.getValue().get(0).equals(input)
                    && conf.getVertices().get(e.getKey()) instanceof LayerVertex layer) {
                InputType type = recovered(layer.getPreProcessor(), layer.getLayerConf().getLayer());
                if (type != null) {
                    return type;
                }
            }
        }
        return null;
    }

    /** The input type a first layer implies: an unflattening preprocessor's image, a dense layer's width. */
    private static InputType recovered(InputPreProcessor pre, Layer first) {
        if (pre instanceof FeedForwardToCnnPreProcessor image) {
            return InputType.feedForward(image.getInputHeight() * image.getInputWidth() * image.getNumChannels());
        }
        if (pre == null && (first instanceof DenseLayer || first instanceof BaseOutputLayer)
                && ((FeedForwardLayer) first).getNIn() > 0) {
            return InputType.feedForward(((FeedForwardLayer) first).getNIn());
        }
        return null;
    }
}
