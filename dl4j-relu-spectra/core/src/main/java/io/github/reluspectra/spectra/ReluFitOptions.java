package io.github.reluspectra.spectra;

import java.io.Serializable;
import java.util.Arrays;

/**
 * How {@link ReluSingularValues} fits the rank-k replacements: immutable, built with {@link #builder()}.
 *
 * @param ranks        the ranks k, at least 0 (sorted and de-duplicated; ranks above min(m, n) count as min(m, n))
 * @param epochs       passes of minibatch Adam over X on the summed squared error per rank (0: starts only);
 *                     with a warm start a fifth of them (at least 1)
 * @param batchSize    inputs per Adam step of those passes
 * @param polishSteps  full-batch Adam steps per rank on the l_p objectives p = 4, 8, 16 that move the fit
 *                     toward the max over X (0: no polish); a fifth of them after a warm start
 * @param learningRate Adam's step relative to the root mean square entry of the start's factors
 * @param seed         seed of the order in which the passes visit the inputs
 * @param warmStart    a previous result for the same layer shape (for example the last epoch's), or null
 */
public record ReluFitOptions(int[] ranks, int epochs, int batchSize, int polishSteps, double learningRate,
                             long seed, ReluValuesOverData warmStart) implements Serializable {

    /** The default ladder of ranks, 0 to 64 in powers of two. */
    public static final int[] DEFAULT_RANKS = {0, 1, 2, 4, 8, 16, 32, 64};

    public ReluFitOptions {
        if (ranks == null || ranks.length == 0) {
            throw new IllegalArgumentException("at least one rank is required");
        }
        ranks = Arrays.stream(ranks).sorted().distinct().toArray();
        if (ranks[0] < 0) {
            throw new IllegalArgumentException("ranks must be at least 0, got " + ranks[0]);
        }
        if (epochs < 0 || polishSteps < 0) {
            throw new IllegalArgumentException("epochs and polishSteps must be at least 0, got " + epochs + " and "
                    + polishSteps);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        if (!(learningRate > 0 && learningRate < 1)) {
            throw new IllegalArgumentException("learningRate must be in (0, 1), got " + learningRate);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public ReluFitOptions withWarmStart(ReluValuesOverData previous) {
        return new ReluFitOptions(ranks, epochs, batchSize, polishSteps, learningRate, seed, previous);
    }

    public Builder toBuilder() {
        return new Builder().ranks(ranks).epochs(epochs).batchSize(batchSize).polishSteps(polishSteps)
                .learningRate(learningRate).seed(seed).warmStart(warmStart);
    }

    @Override
    public String toString() {
        return "ReluFitOptions[ranks=" + Arrays.toString(ranks) + ", epochs=" + epochs + ", batchSize=" + batchSize
                + ", polishSteps=" + polishSteps + ", learningRate=" + learningRate + ", seed=" + seed + ", warmStart="
                + (warmStart != null) + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReluFitOptions other && Arrays.equals(ranks, other.ranks) && epochs == other.epochs
                && batchSize == other.batchSize && polishSteps == other.polishSteps
                && learningRate == other.learningRate && seed == other.seed
                && java.util.Objects.equals(warmStart, other.warmStart);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(Arrays.hashCode(ranks), epochs, batchSize, polishSteps, learningRate, seed,
                warmStart);
    }

    /** Defaults: ranks 0..64 in powers of two, 10 epochs of batches of 250, 30 polish steps, rate 0.01, seed 42. */
    public static final class Builder {
        private int[] ranks = DEFAULT_RANKS.clone();
        private int epochs = 10;
        private int batchSize = 250;
        private int polishSteps = 30;
        private double learningRate = 0.01;
        private long seed = 42;
        private ReluValuesOverData warmStart;

        public Builder ranks(int... ranks) {
            this.ranks = ranks.clone();
            return this;
        }

        public Builder epochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder polishSteps(int polishSteps) {
            this.polishSteps = polishSteps;
            return this;
        }

        public Builder learningRate(double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        public Builder warmStart(ReluValuesOverData warmStart) {
            this.warmStart = warmStart;
            return this;
        }

        public ReluFitOptions build() {
            return new ReluFitOptions(ranks, epochs, batchSize, polishSteps, learningRate, seed, warmStart);
        }
    }
}
