package io.github.reluspectra.pruning;

/** Which harmonics span the kept subspace of a layer's inputs, or which fit replaces the layer. */
public enum Basis {
    /** The top-r right singular vectors of A. */
    SVD,
    /** The top-r sequential ReLU singular vectors x_1..x_r of A (definitions §2). */
    RELU,
    /**
     * Not a projection: the layer becomes the fitted rank-r ReLU approximation {@code ReLU(W M x + b)} of its
     * ReLU singular values over data (definitions §2b and §6); needs the training inputs.
     */
    FITTED,
    /**
     * The data-aware closed form (DRONE, Chen et al., NeurIPS 2021; SVD-LLM, Wang et al., ICLR 2025): the rank-r
     * {@code L} that minimises {@code ||(A - L) X_c^T||_F} over the centred training inputs, with the inputs'
     * mean folded into the bias (definitions §6, P4); needs the training inputs.
     */
    WHITENED,
    /**
     * Activation-aware SVD (ASVD, Yuan et al., 2023): the truncated SVD of {@code A D}, {@code D} the inputs' mean
     * magnitude per coordinate to the power 0.5, scaled back by {@code D^-1}; needs the training inputs.
     */
    ACTIVATION_SCALED;

    /** Whether this basis is computed from training inputs ({@code data(...)}, {@code --data}). */
    public boolean needsData() {
        return this == FITTED || this == WHITENED || this == ACTIVATION_SCALED;
    }
}
