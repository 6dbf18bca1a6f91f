package io.github.reluspectra.spectra;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The paper's ReLU singular values over data (definitions §2b), as the first author's companion notebook defines
 * and bounds them: for the layer {@code x -> ReLU(A x + b)} and inputs {@code X},
 * <pre>
 *   s_{k,X} = min over rank(L) <= k of  max over x in X of ||ReLU(A x + b) - ReLU(L x + b)||
 * </pre>
 * bounded from above by fitting {@code L = W M} ({@code W} m x k, {@code M} k x n).
 *
 * <p>Per rank, in increasing order: the starts are the truncated SVD {@code A_k}, the best rank-k linear fit of
 * the outputs {@code U_k U_k^T A} ({@code U_k} the top-k left singular vectors of {@code A X}: exact when X spans
 * at most k dimensions, A4) and a previous result if given. From the best start, {@link ErrorDescent} descends
 * in rounds of Adam steps on the inputs nearest the max (or on all of them for the mean square,
 * {@link FitObjective}), in single precision, scoring every input after each round. The reported fit is the
 * candidate (starts and descent) with the smallest max error, so it never exceeds the truncated SVD's (A3); with
 * the mean-square objective, the one with the smallest RMS. A rank keeps a lower rank's fit where that is better
 * (A2). Deterministic: no random numbers are drawn.
 */
public final class ReluSingularValues {

    /** Errors below this fraction of the rank-0 value are rounding: the fit is exact and not descended. */
    private static final double EXACT = 1e-12;

    private ReluSingularValues() {}

    /**
     * @param a      the layer's operator {@code A}, {@code m x n}
     * @param bias   {@code b} with m entries, or null for none
     * @param inputs {@code X}, one input per row, {@code N x n}
     * @throws IllegalArgumentException for shapes that do not fit, empty or non-finite input
     */
    public static ReluValuesOverData compute(INDArray a, INDArray bias, INDArray inputs, ReluFitOptions options) {
        return compute(a, bias, inputs, options, Double.NaN);
    }

    /**
     * The ladder up to the first rank whose value is within {@code fraction} of the rank-0 value
     * ({@code s_{k,X} <= fraction s_{0,X}}), the ranks above it left out: the same fits as {@link #compute} gives
     * for those ranks (each rank depends only on those below it), at a fraction of the cost when the ranks
     * that a caller needs are the small ones. The rank {@link ReluValuesOverData#smallestRankWithin} picks is
     * the same as on the whole ladder.
     *
     * @param fraction in (0, 1]
     */
    public static ReluValuesOverData computeUntilWithin(
            INDArray a, INDArray bias, INDArray inputs, ReluFitOptions options, double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1], got " + fraction);
        }
        return compute(a, bias, inputs, options, fraction);
    }

    /** @param stopWithin the fraction of the rank-0 value after which no higher rank is fitted, or NaN */
    private static ReluValuesOverData compute(
            INDArray a, INDArray bias, INDArray inputs, ReluFitOptions options, double stopWithin) {
        long start = System.nanoTime();
        Matrices.requireOperator(a, "operator");
        Matrices.requireOperator(inputs, "inputs");
        if (inputs.columns() != a.columns()) {
            throw new IllegalArgumentException(
                    "inputs have " + inputs.columns() + " values each, but the layer takes " + a.columns());
        }
        if (bias != null && bias.length() != a.rows()) {
            throw new IllegalArgumentException(
                    "bias has " + bias.length() + " entries, but the layer has " + a.rows() + " outputs");
        }
        if (bias != null) {
            Matrices.requireFinite(bias, "bias");
        }
        // Everything but the result lives in a workspace that the next call reuses: fresh off-heap arrays cost
        // about 4 ns a byte on the 2-core machine (2,000 x 784 inputs in double: 50 ms), reused ones nothing.
        try (MemoryWorkspace fitScope = Workspaces.temporaries("relu-fit")) {
            return fitAll(a, bias, inputs, options, stopWithin, start);
        }
    }

    private static ReluValuesOverData fitAll(
            INDArray a, INDArray bias, INDArray inputs, ReluFitOptions options, double stopWithin, long start) {
        // s(cA, cb) = c s(A, b): computed at entries of order 1 and scaled back (see Matrices.unitScale).
        double c = Matrices.unitScale(
                bias == null ? a : Nd4j.hstack(a, bias.reshape(a.rows(), 1).castTo(a.dataType())));
        Layer layer = new Layer(
                Matrices.scaled(a, c),
                bias == null ? null : bias.castTo(a.dataType()).mul(c),
                inputs.castTo(a.dataType()));
        List<RankFit> fits = new ArrayList<>();
        RankFit lower = null;
        for (int k : cappedRanks(options.ranks(), layer.maxRank())) {
            RankFit fit = layer.fit(k, warmStart(options.warmStart(), k, a, c), options);
            if (lower != null && measure(lower, options.objective()) <= measure(fit, options.objective())) {
                fit = layer.padded(lower, k, fit.svdValue(), fit.sigmaBound());
            }
            fits.add(fit);
            lower = fit;
            if (fit.value() <= stopWithin * fits.get(0).value()) {
                break;
            }
        }
        List<RankFit> unscaled;
        try (MemoryWorkspace outside = Workspaces.outside()) {
            // ND4J refuses arithmetic on the empty factors of rank 0.
            unscaled = fits.stream()
                    .map(f -> new RankFit(
                            f.rank(),
                            f.value() / c,
                            f.rms() / c,
                            f.svdValue() / c,
                            f.sigmaBound() / c,
                            f.source(),
                            f.rank() == 0 ? f.w().detach() : f.w().div(c),
                            f.m().detach()))
                    .toList();
        }
        return new ReluValuesOverData(Math.toIntExact(inputs.rows()), unscaled, (System.nanoTime() - start) / 1e9);
    }

    /** What the objective compares: the max error or the root mean square. */
    private static double measure(RankFit fit, FitObjective objective) {
        return objective == FitObjective.MAX_ERROR ? fit.value() : fit.rms();
    }

    /** Ranks above min(m, n) are that rank: a full-rank L reproduces the layer. */
    private static int[] cappedRanks(int[] ranks, int max) {
        return Arrays.stream(ranks).map(k -> Math.min(k, max)).distinct().toArray();
    }

    /** The previous fit of rank k, scaled like the operator, if it fits the layer's shape. */
    private static Factors warmStart(ReluValuesOverData previous, int k, INDArray a, double c) {
        RankFit fit = previous == null ? null : previous.fit(k);
        if (fit == null || k == 0 || fit.w().rows() != a.rows() || fit.m().columns() != a.columns()) {
            return null;
        }
        return new Factors(
                fit.w().castTo(a.dataType()).mul(c),
                fit.m().castTo(a.dataType()).dup(),
                "warm");
    }

    /** A candidate {@code L = W M} and where it came from. */
    record Factors(INDArray w, INDArray m, String source) {}

    /** A candidate with its per-sample errors {@code e_x = ||ReLU(WMx + b) - ReLU(Ax + b)||}. */
    record Scored(Factors factors, double[] errors) {
        Scored {
            errors = errors.clone();
        }

        double max() {
            return Arrays.stream(errors).max().orElse(0);
        }

        double rms() {
            return Math.sqrt(Arrays.stream(errors).map(e -> e * e).sum() / errors.length);
        }

        double measure(FitObjective objective) {
            return objective == FitObjective.MAX_ERROR ? max() : rms();
        }
    }

    /** The scaled layer, its inputs and what every rank shares: targets, singular vectors, output directions. */
    private static final class Layer {
        private final INDArray a;
        private final INDArray bias;
        private final INDArray x;
        /** {@code Y = ReLU(X A^T + b)}, one target per row. */
        private final INDArray y;

        private final double[] sigma;
        /**
         * Singular vectors of A on its smaller side: the left ones ({@code m x m}) when {@code m <= n}, so that
         * {@code A_k = U_k (U_k^T A)}, else the right ones ({@code n x n}) and {@code A_k = (A V_k) V_k^T}.
         */
        private final INDArray singularVectors;

        private final boolean leftVectors;
        /** Top left singular vectors of the outputs {@code A X}, {@code m x min(N, m)}. */
        private final INDArray outputDirections;

        private final double maxInputNorm;
        private final ErrorDescent descent;
        private double rankZeroValue;

        Layer(INDArray a, INDArray bias, INDArray x) {
            this.a = a;
            this.bias = bias == null ? null : bias.reshape(1, a.rows());
            this.x = x;
            INDArray outputs = Nd4j.gemm(x, a, false, true);
            // Column-major, as the scores' products are (see score): elementwise operations between arrays of
            // different orders take ND4J's slow path.
            this.y = Transforms.relu(withBias(outputs.dup('f')), false);
            // LAPACK on the transpose when m <= n: its right vectors are A's left ones, at a fraction of the cost.
            this.leftVectors = a.rows() <= a.columns();
            SingularValues.RightSingular svd = SingularValues.withRightVectors(leftVectors ? a.transpose() : a);
            this.sigma = svd.values();
            this.singularVectors = svd.vectors();
            this.outputDirections = SingularValues.withRightVectors(outputs).vectors();
            this.maxInputNorm = x.norm2(1).maxNumber().doubleValue();
            this.descent = new ErrorDescent(x, y, this.bias);
        }

        int maxRank() {
            return Math.toIntExact(Math.min(a.rows(), a.columns()));
        }

        /** The best fit of rank k found from the starts (and {@code warm}, or null). */
        RankFit fit(int k, Factors warm, ReluFitOptions options) {
            double sigmaBound = k < sigma.length ? sigma[k] * maxInputNorm : 0;
            if (k == 0) {
                // A1: L = 0 is the only rank-0 map.
                double[] errors = errors(withBias(Nd4j.create(a.dataType(), new long[] {x.rows(), a.rows()}, 'f')));
                Factors none;
                try (MemoryWorkspace outside = Workspaces.outside()) {
                    // a workspace cannot hold an empty array
                    none = new Factors(
                            Nd4j.zeros(a.dataType(), a.rows(), 0), Nd4j.zeros(a.dataType(), 0, a.columns()), "svd");
                }
                Scored zero = new Scored(none, errors);
                rankZeroValue = zero.max();
                return rankFit(k, zero, zero.max(), sigmaBound);
            }
            List<Scored> candidates = new ArrayList<>();
            Scored svd = score(truncatedSvd(k));
            candidates.add(svd);
            if (k <= outputDirections.columns()) {
                candidates.add(score(outputFit(k)));
            }
            if (warm != null) {
                candidates.add(score(warm));
            }
            FitObjective objective = options.objective();
            Scored best = best(candidates, objective);
            if (best.max() > EXACT * rankZeroValue) {
                // After a warm start the fit only follows the layer's drift since the previous result.
                int rounds = warm != null ? Math.max(1, options.rounds() / 2) : options.rounds();
                Factors descended = descent.descend(
                        balanced(best.factors()), objective, rounds, options.stepsPerRound(), options.learningRate());
                if (descended != null) {
                    candidates.add(score(descended));
                }
            }
            return rankFit(k, best(candidates, objective), svd.max(), sigmaBound);
        }

        /** The lower rank's fit as a rank-k one: W with zero columns, M with zero rows appended. */
        RankFit padded(RankFit lower, int k, double svdValue, double sigmaBound) {
            INDArray w = Nd4j.zeros(a.dataType(), a.rows(), k);
            INDArray m = Nd4j.zeros(a.dataType(), k, a.columns());
            int r = lower.rank();
            if (r > 0) {
                w.get(NDArrayIndex.all(), NDArrayIndex.interval(0, r)).assign(lower.w());
                m.get(NDArrayIndex.interval(0, r), NDArrayIndex.all()).assign(lower.m());
            }
            String source = lower.source().startsWith("rank ") ? lower.source() : "rank " + r;
            return new RankFit(k, lower.value(), lower.rms(), svdValue, sigmaBound, source, w, m);
        }

        private RankFit rankFit(int k, Scored chosen, double svdValue, double sigmaBound) {
            return new RankFit(
                    k,
                    chosen.max(),
                    chosen.rms(),
                    svdValue,
                    sigmaBound,
                    chosen.factors().source(),
                    chosen.factors().w(),
                    chosen.factors().m());
        }

        /** The candidate with the smallest max error or rms; the earliest among equals (the SVD comes first). */
        private static Scored best(List<Scored> candidates, FitObjective objective) {
            return candidates.stream()
                    .min(Comparator.comparingDouble(s -> s.measure(objective)))
                    .orElseThrow();
        }

        /** {@code A_k = U_k (U_k^T A)} or {@code (A V_k) V_k^T}, whichever side the vectors are on. */
        private Factors truncatedSvd(int k) {
            INDArray vk = singularVectors
                    .get(NDArrayIndex.all(), NDArrayIndex.interval(0, k))
                    .dup('f');
            return leftVectors
                    ? balanced(new Factors(vk, Nd4j.gemm(vk, a, true, false), "svd"))
                    : balanced(new Factors(
                            Nd4j.gemm(a, vk, false, false), vk.transpose().dup('f'), "svd"));
        }

        /** {@code U_k (U_k^T A)}: A followed by the projection onto the top-k directions of its outputs on X. */
        private Factors outputFit(int k) {
            INDArray uk = outputDirections
                    .get(NDArrayIndex.all(), NDArrayIndex.interval(0, k))
                    .dup('f');
            return balanced(new Factors(uk, Nd4j.gemm(uk, a, true, false), "data"));
        }

        /**
         * The same product {@code W M} with column j of W and row j of M of equal norm, so that one step size
         * suits both factors.
         */
        private static Factors balanced(Factors f) {
            double[] wNorms = f.w().norm2(0).toDoubleVector();
            double[] mNorms = f.m().norm2(1).toDoubleVector();
            double[] d = new double[wNorms.length];
            for (int j = 0; j < d.length; j++) {
                d[j] = wNorms[j] > 0 && mNorms[j] > 0 ? Math.sqrt(mNorms[j] / wNorms[j]) : 1;
            }
            INDArray scale = Nd4j.createFromArray(d).castTo(f.w().dataType());
            return new Factors(
                    f.w().mulRowVector(scale), f.m().divColumnVector(scale.reshape(d.length, 1)), f.source());
        }

        private Scored score(Factors f) {
            try (MemoryWorkspace temporaries = Workspaces.temporaries("relu-fit-score")) {
                INDArray z = withBias(Nd4j.gemm(Nd4j.gemm(x, f.m(), false, true), f.w().dup('f'), false, true));
                return new Scored(f, errors(z));
            }
        }

        /** {@code e_x = ||ReLU(z_x) - y_x||} per row. */
        private double[] errors(INDArray z) {
            return Transforms.relu(z, true).subi(y).norm2(1).toDoubleVector();
        }

        private INDArray withBias(INDArray z) {
            return bias == null ? z : z.addiRowVector(bias);
        }
    }
}
