package io.github.reluspectra.pruning;

/** How many harmonics each pruned layer keeps (definitions §6). */
public sealed interface RankPolicy {

    /** The same rank r for every layer (capped at the layer's min(m, n)). */
    record Fixed(int rank) implements RankPolicy {
        public Fixed {
            if (rank < 1) {
                throw new IllegalArgumentException("rank must be at least 1, got " + rank);
            }
        }

        /** As reports print it, for example {@code rank 8}. */
        @Override
        public String toString() {
            return "rank " + rank;
        }
    }

    /** Per layer the smallest r whose leading singular values carry this fraction of the sum of squares. */
    record Energy(double fraction) implements RankPolicy {
        public Energy {
            if (!(fraction > 0 && fraction <= 1)) {
                throw new IllegalArgumentException("energy fraction must be in (0, 1], got " + fraction);
            }
        }

        /** As reports print it, for example {@code energy 0.9}. */
        @Override
        public String toString() {
            return "energy " + fraction;
        }
    }

    /**
     * A global budget: this fraction of the selected layers' dense parameters is kept, ranks allocated across
     * the layers as {@code allocation} says.
     */
    record Budget(double fraction, RankAllocation allocation) implements RankPolicy {
        public Budget {
            if (!(fraction > 0 && fraction <= 1)) {
                throw new IllegalArgumentException("budget fraction must be in (0, 1], got " + fraction);
            }
            if (allocation == null) {
                throw new IllegalArgumentException("a budget needs an allocation");
            }
        }

        /** As reports print it, for example {@code budget 0.25} or {@code budget 0.25 (energy)}. */
        @Override
        public String toString() {
            return "budget " + fraction
                    + (allocation == RankAllocation.BY_BASIS
                            ? ""
                            : " ("
                                    + allocation
                                            .name()
                                            .toLowerCase(java.util.Locale.ROOT)
                                            .replace('_', ' ') + ")");
        }
    }

    /**
     * Per layer the smallest rank of the ladder 1, 2, 4, ... whose ReLU singular value over data is at most this
     * fraction of the rank-0 value ({@code s_{k,X} <= t s_{0,X}}); the fitted basis only.
     */
    record Tolerance(double fraction) implements RankPolicy {
        public Tolerance {
            if (!(fraction > 0 && fraction < 1)) {
                throw new IllegalArgumentException("tolerance must be in (0, 1), got " + fraction);
            }
        }

        /** As reports print it, for example {@code tolerance 0.1}. */
        @Override
        public String toString() {
            return "tolerance " + fraction;
        }
    }

    static RankPolicy tolerance(double t) {
        return new Tolerance(t);
    }

    static RankPolicy rank(int r) {
        return new Fixed(r);
    }

    static RankPolicy energy(double e) {
        return new Energy(e);
    }

    static RankPolicy budget(double f) {
        return new Budget(f, RankAllocation.BY_BASIS);
    }

    static RankPolicy budget(double f, RankAllocation allocation) {
        return new Budget(f, allocation);
    }
}
