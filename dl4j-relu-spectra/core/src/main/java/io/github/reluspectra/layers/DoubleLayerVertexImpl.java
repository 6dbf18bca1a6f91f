package io.github.reluspectra.layers;

import java.util.Arrays;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Runtime side of {@link DoubleLayerVertex}: forward {@code [ReLU(z); ReLU(-z)]} along axis 1. */
public class DoubleLayerVertexImpl extends BaseGraphVertex {

    public DoubleLayerVertexImpl(ComputationGraph graph, String name, int vertexIndex, DataType dataType) {
        super(graph, name, vertexIndex, null, null, dataType);
    }

    @Override
    public boolean hasLayer() {
        return false;
    }

    @Override
    public Layer getLayer() {
        return null;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray z = input();
        try (MemoryWorkspace ws = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATIONS)) {
            return Nd4j.concat(1, Transforms.relu(z, true), Transforms.relu(z.neg(), false));
        }
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoBackward()) {
            throw new IllegalStateException("DoubleLayerVertex '" + vertexName + "': backward pass before forward");
        }
        INDArray z = input();
        long m = z.size(1);
        try (MemoryWorkspace ws = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATION_GRAD)) {
            // dL/dz = 1[z > 0] * g_top - 1[z < 0] * g_bottom
            INDArray top = epsilon.get(channels(z.rank(), 0, m));
            INDArray bottom = epsilon.get(channels(z.rank(), m, 2 * m));
            INDArray grad = top.mul(z.gt(0).castTo(z.dataType()))
                    .subi(bottom.mul(z.lt(0).castTo(z.dataType())));
            return new Pair<>(null, new INDArray[] {grad});
        }
    }

    private INDArray input() {
        if (!canDoForward()) {
            throw new IllegalStateException("DoubleLayerVertex '" + vertexName + "': input not set");
        }
        INDArray z = inputs[0];
        if (z.rank() < 2 || z.rank() > 4) {
            throw new IllegalArgumentException("DoubleLayerVertex '" + vertexName + "' takes [mb, m], [mb, m, T] or "
                    + "[mb, c, h, w] input, got shape " + Arrays.toString(z.shape()));
        }
        return z;
    }

    private static INDArrayIndex[] channels(int rank, long from, long to) {
        INDArrayIndex[] index = new INDArrayIndex[rank];
        Arrays.fill(index, NDArrayIndex.all());
        index[1] = NDArrayIndex.interval(from, to);
        return index;
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
        if (backpropGradientsViewArray != null) {
            throw new IllegalStateException("DoubleLayerVertex '" + vertexName + "' has no parameters");
        }
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(
            INDArray[] maskArrays, MaskState currentMaskState, int minibatchSize) {
        if (maskArrays == null || maskArrays.length == 0) {
            return null;
        }
        return new Pair<>(maskArrays[0], currentMaskState);
    }

    @Override
    public String toString() {
        return "DoubleLayerVertex(id=" + vertexIndex + ",name=\"" + vertexName + "\")";
    }
}
