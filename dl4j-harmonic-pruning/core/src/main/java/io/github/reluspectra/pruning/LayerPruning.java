package io.github.reluspectra.pruning;

/**
 * What pruning did to one dense layer.
 *
 * @param index        the layer's index in the original network
 * @param name         the layer's name
 * @param nIn          n
 * @param nOut         m
 * @param rank         r, the harmonics kept (0 for magnitude pruning, which keeps no subspace)
 * @param paramsBefore weights and biases before ({@code n m + m})
 * @param paramsAfter  non-zero weights and biases after ({@code r (n + m) + m} when split)
 * @param energyKept   share of {@code ||A||_F^2} kept: {@code ||A B_r||_F^2 / ||A||_F^2}, or of the kept weights
 * @param split        whether the layer became {@code Dense(n -> r)} then {@code Dense(r -> m)}
 */
public record LayerPruning(int index, String name, long nIn, long nOut, int rank, long paramsBefore,
                           long paramsAfter, double energyKept, boolean split) {
}
