package io.github.reluspectra.spectra;

import java.io.Serializable;

/**
 * How {@link MeanWidths} estimates: immutable, built with {@link #builder()}.
 *
 * @param samples       Gaussian samples N (at least 2, so that a standard error exists)
 * @param maxIterations cap on the pattern iterations of the inner supremum
 * @param seed          seed of the Gaussian samples
 */
public record MeanWidthOptions(int samples, int maxIterations, long seed) implements Serializable {

    public MeanWidthOptions {
        if (samples < 2) {
            throw new IllegalArgumentException("samples must be at least 2, got " + samples);
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be at least 1, got " + maxIterations);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder with the defaults: 64 samples, 50 pattern iterations, seed 42. */
    public static final class Builder {
        private int samples = 64;
        private int maxIterations = 50;
        private long seed = 42;

        public Builder samples(int samples) {
            this.samples = samples;
            return this;
        }

        public Builder maxIterations(int maxIterations) {
            this.maxIterations = maxIterations;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public MeanWidthOptions build() {
            return new MeanWidthOptions(samples, maxIterations, seed);
        }
    }
}
