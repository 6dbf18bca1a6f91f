package io.github.reluspectra.demo.results;

/**
 * One training epoch of the LeNet run.
 *
 * @param epoch             0-based
 * @param accuracy          test accuracy after the epoch
 * @param trainingSeconds   wall time of the epoch without the listeners' work
 * @param spectraSeconds    the spectral analysis at the epoch's end (ReluSpectraListener)
 * @param separationSeconds the separation measures at the epoch's end (SeparationListener)
 */
public record LenetEpoch(
        int epoch, double accuracy, double trainingSeconds, double spectraSeconds, double separationSeconds) {

    /** Analysis over training time: both listeners' work over the epoch's own. */
    public double analysisRatio() {
        return (spectraSeconds + separationSeconds) / trainingSeconds;
    }
}
