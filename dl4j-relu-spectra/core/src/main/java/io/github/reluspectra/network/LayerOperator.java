package io.github.reluspectra.network;

import io.github.reluspectra.results.LayerKind;
import io.github.reluspectra.spectra.BiasMode;
import io.github.reluspectra.spectra.ConvolutionOperator;
import io.github.reluspectra.spectra.LinearOperator;
import java.io.Serializable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * One layer {@code x -> act(A x + b)} read out of a network, as detached copies that outlive the network's
 * workspaces: a dense layer's matrix {@code A = W^T} ({@code nOut x nIn}), or a 2D convolution's operator on
 * one sample's flattened tensor (never formed as a matrix).
 *
 * @param index      the layer's position (MultiLayerNetwork index, or position in the graph's topological order)
 * @param name       the layer's name
 * @param kind       the layer's kind
 * @param activation the activation's name as DL4J prints it, for example {@code relu}
 * @param relu       whether the activation is the plain ReLU (capped, thresholded or leaky ones are not)
 * @param weights    {@code A}, {@code nOut x nIn}, for a dense layer; null for a convolution
 * @param bias       {@code b} as a vector of {@code nOut} (for a convolution, each channel's bias repeated over
 *                   its output positions), or null where the layer has no bias
 * @param convolution the operator of a convolution layer, or null for a dense layer
 */
public record LayerOperator(
        int index,
        String name,
        LayerKind kind,
        String activation,
        boolean relu,
        INDArray weights,
        INDArray bias,
        ConvolutionOperator convolution)
        implements Serializable {

    public LayerOperator {
        if ((weights == null) == (convolution == null)) {
            throw new IllegalArgumentException("a layer operator has either weights or a convolution");
        }
    }

    /** A dense layer. */
    public LayerOperator(
            int index, String name, LayerKind kind, String activation, boolean relu, INDArray weights, INDArray bias) {
        this(index, name, kind, activation, relu, weights, bias, null);
    }

    /** How reports name the layer's kind, for example {@code DenseLayer}. */
    public String type() {
        return kind.displayName();
    }

    /** n: the operator's input dimension ({@code c h w} for a convolution). */
    public long nIn() {
        return weights != null ? weights.columns() : convolution.columns();
    }

    /** m: the operator's output dimension ({@code c' h' w'} for a convolution). */
    public long nOut() {
        return weights != null ? weights.rows() : convolution.rows();
    }

    public boolean isConvolution() {
        return convolution != null;
    }

    /** {@code A} as an operator: the dense matrix or the convolution. */
    public LinearOperator linear() {
        return convolution != null ? convolution : LinearOperator.dense(weights);
    }

    /**
     * The operator to analyse: {@code A}, or {@code [A | b]} acting on {@code (x, 1)} in {@link BiasMode#AUGMENT}.
     */
    public LinearOperator linear(BiasMode mode) {
        return convolution == null ? LinearOperator.dense(operator(mode)) : mode.operator(convolution, bias);
    }

    /** Whether the layer is the network's {@code OutputLayer} (pruning leaves it alone unless asked). */
    public boolean isOutputLayer() {
        return kind == LayerKind.OUTPUT;
    }

    public boolean isRelu() {
        return relu;
    }

    /**
     * A dense layer's matrix to analyse: {@code A}, or {@code [A | b]} in {@link BiasMode#AUGMENT}.
     *
     * @throws IllegalStateException for a convolution, which has no matrix (see {@link #linear(BiasMode)})
     */
    public INDArray operator(BiasMode mode) {
        if (convolution != null) {
            throw new IllegalStateException(describe() + " is a convolution: it has an operator, not a matrix");
        }
        return mode.operator(weights, bias);
    }

    /**
     * @throws IllegalArgumentException naming the layer if its weights or biases hold NaN or infinite values
     */
    public void requireFinite() {
        requireFinite(weights != null ? weights : convolution.kernel(), "weights");
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
        return describe(index, name, type());
    }

    /** The one format in which errors name a layer: {@code layer 'NAME' (index I, TYPE)}. */
    public static String describe(int index, String name, String type) {
        return "layer '" + name + "' (index " + index + ", " + type + ")";
    }

    @Override
    public String toString() {
        return "LayerOperator[" + describe() + ", " + nOut() + "x" + nIn()
                + (convolution == null ? "" : " (" + convolution.geometry().describe() + ")") + ", " + activation
                + (bias == null ? ", no bias" : "") + "]";
    }
}
