package io.github.reluspectra.network;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
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

    private LayerInputTypes() {}

    /**
     * The input type of layer i, after its preprocessor; entries are null where the network's input type is
     * unknown or a layer's output type could not be derived.
     *
     * @param networkInput the network's input type, or null to recover it from the configuration
     * @throws IllegalArgumentException naming the first layer that a given {@code networkInput} does not fit
     */
    static InputType[] of(MultiLayerNetwork network, InputType networkInput) {
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
        int n = conf.getConfs().size();
        InputType[] out = new InputType[n];
        InputType type = networkInput != null
                ? networkInput
                : n == 0
                        ? null
                        : recovered(conf.getInputPreProcess(0), conf.getConf(0).getLayer());
        for (int i = 0; i < n && type != null; i++) {
            Layer layer = conf.getConf(i).getLayer();
            try {
                InputPreProcessor pre = conf.getInputPreProcess(i);
                out[i] = pre == null ? type : pre.getOutputType(type);
                if (networkInput != null) {
                    requireFits(i, layer, out[i]);
                }
                type = layer.getOutputType(i, out[i]);
            } catch (RuntimeException e) {
                if (networkInput != null) {
                    throw e instanceof Misfit misfit
                            ? misfit
                            : new Misfit(where(i, layer) + " does not take " + out[i] + ": " + e.getMessage(), e);
                }
                break; // the walk stops here; the layers from i on are unknown
            }
        }
        return out;
    }

    /**
     * Refuses an input type that layer i cannot take, before DL4J derives its output type from it (DL4J warns
     * and carries on with a size of 0, or fails later on the data): a kernel larger than the padded image, or
     * a width other than the layer's {@code nIn}.
     */
    private static void requireFits(int i, Layer layer, InputType input) {
        if (input instanceof InputType.InputTypeConvolutional image) {
            int[] kernel = null;
            int[] padding = null;
            int[] dilation = null;
            ConvolutionMode mode = null;
            if (layer instanceof ConvolutionLayer c) {
                kernel = c.getKernelSize();
                padding = c.getPadding();
                dilation = c.getDilation();
                mode = c.getConvolutionMode();
            } else if (layer instanceof SubsamplingLayer s) {
                kernel = s.getKernelSize();
                padding = s.getPadding();
                dilation = s.getDilation();
                mode = s.getConvolutionMode();
            }
            if (kernel != null && mode != ConvolutionMode.Same) {
                long[] size = {image.getHeight(), image.getWidth()};
                for (int d = 0; d < 2; d++) {
                    long extent = kernel[d] + (long) (kernel[d] - 1) * (dilation[d] - 1);
                    if (size[d] + 2L * padding[d] < extent) {
                        throw new Misfit(where(i, layer) + ": its " + kernel[0] + "x" + kernel[1]
                                + " kernel does not fit an input of " + image.getHeight() + "x" + image.getWidth()
                                + " (padding " + padding[0] + "x" + padding[1] + ")");
                    }
                }
            }
            if (layer instanceof ConvolutionLayer c && c.getNIn() > 0 && c.getNIn() != image.getChannels()) {
                throw new Misfit(where(i, layer) + " takes " + c.getNIn() + " channels, but its " + "input has "
                        + image.getChannels());
            }
        } else if (layer instanceof FeedForwardLayer f
                && !(layer instanceof ConvolutionLayer)
                && f.getNIn() > 0
                && input.arrayElementsPerExample() != f.getNIn()) {
            throw new Misfit(where(i, layer) + " takes " + f.getNIn() + " inputs, but gets "
                    + input.arrayElementsPerExample() + " (" + input + ")");
        }
    }

    /** A given input type that a layer cannot take. */
    private static final class Misfit extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        Misfit(String message) {
            super(message);
        }

        Misfit(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static String where(int i, Layer layer) {
        return "layer " + i + (layer.getLayerName() == null ? "" : " '" + layer.getLayerName() + "'") + " ("
                + layer.getClass().getSimpleName() + ")";
    }

    /**
     * The input type of every layer vertex, after its preprocessor, by vertex name (absent where unknown).
     *
     * @param networkInputs the graph's input types in the order of its inputs, or null to recover them
     * @throws IllegalArgumentException naming the first layer that given {@code networkInputs} do not fit
     */
    static Map<String, InputType> of(ComputationGraph graph, List<InputType> networkInputs) {
        ComputationGraphConfiguration conf = graph.getConfiguration();
        Map<String, InputType> outputs = new HashMap<>();
        List<String> inputs = conf.getNetworkInputs();
        for (int i = 0; i < inputs.size(); i++) {
            InputType type = networkInputs != null && i < networkInputs.size()
                    ? networkInputs.get(i)
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
                    InputType input = layer.getPreProcessor() == null
                            ? in[0]
                            : layer.getPreProcessor().getOutputType(in[0]);
                    if (networkInputs != null) {
                        requireFits(index, layer.getLayerConf().getLayer(), input);
                    }
                    layerInputs.put(name, input);
                }
                outputs.put(name, vertexConf.getOutputType(index, in));
            } catch (RuntimeException e) {
                if (networkInputs != null) {
                    throw e instanceof Misfit misfit
                            ? misfit
                            : new Misfit(
                                    "vertex '" + name + "' does not take " + java.util.Arrays.toString(in) + ": "
                                            + e.getMessage(),
                                    e);
                }
                // unknown from here on along this path
            }
        }
        return layerInputs;
    }

    /** The type of one graph input, recovered from its first layer consumer, or null. */
    private static InputType recovered(ComputationGraphConfiguration conf, String input) {
        for (Map.Entry<String, List<String>> e : conf.getVertexInputs().entrySet()) {
            if (e.getValue().size() == 1
                    && e.getValue().get(0).equals(input)
                    && conf.getVertices().get(e.getKey()) instanceof LayerVertex layer) {
                InputType type =
                        recovered(layer.getPreProcessor(), layer.getLayerConf().getLayer());
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
        if (pre == null
                && (first instanceof DenseLayer || first instanceof BaseOutputLayer)
                && ((FeedForwardLayer) first).getNIn() > 0) {
            return InputType.feedForward(((FeedForwardLayer) first).getNIn());
        }
        return null;
    }
}
