package io.github.reluspectra.pruning;

/** Which harmonics span the kept subspace of a layer's inputs. */
public enum Basis {
    /** The top-r right singular vectors of A. */
    SVD,
    /** The top-r ReLU singular vectors x_1..x_r of A (SPEC §2). */
    RELU
}
