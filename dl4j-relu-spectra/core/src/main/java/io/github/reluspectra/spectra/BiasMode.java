package io.github.reluspectra.spectra;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Which operator of a layer {@code x -> act(A x + b)} is analysed. */
public enum BiasMode {
    /** The linear part {@code A} alone (the default). */
    IGNORE,
    /** {@code [A | b]} acting on {@code (x, 1)}: the bias becomes one more input column. */
    AUGMENT;

    /**
     * The analysed operator: {@code a} itself, or {@code [a | b]} with {@code b} as an extra column.
     *
     * @param a    the {@code m x n} operator
     * @param bias the {@code m} biases; null means a layer without bias, whose {@code b} is 0
     */
    public INDArray operator(INDArray a, INDArray bias) {
        if (this == IGNORE) {
            return a;
        }
        if (bias == null) {
            return Nd4j.hstack(a, Nd4j.zeros(a.dataType(), a.rows(), 1));
        }
        if (bias.length() != a.rows()) {
            throw new IllegalArgumentException(
                    "bias has " + bias.length() + " entries but the operator has " + a.rows() + " rows");
        }
        return Nd4j.hstack(a, bias.reshape(a.rows(), 1).castTo(a.dataType()));
    }

    /**
     * As {@link #operator(INDArray, INDArray)} for an operator that is not a matrix: {@code a} itself, or
     * {@code [a | b]} acting on {@code (x, t)} (null {@code bias}: a zero column).
     */
    public LinearOperator operator(LinearOperator a, INDArray bias) {
        if (this == IGNORE) {
            return a;
        }
        return new AugmentedOperator(a, bias == null ? Nd4j.zeros(a.dataType(), a.rows()) : bias);
    }
}
