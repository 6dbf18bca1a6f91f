package io.github.reluspectra.spectra;

import java.io.Serializable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How {@link SequentialReluValues} searches: immutable, built with {@link #builder()}.
 *
 * <p>The search runs a window of {@code blockSize + spareStarts} columns at once, in order of their value; a
 * leading column is locked as the next value once its KKT residual
 * {@code ||P_j(A^T u_j) - s_j^2 x_j|| / s_j^2} is at most {@code tolerance} (it is then a stationary point of
 * the sequential problem, and its value is accurate to about the tolerance squared).
 *
 * @param topK                  how many values: {@link #ALL} or at least 1 (clamped to the operator's columns)
 * @param spareStarts           extra columns beyond the values wanted in a window (at least 0): they compete
 *                              for every position
 * @param blockSize             values searched at once (at least 1)
 * @param tolerance             the KKT residual, relative to {@code s^2}, below which a value is locked; in
 *                              (0, 1); FLOAT operators use at least 1e-3
 * @param maxIterationsPerValue iterations after the previous lock at which the leading column is locked
 *                              anyway, reported as not converged
 * @param certify               before a value is locked, look for an ascent into the cells of the rows just
 *                              below activation (a boundary saddle: KKT holds, yet the value can rise; see
 *                              docs/algorithms.md); off by default: it took 9-33% more time for the top 32 of 512 x 512
 *                              and 1024 x 1024 Gaussian matrices, where it found no saddle
 * @param seed                  seed of the random starts
 * @param warmStart             optional {@code n x w} starting vectors, in the order they were locked (for
 *                              example the previous epoch's {@link SequentialReluSpectrum#lockingOrder()}), or
 *                              null
 */
public record SequentialReluOptions(
        int topK,
        int spareStarts,
        int blockSize,
        double tolerance,
        int maxIterationsPerValue,
        boolean certify,
        long seed,
        INDArray warmStart)
        implements Serializable {

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
        if (maxIterationsPerValue < 1) {
            throw new IllegalArgumentException(
                    "maxIterationsPerValue must be at least 1, got " + maxIterationsPerValue);
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
        return new SequentialReluOptions(
                topK, spareStarts, blockSize, tolerance, maxIterationsPerValue, certify, seed, vectors);
    }

    public Builder toBuilder() {
        return new Builder()
                .topK(topK)
                .spareStarts(spareStarts)
                .blockSize(blockSize)
                .tolerance(tolerance)
                .maxIterationsPerValue(maxIterationsPerValue)
                .certify(certify)
                .seed(seed)
                .warmStart(warmStart);
    }

    /**
     * Builder with the defaults: top 16, windows of 16 + 8 spare columns, KKT tolerance 1e-4, 300 iterations per
     * value, seed 42.
     */
    public static final class Builder {
        private int topK = 16;
        private int spareStarts = 8;
        private int blockSize = 16;
        private double tolerance = 1e-4;
        private int maxIterationsPerValue = 300;
        private boolean certify;
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

        public Builder maxIterationsPerValue(int maxIterationsPerValue) {
            this.maxIterationsPerValue = maxIterationsPerValue;
            return this;
        }

        /** Certify each value against boundary saddles before it is locked (see the record's {@code certify}). */
        public Builder certify(boolean certify) {
            this.certify = certify;
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
            return new SequentialReluOptions(
                    topK, spareStarts, blockSize, tolerance, maxIterationsPerValue, certify, seed, warmStart);
        }
    }

    @Override
    public String toString() {
        return "SequentialReluOptions[topK=" + (topK == ALL ? "all" : topK) + ", spareStarts=" + spareStarts
                + ", blockSize=" + blockSize + ", tolerance=" + tolerance + ", maxIterationsPerValue="
                + maxIterationsPerValue + (certify ? ", certify" : "") + ", seed=" + seed + ", warmStart="
                + (warmStart == null ? "none" : warmStart.columns() + " vectors") + "]";
    }
}
