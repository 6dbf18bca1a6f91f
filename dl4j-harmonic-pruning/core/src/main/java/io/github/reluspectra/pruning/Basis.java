package io.github.reluspectra.pruning;

/** Which harmonics span the kept subspace of a layer's inputs. */
public enum Basis {
    /** The top-r right singular vectors of A. */
    SVD,
    /** The top-r sequential ReLU singular vectors x_1..x_r of A (definitions §2). */
    RELU,
    /**
     * Not a projection: the layer becomes the fitted rank-r ReLU approximation {@code ReLU(W M x + b)} of its
     * ReLU singular values over data (definitions §2b and §6); needs the training inputs.
     */
    FITTED
}
