package io.github.reluspectra.spectra;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
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
 * <p>Per rank, in increasing order: the starts are the truncated SVD {@code A_k} and the best rank-k linear
 * fit of the outputs, {@code U_k U_k^T A} with {@code U_k} the top-k left singular vectors of {@code A X}
 * (exact when X spans at most k dimensions, A4), and a previous result if given; full-batch Adam then
 * minimises the summed squared error from the start with the smaller one, and a polish minimises
 * {@code sum_x e_x^p} for p = 4, 8, 16, which moves the fit toward the max over X. The reported fit is the
 * candidate with the smallest max error, so it never exceeds the truncated SVD's (A3), and a rank keeps a
 * lower rank's fit where that is better (A2). Deterministic: no random numbers are drawn.
 */
public final class ReluSingularValues {

    /** Adam's decay rates and guard (Kingma and Ba's defaults). */
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;
    /** Exponents of the polish objectives, each given an equal share of the polish steps. */
    private static final int[] POLISH_POWERS = {4, 8, 16};
    /** Errors below this fraction of the rank-0 value are rounding: the fit is exact and not descended. */
    private static final double EXACT = 1e-12;

    private ReluSingularValues() {
    }

    /**
     * @param a      the layer's operator {@code A}, {@code m x n}
     * @param bias   {@code b} with m entries, or null for none
     * @param inputs {@code X}, one input per row, {@code N x n}
     * @throws IllegalArgumentException for shapes that do not fit, empty or non-finite input
     */
    public static ReluValuesOverData compute(INDArray a, INDArray bias, INDArray inputs, ReluFitOptions options) {
        long start = System.nanoTime();
        Matrices.requireOperator(a, "operator");
        Matrices.requireOperator(inputs, "inputs");
        if (inputs.columns() != a.columns()) {
            throw new IllegalArgumentException("inputs have " + inputs.columns() + " values each, but the layer takes "
                    + a.columns());
        }
        if (bias != null && bias.length() != a.rows()) {
            throw new IllegalArgumentException("bias has " + bias.length() + " entries, but the layer has "
                    + a.rows() + " outputs");
        }
        if (bias != null) {
            Matrices.requireFinite(bias, "bias");
        }
        // s(cA, cb) = c s(A, b): computed at entries of order 1 and scaled back (see Matrices.unitScale).
        double c = Matrices.unitScale(bias == null ? a : Nd4j.hstack(a, bias.reshape(a.rows(), 1).castTo(a.dataType())));
        Layer layer = new Layer(Matrices.scaled(a, c), bias == null ? null : bias.castTo(a.dataType()).mul(c),
                inputs.castTo(a.dataType()));
        List<RankFit> fits = new ArrayList<>();
        RankFit lower = null;
        for (int k : cappedRanks(options.ranks(), layer.maxRank())) {
            RankFit fit = layer.fit(k, warmStart(options.warmStart(), k, a, c), options);
            if (lower != null && lower.value() <= fit.value()) {
                fit = layer.padded(lower, k, fit.svdValue(), fit.sigmaBound());
            }
            fits.add(fit);
            lower = fit;
        }
        // ND4J refuses arithmetic on the empty factors of rank 0.
        List<RankFit> unscaled = fits.stream().map(f -> new RankFit(f.rank(), f.value() / c, f.rms() / c,
                f.svdValue() / c, f.sigmaBound() / c, f.source(), f.rank() == 0 ? f.w() : f.w().div(c), f.m()))
                .toList();
        return new ReluValuesOverData(Math.toIntExact(inputs.rows()), unscaled, (System.nanoTime() - start) / 1e9);
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
        return new Factors(fit.w().castTo(a.dataType()).mul(c), fit.m().castTo(a.dataType()).dup(), "warm");
    }

    /** A candidate {@code L = W M} and where it came from. */
    private record Factors(INDArray w, INDArray m, String source) {
    }

    /** A candidate with its per-sample errors {@code e_x = ||ReLU(WMx + b) - ReLU(Ax + b)||}. */
    private record Scored(Factors factors, double[] errors) {
        double max() {
            return Arrays.stream(errors).max().orElse(0);
        }

        double squares() {
            return Arrays.stream(errors).map(e -> e * e).sum();
        }

        double rms() {
            return Math.sqrt(squares() / errors.length);
        }
    }

    /** The scaled layer, its inputs and what every rank shares: targets, SVD, output directions. */
    private static final class Layer {
        private final INDArray a;
        private final INDArray bias;
        private final INDArray x;
        /** {@code Y = ReLU(X A^T + b)}, one target per row. */
        private final INDArray y;
        private final double[] sigma;
        /** Right singular vectors of A, {@code n x min(m, n)}. */
        private final INDArray v;
        /** Top left singular vectors of the outputs {@code A X}, {@code m x min(N, m)}. */
        private final INDArray outputDirections;
        private final double maxInputNorm;
        private double rankZeroValue;

        Layer(INDArray a, INDArray bias, INDArray x) {
            this.a = a;
            this.bias = bias == null ? null : bias.reshape(1, a.rows());
            this.x = x;
            INDArray outputs = Nd4j.gemm(x, a, false, true);
            this.y = Transforms.relu(withBias(outputs.dup()), false);
            SingularValues.RightSingular svd = SingularValues.withRightVectors(a);
            this.sigma = svd.values();
            this.v = svd.vectors();
            this.outputDirections = SingularValues.withRightVectors(outputs).vectors();
            this.maxInputNorm = x.norm2(1).maxNumber().doubleValue();
        }

        int maxRank() {
            return Math.toIntExact(Math.min(a.rows(), a.columns()));
        }

        /** The best fit of rank k found from the starts (and {@code warm}, or null). */
        RankFit fit(int k, Factors warm, ReluFitOptions options) {
            double sigmaBound = k < sigma.length ? sigma[k] * maxInputNorm : 0;
            if (k == 0) {
                // A1: L = 0 is the only rank-0 map.
                double[] errors = errors(withBias(Nd4j.zeros(a.dataType(), x.rows(), a.rows())));
                Scored zero = new Scored(new Factors(Nd4j.zeros(a.dataType(), a.rows(), 0),
                        Nd4j.zeros(a.dataType(), 0, a.columns()), "svd"), errors);
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
            if (best(candidates).max() > EXACT * rankZeroValue) {
                Scored start = candidates.stream().min((p, q) -> Double.compare(p.squares(), q.squares())).orElseThrow();
                // After a warm start the fit only follows the layer's drift since the previous result.
                boolean warmed = warm != null;
                int epochs = warmed ? Math.max(1, options.epochs() / 5) : options.epochs();
                int polish = (warmed ? options.polishSteps() / 5 : options.polishSteps()) / POLISH_POWERS.length;
                candidates.add(leastSquares(start.factors(), epochs, options, new Random(options.seed() * 31 + k)));
                for (int p = 0; p < POLISH_POWERS.length && polish > 0; p++) {
                    candidates.add(polish(best(candidates).factors(), polish, POLISH_POWERS[p], options.learningRate()));
                }
            }
            return rankFit(k, best(candidates), svd.max(), sigmaBound);
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
            return new RankFit(k, chosen.max(), chosen.rms(), svdValue, sigmaBound, chosen.factors().source(),
                    chosen.factors().w(), chosen.factors().m());
        }

        /** The candidate with the smallest max error; the earliest among equals (the SVD comes first). */
        private static Scored best(List<Scored> candidates) {
            Scored best = candidates.get(0);
            for (Scored s : candidates) {
                if (s.max() < best.max()) {
                    best = s;
                }
            }
            return best;
        }

        /** {@code A_k = (A V_k) V_k^T}. */
        private Factors truncatedSvd(int k) {
            INDArray vk = v.get(NDArrayIndex.all(), NDArrayIndex.interval(0, k)).dup('f');
            return balanced(Nd4j.gemm(a, vk, false, false), vk.transpose().dup('f'), "svd");
        }

        /** {@code U_k (U_k^T A)}: A followed by the projection onto the top-k directions of its outputs on X. */
        private Factors outputFit(int k) {
            INDArray uk = outputDirections.get(NDArrayIndex.all(), NDArrayIndex.interval(0, k)).dup('f');
            return balanced(uk, Nd4j.gemm(uk, a, true, false), "data");
        }

        /**
         * The same product {@code W M} with column j of W and row j of M of equal norm, so that one learning
         * rate suits both factors.
         */
        private static Factors balanced(INDArray w, INDArray m, String source) {
            double[] wNorms = w.norm2(0).toDoubleVector();
            double[] mNorms = m.norm2(1).toDoubleVector();
            double[] d = new double[wNorms.length];
            for (int j = 0; j < d.length; j++) {
                d[j] = wNorms[j] > 0 && mNorms[j] > 0 ? Math.sqrt(mNorms[j] / wNorms[j]) : 1;
            }
            INDArray scale = Nd4j.createFromArray(d).castTo(w.dataType());
            return new Factors(w.mulRowVector(scale), m.divColumnVector(scale.reshape(d.length, 1)), source);
        }

        /**
         * Minibatch Adam on the summed squared error {@code sum_x e_x^2}, each pass visiting X in a new seeded
         * order; returns the pass-end iterate with the smallest summed squares over all of X.
         */
        private Scored leastSquares(Factors start, int epochs, ReluFitOptions options, Random order) {
            Descent descent = new Descent(start, options.learningRate());
            Scored best = score(start);
            int n = Math.toIntExact(x.rows());
            int batch = Math.min(options.batchSize(), n);
            for (int epoch = 0; epoch < epochs; epoch++) {
                try (MemoryWorkspace pass = workspace("relu-fit-pass")) {
                    int[] permutation = shuffled(n, order);
                    INDArray xs = Nd4j.pullRows(x, 1, permutation);
                    INDArray ys = Nd4j.pullRows(y, 1, permutation);
                    for (int from = 0; from < n; from += batch) {
                        int to = Math.min(n, from + batch);
                        descent.step(xs.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()),
                                ys.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()), 2);
                    }
                }
                Scored now = score(descent.factors("fit"));
                if (now.squares() < best.squares()) {
                    best = new Scored(descent.snapshot("fit"), now.errors());
                }
            }
            return best;
        }

        /**
         * Full-batch Adam on {@code sum_x e_x^p}, which weighs the worst inputs most; returns the iterate with the
         * smallest max error.
         */
        private Scored polish(Factors start, int steps, int power, double rate) {
            Descent descent = new Descent(start, rate);
            Scored best = score(start);
            for (int t = 0; t < steps; t++) {
                Factors before = descent.snapshot("polish");
                double[] errors = descent.step(x, y, power);
                if (Arrays.stream(errors).max().orElse(0) < best.max()) {
                    best = new Scored(before, errors);
                }
            }
            Scored last = score(descent.snapshot("polish"));
            return last.max() < best.max() ? last : best;
        }

        private static int[] shuffled(int n, Random order) {
            int[] p = new int[n];
            for (int i = 0; i < n; i++) {
                p[i] = i;
            }
            for (int i = n - 1; i > 0; i--) {
                int j = order.nextInt(i + 1);
                int swap = p[i];
                p[i] = p[j];
                p[j] = swap;
            }
            return p;
        }

        /** Adam on the factors of {@code L = W M}. */
        private final class Descent {
            private final INDArray w;
            private final INDArray m;
            private final Adam adamW;
            private final Adam adamM;
            private final double lr;
            private int t;

            Descent(Factors start, double rate) {
                w = start.w().dup('f');
                m = start.m().dup('f');
                adamW = new Adam(w);
                adamM = new Adam(m);
                double squares = w.norm2Number().doubleValue() * w.norm2Number().doubleValue()
                        + m.norm2Number().doubleValue() * m.norm2Number().doubleValue();
                lr = rate * Math.sqrt(squares / (w.length() + m.length()));
            }

            /**
             * One step on {@code sum_x e_x^p} over the inputs {@code xb} with targets {@code yb}: with
             * {@code Z = X M^T W^T + b} and {@code D = (ReLU(Z) - Y) * 1[Z > 0]}, rows weighted by
             * {@code e_x^(p-2)}, the gradients are {@code D^T (X M^T)} for W and {@code (D W)^T X} for M
             * (constant factors dropped: Adam does not see them).
             *
             * @return the per-input errors before the step
             */
            double[] step(INDArray xb, INDArray yb, int power) {
                try (MemoryWorkspace temporaries = workspace("relu-fit-step")) {
                    INDArray xm = Nd4j.gemm(xb, m, false, true);
                    INDArray z = withBias(Nd4j.gemm(xm, w, false, true));
                    INDArray d = Transforms.relu(z, true).subi(yb);
                    double[] errors = d.norm2(1).toDoubleVector();
                    d.muli(z.gt(0).castTo(z.dataType()));
                    if (power > 2) {
                        d.muliColumnVector(rowWeights(errors, power));
                    }
                    INDArray gradW = Nd4j.gemm(d, xm, true, false);
                    INDArray gradM = Nd4j.gemm(Nd4j.gemm(d, w, false, false), xb, true, false);
                    t++;
                    adamW.step(w, gradW, t, lr);
                    adamM.step(m, gradM, t, lr);
                    return errors;
                }
            }

            /** The current factors, live: they change with the next step. */
            Factors factors(String source) {
                return new Factors(w, m, source);
            }

            /** A copy that outlives every workspace. */
            Factors snapshot(String source) {
                try (MemoryWorkspace outside = Workspaces.outside()) {
                    return new Factors(w.dup(), m.dup(), source);
                }
            }
        }

        /** {@code (e_x / max e)^(p-2)}: the gradient of {@code sum e^p} up to a constant, without overflow. */
        private INDArray rowWeights(double[] errors, int power) {
            double max = Arrays.stream(errors).max().orElse(0);
            double[] weights = new double[errors.length];
            for (int i = 0; i < errors.length; i++) {
                weights[i] = max > 0 ? Math.pow(errors[i] / max, power - 2) : 0;
            }
            return Nd4j.createFromArray(weights).castTo(x.dataType()).reshape(errors.length, 1);
        }

        private Scored score(Factors f) {
            try (MemoryWorkspace temporaries = workspace("relu-fit-score")) {
                INDArray z = withBias(Nd4j.gemm(Nd4j.gemm(x, f.m(), false, true), f.w(), false, true));
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

    private static MemoryWorkspace workspace(String id) {
        return Workspaces.temporaries(id);
    }

    /** Adam's state for one parameter matrix. */
    private static final class Adam {
        private final INDArray first;
        private final INDArray second;

        Adam(INDArray like) {
            first = Nd4j.zerosLike(like);
            second = Nd4j.zerosLike(like);
        }

        /** {@code p <- p - lr * m_hat / (sqrt(v_hat) + eps)} after updating the moments with gradient g. */
        void step(INDArray p, INDArray g, int t, double lr) {
            first.muli(BETA1).addi(g.mul(1 - BETA1));
            second.muli(BETA2).addi(g.mul(g).muli(1 - BETA2));
            INDArray mHat = first.div(1 - Math.pow(BETA1, t));
            INDArray vHat = second.div(1 - Math.pow(BETA2, t));
            p.subi(mHat.divi(Transforms.sqrt(vHat, false).addi(EPSILON)).muli(lr));
        }
    }
}
