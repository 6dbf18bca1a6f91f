package io.github.reluspectra.spectra;

import java.io.Serializable;
import java.util.Arrays;

/**
 * How {@link ReluSingularValues} fits the rank-k replacements: immutable, built with {@link #builder()}.
 *
 * @param ranks         the ranks k, at least 0 (sorted and de-duplicated; ranks above min(m, n) count as min(m, n))
 * @param rounds        rounds of the descent toward the max error per rank (0: the starts only); each round
 *                      scores every input once; with a warm start half of them (at least 1)
 * @param stepsPerRound Adam steps per round on the inputs that attain the max
 * @param learningRate  Adam's step relative to the root mean square entry of the start's factors
 * @param objective     what the fit minimises: the max error (the paper's value, the default) or the mean square
 * @param warmStart     a previous result for the same layer shape (for example the last epoch's), or null
 */
public record ReluFitOptions(
        int[] ranks,
        int rounds,
        int stepsPerRound,
        double learningRate,
        FitObjective objective,
        ReluValuesOverData warmStart)
        implements Serializable {

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
        if (rounds < 0) {
            throw new IllegalArgumentException("rounds must be at least 0, got " + rounds);
        }
        if (stepsPerRound < 1) {
            throw new IllegalArgumentException("stepsPerRound must be at least 1, got " + stepsPerRound);
        }
        if (!(learningRate > 0 && learningRate < 1)) {
            throw new IllegalArgumentException("learningRate must be in (0, 1), got " + learningRate);
        }
        if (objective == null) {
            throw new IllegalArgumentException("objective must be given");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public ReluFitOptions withWarmStart(ReluValuesOverData previous) {
        return new ReluFitOptions(ranks, rounds, stepsPerRound, learningRate, objective, previous);
    }

    public Builder toBuilder() {
        return new Builder()
                .ranks(ranks)
                .rounds(rounds)
                .stepsPerRound(stepsPerRound)
                .learningRate(learningRate)
                .objective(objective)
                .warmStart(warmStart);
    }

    @Override
    public String toString() {
        return "ReluFitOptions[ranks=" + Arrays.toString(ranks) + ", rounds=" + rounds + ", stepsPerRound="
                + stepsPerRound + ", learningRate=" + learningRate + ", objective=" + objective + ", warmStart="
                + (warmStart != null) + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReluFitOptions other
                && Arrays.equals(ranks, other.ranks)
                && rounds == other.rounds
                && stepsPerRound == other.stepsPerRound
                && learningRate == other.learningRate
                && objective == other.objective
                && java.util.Objects.equals(warmStart, other.warmStart);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(
                Arrays.hashCode(ranks), rounds, stepsPerRound, learningRate, objective, warmStart);
    }

    /** Defaults: ranks 0..64 in powers of two, 10 rounds of 5 steps, rate 0.01, the max error. */
    public static final class Builder {
        private int[] ranks = DEFAULT_RANKS.clone();
        private int rounds = 10;
        private int stepsPerRound = 5;
        private double learningRate = 0.01;
        private FitObjective objective = FitObjective.MAX_ERROR;
        private ReluValuesOverData warmStart;

        public Builder ranks(int... ranks) {
            this.ranks = ranks.clone();
            return this;
        }

        public Builder rounds(int rounds) {
            this.rounds = rounds;
            return this;
        }

        public Builder stepsPerRound(int stepsPerRound) {
            this.stepsPerRound = stepsPerRound;
            return this;
        }

        public Builder learningRate(double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        public Builder objective(FitObjective objective) {
            this.objective = objective;
            return this;
        }

        public Builder warmStart(ReluValuesOverData warmStart) {
            this.warmStart = warmStart;
            return this;
        }

        public ReluFitOptions build() {
            return new ReluFitOptions(ranks, rounds, stepsPerRound, learningRate, objective, warmStart);
        }
    }
}
