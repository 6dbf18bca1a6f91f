package io.github.reluspectra.spectra;

import java.io.Serializable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How {@link SequentialReluValues} searches: immutable, built with {@link #builder()}.
 *
 * <p>The ascent runs a block of {@code blockSize + spareStarts} columns at once. Each column is a start;
 * columns are kept in order of their value, column j orthogonal to columns 1..j-1, so the block converges
 * to the sequential maximisers of SPEC §2 while the spare columns compete for every position.
 *
 * @param topK         how many values: {@link #ALL} or at least 1 (clamped to the operator's columns)
 * @param spareStarts  extra starts beyond the values wanted in a block (at least 0)
 * @param blockSize    values computed per block (at least 1); larger blocks mean wider, faster GEMMs
 * @param tolerance    relative change of each value between iterations that counts as converged
 * @param maxIterations iteration cap per block
 * @param seed         seed of the random starts
 * @param warmStart    optional {@code n x w} starting vectors (for example the previous epoch's), or null
 */
public record SequentialReluOptions(int topK, int spareStarts, int blockSize, double tolerance, int maxIterations,
                             long seed, INDArray warmStart) implements Serializable {

    /** {@code topK} value asking for all {@code n} ReLU singular values. */
    public static final int ALL = Integer.MAX_VALUE;

    public SequentialReluOptions {
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be at least 1, got " + topK);
        }
        if (spareStarts < 0) {
            throw new IllegalArgumentException("spareStarts must be at least 0, got " + spareStarts);
        }
        if (blockSize < 1) {
            throw new IllegalArgumentException("blockSize must be at least 1, got " + blockSize);
        }
        if (!(tolerance > 0 && tolerance < 1)) {
            throw new IllegalArgumentException("tolerance must be in (0, 1), got " + tolerance);
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be at least 1, got " + maxIterations);
        }
        if (warmStart != null && warmStart.rank() != 2) {
            throw new IllegalArgumentException("warmStart must be an n x w matrix of column vectors");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The same options with other warm-start vectors. */
    public SequentialReluOptions withWarmStart(INDArray vectors) {
        return new SequentialReluOptions(topK, spareStarts, blockSize, tolerance, maxIterations, seed, vectors);
    }

    public Builder toBuilder() {
        return new Builder().topK(topK).spareStarts(spareStarts).blockSize(blockSize).tolerance(tolerance)
                .maxIterations(maxIterations).seed(seed).warmStart(warmStart);
    }

    /** Builder with the defaults: top 16, 16 spare starts, blocks of 32, tolerance 1e-6, 500 iterations, seed 42. */
    public static final class Builder {
        private int topK = 16;
        private int spareStarts = 16;
        private int blockSize = 32;
        private double tolerance = 1e-6;
        private int maxIterations = 500;
        private long seed = 42;
        private INDArray warmStart;

        public Builder topK(int topK) {
            this.topK = topK;
            return this;
        }

        public Builder all() {
            return topK(ALL);
        }

        public Builder spareStarts(int spareStarts) {
            this.spareStarts = spareStarts;
            return this;
        }

        public Builder blockSize(int blockSize) {
            this.blockSize = blockSize;
            return this;
        }

        public Builder tolerance(double tolerance) {
            this.tolerance = tolerance;
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

        public Builder warmStart(INDArray warmStart) {
            this.warmStart = warmStart;
            return this;
        }

        public SequentialReluOptions build() {
            return new SequentialReluOptions(topK, spareStarts, blockSize, tolerance, maxIterations, seed, warmStart);
        }
    }

    @Override
    public String toString() {
        return "SequentialReluOptions[topK=" + (topK == ALL ? "all" : topK) + ", spareStarts=" + spareStarts
                + ", blockSize=" + blockSize + ", tolerance=" + tolerance + ", maxIterations=" + maxIterations
                + ", seed=" + seed + ", warmStart=" + (warmStart == null ? "none" : warmStart.columns() + " vectors")
                + "]";
    }
}
