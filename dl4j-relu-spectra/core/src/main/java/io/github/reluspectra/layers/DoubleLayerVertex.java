package io.github.reluspectra.layers;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The paper's double layer as a {@code ComputationGraph} vertex (definitions §5): {@code z -> [ReLU(z); ReLU(-z)]}
 * along the feature (channel) axis, twice the width, no parameters. After a dense layer with identity
 * activation its operator is {@code D = [A; -A]}, and ReLU discards nothing: {@code s_k(D) = sigma_k(A)}.
 *
 * <pre>
 *   graphBuilder.addLayer("dense1", new DenseLayer.Builder().nOut(m).activation(Activation.IDENTITY).build(), "in")
 *               .addVertex("double1", new DoubleLayerVertex(), "dense1");
 * </pre>
 * Inputs: feed-forward {@code [mb, m]}, recurrent {@code [mb, m, T]} (NCW) and convolutional
 * {@code [mb, c, h, w]} (NCHW); channels-last formats are rejected with the vertex's name.
 */
public class DoubleLayerVertex extends GraphVertex {

    public DoubleLayerVertex() {
        // no configuration: the vertex has no parameters and no options
    }

    @Override
    public DoubleLayerVertex clone() {
        return new DoubleLayerVertex();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DoubleLayerVertex;
    }

    @Override
    public int hashCode() {
        return DoubleLayerVertex.class.hashCode();
    }

    @Override
    public long numParams(boolean backprop) {
        return 0;
    }

    @Override
    public int minVertexInputs() {
        return 1;
    }

    @Override
    public int maxVertexInputs() {
        return 1;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(
            ComputationGraph graph,
            String name,
            int idx,
            INDArray paramsView,
            boolean initializeParams,
            DataType networkDatatype) {
        return new DoubleLayerVertexImpl(graph, name, idx, networkDatatype);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) throws InvalidInputTypeException {
        if (vertexInputs.length != 1) {
            throw new InvalidInputTypeException(
                    "DoubleLayerVertex takes exactly one input, got " + vertexInputs.length);
        }
        InputType in = vertexInputs[0];
        if (in instanceof InputType.InputTypeFeedForward ff) {
            return InputType.feedForward(2 * ff.getSize(), ff.getTimeDistributedFormat());
        }
        if (in instanceof InputType.InputTypeRecurrent rnn) {
            if (rnn.getFormat() != RNNFormat.NCW) {
                throw new InvalidInputTypeException(
                        "DoubleLayerVertex supports recurrent input in NCW format only, got " + rnn.getFormat());
            }
            return InputType.recurrent(2 * rnn.getSize(), rnn.getTimeSeriesLength(), RNNFormat.NCW);
        }
        if (in instanceof InputType.InputTypeConvolutional cnn) {
            if (cnn.getFormat() != CNN2DFormat.NCHW) {
                throw new InvalidInputTypeException("DoubleLayerVertex supports convolutional input in NCHW format "
                        + "only, got " + cnn.getFormat());
            }
            return InputType.convolutional(cnn.getHeight(), cnn.getWidth(), 2 * cnn.getChannels(), CNN2DFormat.NCHW);
        }
        throw new InvalidInputTypeException("DoubleLayerVertex does not support input type " + in);
    }

    @Override
    public MemoryReport getMemoryReport(InputType... inputTypes) {
        InputType out = getOutputType(-1, inputTypes);
        return new LayerMemoryReport.Builder(null, DoubleLayerVertex.class, inputTypes[0], out)
                .standardMemory(0, 0)
                .workingMemory(0, 0, 0, 0)
                .cacheMemory(0, 0)
                .build();
    }

    @Override
    public String toString() {
        return "DoubleLayerVertex()";
    }
}
