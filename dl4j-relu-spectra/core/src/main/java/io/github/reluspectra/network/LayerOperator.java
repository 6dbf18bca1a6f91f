package io.github.reluspectra.network;

import io.github.reluspectra.spectra.BiasMode;
import java.io.Serializable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * One dense layer {@code x -> act(A x + b)} read out of a network: {@code A = W^T} ({@code nOut x nIn}) and
 * {@code b}, detached copies that outlive the network's workspaces.
 *
 * @param index      the layer's position (MultiLayerNetwork index, or position in the graph's topological order)
 * @param name       the layer's name
 * @param type       the configuration class's simple name, for example {@code DenseLayer}
 * @param activation the activation's name as DL4J prints it, for example {@code relu}
 * @param weights    {@code A}, {@code nOut x nIn}
 * @param bias       {@code b} as a vector of {@code nOut}, or null where the layer has no bias
 */
public record LayerOperator(int index, String name, String type, String activation, INDArray weights,
                            INDArray bias) implements Serializable {

    public long nIn() {
        return weights.columns();
    }

    public long nOut() {
        return weights.rows();
    }

    /** Whether the layer is the network's {@code OutputLayer} (pruning leaves it alone unless asked). */
    public boolean isOutputLayer() {
        return "OutputLayer".equals(type);
    }

    public boolean isRelu() {
        return "relu".equals(activation);
    }

    /** The operator to analyse: {@code A}, or {@code [A | b]} in {@link BiasMode#AUGMENT}. */
    public INDArray operator(BiasMode mode) {
        return mode.operator(weights, bias);
    }

    /**
     * @throws IllegalArgumentException naming the layer if its weights or biases hold NaN or infinite values
     */
    public void requireFinite() {
        requireFinite(weights, "weights");
        if (bias != null) {
            requireFinite(bias, "biases");
        }
    }

    private void requireFinite(INDArray x, String what) {
        if (BooleanIndexing.or(x, Conditions.isNan())) {
            throw new IllegalArgumentException(describe() + ": " + what + " contain NaN values");
        }
        if (BooleanIndexing.or(x, Conditions.isInfinite())) {
            throw new IllegalArgumentException(describe() + ": " + what + " contain infinite values");
        }
    }

    /** How error messages name this layer. */
    public String describe() {
        return describe(index, name, type);
    }

    /** The one format in which errors name a layer: {@code layer 'NAME' (index I, TYPE)}. */
    public static String describe(int index, String name, String type) {
        return "layer '" + name + "' (index " + index + ", " + type + ")";
    }

    @Override
    public String toString() {
        return "LayerOperator[" + describe() + ", " + nOut() + "x" + nIn() + ", " + activation
                + (bias == null ? ", no bias" : "") + "]";
    }
}
