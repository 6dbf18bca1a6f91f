package io.github.reluspectra.pruning;

import io.github.reluspectra.results.LayerKind;
import io.github.reluspectra.spectra.ReplacementError;

/**
 * What pruning did to one layer.
 *
 * @param index        the layer's index in the original network
 * @param name         the layer's name
 * @param kind         dense, output or convolution
 * @param nIn          n ({@code c kh kw}, one patch, for a convolution)
 * @param nOut         m ({@code c'}, one position's channels, for a convolution)
 * @param rank         r, the harmonics kept (0 for magnitude pruning, which keeps no subspace)
 * @param paramsBefore weights and biases before ({@code n m + m})
 * @param paramsAfter  non-zero weights and biases after ({@code r (n + m) + m} when split)
 * @param energyKept   share of {@code ||A||_F^2} kept: {@code ||A B_r||_F^2 / ||A||_F^2}, or of the kept weights
 * @param split        whether the layer became {@code Dense(n -> r)} then {@code Dense(r -> m)} (a convolution to r
 *                     channels then a 1x1 one)
 * @param overData     for the bases fitted on data and a ReLU layer, the new layer's error on the calibration
 *                     inputs, a convolution's on its calibration patches ({@code s_k,X} bound, its ratio to
 *                     {@code s_0,X}, RMS); null otherwise
 */
public record LayerPruning(
        int index,
        String name,
        LayerKind kind,
        long nIn,
        long nOut,
        int rank,
        long paramsBefore,
        long paramsAfter,
        double energyKept,
        boolean split,
        ReplacementError overData) {}
