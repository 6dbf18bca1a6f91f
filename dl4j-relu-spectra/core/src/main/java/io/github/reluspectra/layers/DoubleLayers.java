package io.github.reluspectra.layers;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.nd4j.linalg.activations.Activation;

/** One-call construction of double layers in a graph. */
public final class DoubleLayers {

    /** Suffix of the dense layer that {@link #addDoubleDense} puts before the vertex. */
    public static final String LINEAR_SUFFIX = "-linear";

    private DoubleLayers() {}

    /**
     * Adds {@code name-linear}: {@code DenseLayer(nOut, identity)} on {@code inputs}, then {@code name}: a
     * {@link DoubleLayerVertex} on it; layers after it consume {@code name}, which has {@code 2 nOut} outputs.
     * {@code nIn} is inferred when the graph's input types are set.
     */
    public static GraphBuilder addDoubleDense(GraphBuilder builder, String name, int nOut, String... inputs) {
        return builder.addLayer(
                        name + LINEAR_SUFFIX,
                        new DenseLayer.Builder()
                                .nOut(nOut)
                                .activation(Activation.IDENTITY)
                                .build(),
                        inputs)
                .addVertex(name, new DoubleLayerVertex(), name + LINEAR_SUFFIX);
    }
}
