package io.github.reluspectra.demo.results;

/**
 * One training epoch of both networks.
 *
 * @param epoch           0-based
 * @param plainAccuracy   test accuracy of the MLP after the epoch
 * @param doubleAccuracy  test accuracy of the double-layer graph after the epoch
 * @param plainSeconds    wall time of the MLP's epoch, its listeners included
 * @param analysisSeconds of which the spectral analysis of the MLP's layers
 * @param doubleSeconds   wall time of the double-layer graph's epoch
 */
public record EpochRecord(
        int epoch,
        double plainAccuracy,
        double doubleAccuracy,
        double plainSeconds,
        double analysisSeconds,
        double doubleSeconds) {}
