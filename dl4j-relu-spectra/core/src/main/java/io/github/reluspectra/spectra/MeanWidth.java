package io.github.reluspectra.spectra;

import java.io.Serializable;

/**
 * Gaussian mean widths of a layer (definitions §3), Monte Carlo estimates with their standard errors.
 *
 * @param relu          {@code w(ReLU(A B^n))}; NaN where only the linear width was asked for
 * @param reluStdErr    its standard error; NaN likewise
 * @param linear        {@code w(A B^n) = E||A^T g||}
 * @param linearStdErr  its standard error
 * @param samples       the number N of Gaussian samples
 * @param ballWidth     {@code w(B^n) = E||g_n||}, the normaliser
 */
public record MeanWidth(
        double relu, double reluStdErr, double linear, double linearStdErr, int samples, double ballWidth)
        implements Serializable {

    public double normalisedRelu() {
        return relu / ballWidth;
    }

    public double normalisedLinear() {
        return linear / ballWidth;
    }

    /** {@code w_relu / w_lin}: the share of the layer's width that survives the ReLU. */
    public double reluToLinear() {
        return relu / linear;
    }
}
