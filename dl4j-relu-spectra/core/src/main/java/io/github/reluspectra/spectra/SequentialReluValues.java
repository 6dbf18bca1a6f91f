package io.github.reluspectra.spectra;

import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sequential ReLU singular values and vectors (definitions §2):
 * <pre>
 *   x_k = argmax { ||ReLU(A x)|| : ||x|| = 1, x orthogonal to x_1..x_{k-1} },   s_k = ||ReLU(A x_k)||
 * </pre>
 *
 * <p>Algorithm: block locally optimal ascent with locking on the KKT residual. A window
 * {@code X = [x_1 .. x_w]} of orthonormal columns, orthogonal to the vectors {@code Q} locked so far and kept in
 * order of value, moves by two products with A per iteration:
 * <pre>
 *   U = ReLU(A X),  f_j = ||u_j||^2
 *   r_j = P_j(A^T u_j) - f_j x_j          P_j: the complement of [Q, x_1 .. x_{j-1}]   (KKT residual)
 *   x_j <- argmax ||ReLU(A x)|| over unit x in span{x_j, r_j, previous step_j}  (3 x 3, per column)
 *   X <- column-ordered QR(P_Q X)
 * </pre>
 * The three-term step converges at the Krylov rate ({@code 1/sqrt gap} iterations) where the two-term
 * alternating ascent needs {@code 1/gap}. The leading column is locked as the next value once
 * {@code ||r_1|| <= tolerance f_1}: a certified stationary point, whose value is accurate to about
 * {@code tolerance^2}; the columns behind it that also meet the tolerance are locked with it. A column that
 * needs more than {@code maxIterationsPerValue} iterations is locked anyway and reported as not converged.
 * {@code A X} is carried along by linearity and recomputed every {@value #REFRESH} iterations and at every lock.
 *
 * <p>Fact F2 ({@code s_k >= sigma_k / sqrt 2}) is checked for every value before it is locked; a leading
 * column that misses it restarts from the better of {@code +-v}, {@code v} the top right singular vector of
 * {@code A P_Q}, whose value meets the bound by construction.
 *
 * <p>Deterministic for a seed: the small problems are solved in plain Java (Jacobi for the 3 x 3 eigenvectors,
 * signs fixed), sorts are stable, and starts are warm-start vectors first, then seeded Gaussian ones. The
 * three-term step is that of Knyazev's LOBPCG (SIAM J. Sci. Comput. 23(2), 2001) applied to this problem;
 * docs/algorithms.md describes the whole search.
 */
public final class SequentialReluValues {

    private static final Logger log = LoggerFactory.getLogger(SequentialReluValues.class);
    private static final double SQRT2 = Math.sqrt(2);
    /** {@code A X} is carried by linearity; every REFRESH-th iteration recomputes it against rounding drift. */
    private static final int REFRESH = 10;
    /**
     * Residuals are relative to {@code max(s^2, (FLOOR sigma_1)^2)}: values far below {@code sigma_1} (beyond the
     * rank) are held to the operator's scale, not to their own.
     */
    private static final double FLOOR = 1e-3;
    /** FLOAT operators: their residuals stall near single precision, so the tolerance is at least this. */
    private static final double FLOAT_TOLERANCE = 1e-3;
    /**
     * A Cholesky QR of columns whose Gram matrix is this close to the identity leaves them orthonormal to
     * {@code kappa^2 eps}, about 1e-16: one pass is enough.
     */
    private static final double ONE_PASS = 1e-3;
    /** A column whose QR pivot falls below this share of its norm depends on the columns before it. */
    private static final double DEPENDENT = 0.05;
    /** A residual below this (relative to {@code s^2}) is rounding: it gives no direction to move in. */
    private static final double NO_DIRECTION = 1e-13;
    /** A previous step keeps a new direction only if this share of it lies outside {@code span{x_j, d_j}}. */
    private static final double NEW_DIRECTION = 1e-6;
    /** Ascent steps of a column's 3 x 3 problem (each a pattern and its top eigenvector). */
    private static final int SMALL_STEPS = 3;
    /** Backtracking toward the current point: v, v + c, v + 2c, v + 4c. */
    private static final double[] BACKTRACK = {0, 1, 2, 4};
    /** The certificate looks at the rows of these many inactive rows nearest to zero... */
    private static final int SADDLE_CANDIDATES = 8;
    /** ...and searches the cells of these many, nearest to activation relative to their norms. */
    private static final int SADDLE_ROWS = 3;
    /** Lanczos steps per cell of the certificate (8 find the hand-built boundary saddle of the tests). */
    private static final int LANCZOS_STEPS = 8;
    /** Long searches say how far they are at INFO at most this often. */
    private static final long PROGRESS_NANOS = 10_000_000_000L;

    private SequentialReluValues() {
    }

    /** Computes the sequential ReLU singular values of {@code a} ({@code m x n}); the classical ones come along. */
    public static SequentialReluSpectrum compute(INDArray a, SequentialReluOptions options) {
        Matrices.requireOperator(a, "operator");
        return compute(LinearOperator.dense(a), SingularValues.ofValidated(a), options, "operator " + a.rows() + "x"
                + a.columns());
    }

    /**
     * As {@link #compute(INDArray, SequentialReluOptions)}, with the classical singular values of {@code a}
     * already known (for example from the same analysis), which saves one SVD.
     */
    public static SequentialReluSpectrum compute(INDArray a, double[] singularValues, SequentialReluOptions options) {
        Matrices.requireOperator(a, "operator");
        if (singularValues.length != Math.min(a.rows(), a.columns())) {
            throw new IllegalArgumentException("expected " + Math.min(a.rows(), a.columns())
                    + " singular values, got " + singularValues.length);
        }
        return compute(LinearOperator.dense(a), singularValues, options, "operator " + a.rows() + "x" + a.columns());
    }

    /**
     * The matrix-free search: {@code a} is used only through products with blocks of vectors.
     *
     * @param singularValues the largest classical singular values of {@code a}, largest first (at least the
     *                       first; F2 is checked for the values that have one)
     * @param label          how progress lines name the operator, for example a layer's description
     */
    public static SequentialReluSpectrum compute(LinearOperator a, double[] singularValues,
                                                 SequentialReluOptions options, String label) {
        if (singularValues.length == 0) {
            throw new IllegalArgumentException("at least the largest singular value of the operator is needed");
        }
        long start = System.nanoTime();
        // s(cA) = c s(A): the search runs at entries of order 1 (exact powers of two) and scales back.
        double c = a.unitScale();
        LinearOperator scaled = c == 1 ? a : a.scaled(c);
        double[] sigma = Matrices.scaled(singularValues, c);
        int n = Math.toIntExact(a.columns());
        // Starts in one window are orthonormal, so a narrow operator (n below the starts asked for) gets few of
        // them: it is searched again from other seeds and the lexicographically largest sequence wins.
        int starts = Math.min(options.topK(), options.blockSize()) + options.spareStarts();
        int rounds = Math.min(8, (starts + n - 1) / n);
        Search best = null;
        int iterations = 0;
        for (int round = 0; round < rounds; round++) {
            SequentialReluOptions seeded = round == 0 ? options
                    : options.toBuilder().seed(options.seed() + 7919L * round).build();
            Search candidate = new Search(scaled, sigma, seeded, label, start);
            candidate.run();
            iterations += candidate.iterations;
            if (best == null || largerSequence(candidate.values, best.values, options.tolerance())) {
                best = candidate;
            }
        }
        return best.result(singularValues, 1 / c, iterations, (System.nanoTime() - start) / 1e9, options);
    }

    /**
     * Lexicographic comparison, values within the tolerance of each other counting as equal: later values inherit
     * the earlier vectors' error (about the tolerance), so closer differences say nothing.
     */
    private static boolean largerSequence(double[] x, double[] y, double tolerance) {
        double scale = Math.max(Matrices.largest(x), Matrices.largest(y));
        for (int k = 0; k < x.length; k++) {
            if (Math.abs(x[k] - y[k]) > Math.max(1e-9, tolerance) * scale) {
                return x[k] > y[k];
            }
        }
        return false;
    }

    /** One search: the window and the vectors locked so far. */
    private static final class Search {
        private final LinearOperator a;
        private final double[] sigma;
        private final SequentialReluOptions options;
        private final String label;
        private final long start;
        private final int n;
        private final int m;
        private final int k;
        private final DataType type;
        private final double tolerance;
        private final double slack;
        /** Values below this are rounding noise of a zero (beyond the rank): they count, and are reported, as 0. */
        private final double noise;
        private final double floor2;
        private final INDArray locked;
        private final double[] values;
        private final double[] residuals;
        private final int[] valueIterations;
        private final boolean[] valueConverged;
        private final INDArray warm;
        private int warmUsed;
        private int count;
        private int iterations;
        private INDArray frozen;
        private Window current;
        /** Iterations since the last lock. */
        private int since;
        /** Whether the leading column restarted from the F2 seed since the last lock. */
        private boolean seeded;
        private long lastProgress;

        Search(LinearOperator a, double[] sigma, SequentialReluOptions options, String label, long start) {
            this.a = a;
            this.sigma = sigma;
            this.options = options;
            this.label = label;
            this.start = start;
            this.lastProgress = start;
            this.n = Math.toIntExact(a.columns());
            this.m = Math.toIntExact(a.rows());
            this.k = Math.min(options.topK(), n);
            this.type = a.dataType();
            this.tolerance = type == DataType.DOUBLE ? options.tolerance()
                    : Math.max(options.tolerance(), FLOAT_TOLERANCE);
            this.slack = type == DataType.DOUBLE ? 1e-12 : 1e-5;
            this.noise = (type == DataType.DOUBLE ? 1e-12 : 1e-5) * sigma[0];
            this.floor2 = FLOOR * sigma[0] * FLOOR * sigma[0];
            this.locked = Nd4j.create(type, new long[] {n, k}, 'f');
            this.values = new double[k];
            this.residuals = new double[k];
            this.valueIterations = new int[k];
            this.valueConverged = new boolean[k];
            INDArray w = options.warmStart();
            if (w != null && w.rows() != n) {
                throw new IllegalArgumentException("warm-start vectors have " + w.rows()
                        + " rows but the operator has " + n + " columns");
            }
            this.warm = w == null ? null : w.castTo(type);
        }

        void run() {
            try (Gaussians rng = new Gaussians(options.seed())) {
                current = window(null, 0, rng);
                while (count < k) {
                    // Each iteration's temporaries live in a workspace reused by the next: peak memory stays a few
                    // windows, not a heap of arrays waiting for the garbage collector.
                    try (MemoryWorkspace temporaries = Workspaces.temporaries("sequential-relu-search")) {
                        iterate(rng);
                    }
                }
            }
        }

        /** One iteration: values, order, residuals; then a lock, an F2 restart, or a step of every column. */
        private void iterate(Gaussians rng) {
            Window w = current;
            iterations++;
            since++;
            if (since % REFRESH == 0) {
                w.refresh();
            }
            // The columns stay where they are; order[j] is the column in position j (by value). The step writes
            // its results in that order, so no iteration moves columns just to sort them.
            double[] s = w.values();
            int[] order = descendingOrder(s);
            double[] residual = w.residuals(s, order, lockedSoFar());
            if (residual[order[0]] > tolerance && since < options.maxIterationsPerValue()) {
                w.step(residual, order, rng);
                return;
            }
            if (!isIdentity(order)) {
                w.reorder(order);
                residual = permute(residual, order);
            }
            if (options.certify() && residual[0] <= tolerance && escapeSaddle(w)) {
                // The leading column sat on a boundary saddle and moved up: it goes on instead of locking.
                orthonormalize(w.x, lockedSoFar(), rng);
                w.restart();
                return;
            }
            int taken = lock(w, residual, since, seeded);
            if (taken > 0) {
                since = 0;
                seeded = false;
                progress();
                if (count < k) {
                    current = window(w, taken, rng);
                }
                return;
            }
            // The leading column settled below sigma_k / sqrt 2: restart it from the F2 seed.
            w.x.getColumn(0).assign(topDirectionSeed(rng));
            orthonormalize(w.x, lockedSoFar(), rng);
            w.restart();
            seeded = true;
        }

        /**
         * Locks the leading column and the columns behind it that meet the tolerance, with fresh values, unless
         * the leading one misses F2 (then nothing is locked, unless it already restarted from the F2 seed).
         *
         * @return how many columns were locked
         */
        private int lock(Window w, double[] residual, int since, boolean seeded) {
            w.refreshImages();
            double[] fresh = w.values();
            int j = 0;
            while (j < w.width && count < k && (j == 0 || residual[j] <= tolerance)) {
                double value = fresh[j] < noise ? 0 : fresh[j];
                double bound = count < sigma.length && sigma[count] > noise ? sigma[count] / SQRT2 : 0;
                if (value < bound * (1 - slack) && !(seeded && j == 0)) {
                    break;
                }
                locked.getColumn(count).assign(w.x.getColumn(j));
                values[count] = value;
                residuals[count] = residual[j];
                valueIterations[count] = j == 0 ? since : 0;
                valueConverged[count] = residual[j] <= tolerance;
                count++;
                j++;
            }
            return j;
        }

        /**
         * The certificate against boundary saddles (docs/algorithms.md): the leading column {@code x} is a KKT
         * point, yet where an inactive row {@code a_i} sits just below activation, the cell {@code S + i} next to
         * x can hold more: x is an eigenvector of that cell's {@code P A_{S+i}^T A_{S+i} P} too, but not
         * necessarily its top one. For the {@value #SADDLE_ROWS} inactive rows closest to activation (by
         * {@code a_i.x/||a_i||}), {@value #LANCZOS_STEPS} Lanczos steps on that matrix, restricted to the
         * complement of {@code [Q, x]} and started from {@code P a_i}; where a Ritz value exceeds {@code f}, x
         * moves along the arc toward its Ritz vector if that raises the value.
         *
         * @return whether x moved (it is then no longer a KKT point)
         */
        private boolean escapeSaddle(Window w) {
            INDArray x = w.x.getColumn(0).dup().reshape(n, 1);
            INDArray y = a.apply(x);
            double[] image = y.dup('f').data().asDouble();
            double f = 0;
            for (double t : image) {
                f += t > 0 ? t * t : 0;
            }
            // The inactive rows nearest to activation, then their norms from A^T e_i.
            Integer[] inactive = IntStream.range(0, m).filter(i -> image[i] <= 0).boxed()
                    .sorted((i, j) -> Double.compare(image[j], image[i])).limit(SADDLE_CANDIDATES)
                    .toArray(Integer[]::new);
            if (inactive.length == 0) {
                return false;
            }
            INDArray units = Nd4j.zeros(type, m, inactive.length).dup('f');
            for (int c = 0; c < inactive.length; c++) {
                units.putScalar(inactive[c], c, 1);
            }
            INDArray rows = a.applyTranspose(units);
            double[] norms = rows.norm2(0).toDoubleVector();
            Integer[] closest = IntStream.range(0, inactive.length).filter(c -> norms[c] > 0).boxed()
                    .sorted((c, d) -> Double.compare(image[inactive[d]] / norms[d], image[inactive[c]] / norms[c]))
                    .limit(SADDLE_ROWS).toArray(Integer[]::new);
            INDArray frozenNow = lockedSoFar();
            for (int c : closest) {
                double[] mask = new double[m];
                for (int i = 0; i < m; i++) {
                    mask[i] = image[i] > 0 ? 1 : 0;
                }
                mask[inactive[c]] = 1;
                INDArray cell = Nd4j.createFromArray(mask).castTo(type).reshape(m, 1);
                INDArray direction = ritzDirection(rows.getColumn(c).dup().reshape(n, 1), cell, x, frozenNow, f);
                if (direction == null) {
                    continue;
                }
                INDArray best = null;
                double bestValue = f;
                for (double t = Math.PI / 2; t > 1e-4; t /= 2) {
                    INDArray candidate = x.mul(Math.cos(t)).addi(direction.mul(Math.sin(t)));
                    double value = Transforms.relu(a.apply(candidate), false).norm2Number().doubleValue();
                    if (value * value > bestValue * (1 + 1e-12)) {
                        bestValue = value * value;
                        best = candidate;
                    }
                }
                if (best != null) {
                    w.x.getColumn(0).assign(best.reshape(-1));
                    return true;
                }
            }
            return false;
        }

        /**
         * The top Ritz vector of {@code M = P A^T D A P} ({@code D = diag(cell)}, P the projection on the complement
         * of {@code [Q, x]}) from {@value #LANCZOS_STEPS} Lanczos steps started at {@code P start}, if its Ritz
         * value exceeds {@code f (1 + 1e-9)}; else null.
         */
        private INDArray ritzDirection(INDArray start, INDArray cell, INDArray x, INDArray frozenNow, double f) {
            INDArray v = complement(start, x, frozenNow);
            double norm = v.norm2Number().doubleValue();
            if (!(norm > 1e-12 * start.norm2Number().doubleValue())) {
                return null;
            }
            v.divi(norm);
            INDArray basis = Nd4j.create(type, new long[] {n, LANCZOS_STEPS}, 'f');
            double[] tridiagonal = new double[LANCZOS_STEPS * LANCZOS_STEPS];
            int size = 0;
            double beta = 0;
            for (int step = 0; step < LANCZOS_STEPS; step++) {
                basis.getColumn(step).assign(v.reshape(-1));
                size++;
                INDArray next = complement(a.applyTranspose(a.apply(v).muli(cell)), x, frozenNow);
                double alpha = next.mul(v).sumNumber().doubleValue();
                tridiagonal[step * LANCZOS_STEPS + step] = alpha;
                // full reorthogonalisation against the basis so far: eight vectors, exact enough to trust theta
                INDArray sofar = basis.get(NDArrayIndex.all(), NDArrayIndex.interval(0, size));
                for (int pass = 0; pass < 2; pass++) {
                    Matrices.projectOut(next, sofar);
                }
                beta = next.norm2Number().doubleValue();
                if (step + 1 == LANCZOS_STEPS || !(beta > 1e-12 * Math.max(Math.abs(alpha), f))) {
                    break;
                }
                tridiagonal[step * LANCZOS_STEPS + step + 1] = beta;
                tridiagonal[(step + 1) * LANCZOS_STEPS + step] = beta;
                v = next.divi(beta);
            }
            double[] small = new double[size * size];
            for (int i = 0; i < size; i++) {
                System.arraycopy(tridiagonal, i * LANCZOS_STEPS, small, i * size, size);
            }
            double[] top = topEigenpair(small, size);
            if (!(top[0] > f * (1 + 1e-9))) {
                return null;
            }
            INDArray coefficients = Nd4j.createFromArray(java.util.Arrays.copyOfRange(top, 1, size + 1))
                    .castTo(type).reshape(size, 1);
            INDArray z = basis.get(NDArrayIndex.all(), NDArrayIndex.interval(0, size)).mmul(coefficients);
            return z.divi(z.norm2Number().doubleValue());
        }

        /** {@code z} with its components along {@code Q} and {@code x} removed. */
        private INDArray complement(INDArray z, INDArray x, INDArray frozenNow) {
            Matrices.projectOut(z, frozenNow);
            Matrices.projectOut(z, x);
            return z;
        }

        private void progress() {
            long now = System.nanoTime();
            if (now - lastProgress >= PROGRESS_NANOS && count < k) {
                lastProgress = now;
                double elapsed = (now - start) / 1e9;
                log.info(String.format(java.util.Locale.ROOT, "%s: %d of %d sequential ReLU values after %.0f s, "
                        + "about %.0f s left", label, count, k, elapsed, elapsed / count * (k - count)));
            }
        }

        /** The vectors locked so far, as their own dense matrix (built once per lock, not per iteration). */
        private INDArray lockedSoFar() {
            if (count == 0) {
                return null;
            }
            if (frozen == null || frozen.columns() != count) {
                try (MemoryWorkspace outside = Workspaces.outside()) {
                    frozen = locked.get(NDArrayIndex.all(), NDArrayIndex.interval(0, count)).dup('f');
                }
            }
            return frozen;
        }

        /**
         * The next window: the columns of {@code previous} still running (from column {@code taken} on, with their
         * previous steps, from which the vectors just locked are projected out), then warm-start vectors not used
         * yet (in their order), then seeded Gaussian starts; orthonormal and orthogonal to the locked vectors.
         */
        private Window window(Window previous, int taken, Gaussians rng) {
            int width = Math.min(Math.min(options.blockSize(), k - count) + options.spareStarts(), n - count);
            INDArray x = Nd4j.create(type, new long[] {n, width}, 'f');
            int filled = 0;
            if (previous != null) {
                filled = Math.min(previous.width - taken, width);
                x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, filled))
                        .assign(previous.x.get(NDArrayIndex.all(), NDArrayIndex.interval(taken, taken + filled)));
            }
            if (warm != null && filled < width && warmUsed < warm.columns()) {
                int take = (int) Math.min(warm.columns() - warmUsed, width - filled);
                x.get(NDArrayIndex.all(), NDArrayIndex.interval(filled, filled + take))
                        .assign(warm.get(NDArrayIndex.all(), NDArrayIndex.interval(warmUsed, warmUsed + take)));
                warmUsed += take;
                filled += take;
            }
            if (filled < width) {
                x.get(NDArrayIndex.all(), NDArrayIndex.interval(filled, width))
                        .assign(rng.sample(type, n, width - filled));
            }
            orthonormalize(x, lockedSoFar(), rng);
            Window next = new Window(x);
            int carried = previous == null ? 0 : Math.min(previous.width - taken, width);
            if (carried > 0 && previous.hasStep) {
                next.carrySteps(previous, taken, carried);
            }
            return next;
        }

        /**
         * The better of {@code +-v}, {@code v} the top right singular vector of {@code A P_Q} (power iteration
         * on {@code P_Q A^T A P_Q}): {@code ||A v|| = sigma_1(A P_Q) >= sigma_k(A)} and
         * {@code ||ReLU(y)||^2 + ||ReLU(-y)||^2 = ||y||^2}, so its value is at least about {@code sigma_k/sqrt 2}.
         */
        private INDArray topDirectionSeed(Gaussians rng) {
            INDArray frozenNow = lockedSoFar();
            INDArray v = rng.sample(type, n, 1);
            INDArray av = Nd4j.create(type, new long[] {m, 1}, 'f');
            double previous = 0;
            for (int i = 0; i < 1000; i++) {
                Matrices.projectOut(v, frozenNow);
                double norm = v.norm2Number().doubleValue();
                v.divi(norm);
                a.apply(v, av);
                a.applyTranspose(av, v);
                if (Math.abs(norm - previous) <= 1e-13 * norm) {
                    break;
                }
                previous = norm;
            }
            Matrices.projectOut(v, frozenNow);
            v.divi(v.norm2Number().doubleValue());
            a.apply(v, av);
            double plus = Transforms.relu(av, true).norm2Number().doubleValue();
            double minus = Transforms.relu(av.neg(), false).norm2Number().doubleValue();
            return plus >= minus ? v : v.negi();
        }

        /** The result, sorted by value (stable: ties keep their locking order), scaled back by {@code back}. */
        SequentialReluSpectrum result(double[] singularValues, double back, int allIterations, double seconds,
                                      SequentialReluOptions asked) {
            int[] order = descendingOrder(values);
            INDArray sorted = locked.dup('f');
            if (!isIdentity(order)) {
                Matrices.permuteColumns(locked, order, sorted);
            }
            int[] its = new int[k];
            boolean[] conv = new boolean[k];
            boolean all = true;
            for (int j = 0; j < k; j++) {
                its[j] = valueIterations[order[j]];
                conv[j] = valueConverged[order[j]];
                all &= conv[j];
            }
            return new SequentialReluSpectrum(Matrices.scaled(permute(values, order), back), sorted, singularValues,
                    allIterations, all, permute(residuals, order), its, conv, locked, seconds, asked);
        }

        /**
         * The window's state in a few buffers, allocated once per window: {@code V = [X | D | P]} (the current
         * vectors, their KKT directions and their previous steps, orthogonalised) and {@code B = A V}, so that a
         * step is one product of each with the small coefficient matrix.
         */
        private final class Window {
            final int width;
            final INDArray v;
            final INDArray b;
            final INDArray x;
            final INDArray d;
            final INDArray p;
            final INDArray y;
            final INDArray ad;
            final INDArray ap;
            final INDArray step;
            final INDArray astep;
            final INDArray u;
            final INDArray g;
            final INDArray xScratch;
            final INDArray yScratch;
            final INDArray vOut;
            final INDArray bOut;
            /** B's entries for the small problems, read into the same Java array every iteration. */
            final double[] bData;
            boolean hasStep;

            Window(INDArray start) {
                this.width = Math.toIntExact(start.columns());
                // The window's buffers outlive the iteration that creates them.
                try (MemoryWorkspace outside = Workspaces.outside()) {
                    this.v = Nd4j.create(type, new long[] {n, 3L * width}, 'f');
                    this.b = Nd4j.create(type, new long[] {m, 3L * width}, 'f');
                    this.x = v.get(NDArrayIndex.all(), NDArrayIndex.interval(0, width));
                    this.d = v.get(NDArrayIndex.all(), NDArrayIndex.interval(width, 2 * width));
                    this.p = v.get(NDArrayIndex.all(), NDArrayIndex.interval(2 * width, 3 * width));
                    this.y = b.get(NDArrayIndex.all(), NDArrayIndex.interval(0, width));
                    this.ad = b.get(NDArrayIndex.all(), NDArrayIndex.interval(width, 2 * width));
                    this.ap = b.get(NDArrayIndex.all(), NDArrayIndex.interval(2 * width, 3 * width));
                    this.step = Nd4j.create(type, new long[] {n, width}, 'f');
                    this.astep = Nd4j.create(type, new long[] {m, width}, 'f');
                    this.u = Nd4j.create(type, new long[] {m, width}, 'f');
                    this.g = Nd4j.create(type, new long[] {n, width}, 'f');
                    this.xScratch = Nd4j.create(type, new long[] {n, width}, 'f');
                    this.yScratch = Nd4j.create(type, new long[] {m, width}, 'f');
                    this.vOut = Nd4j.create(type, new long[] {n, 2L * width}, 'f');
                    this.bOut = Nd4j.create(type, new long[] {m, 2L * width}, 'f');
                }
                this.bData = new double[3 * width * m];
                x.assign(start);
                restart();
            }

            /**
             * Takes over the previous steps of the {@code carried} columns that moved on from window {@code from}
             * (its columns {@code taken ..}), minus their components along the vectors just locked, {@code from}'s
             * columns {@code 0 .. taken - 1} (whose images {@code from.y} are fresh at a lock).
             */
            void carrySteps(Window from, int taken, int carried) {
                INDArray lockedX = from.x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, taken));
                INDArray lockedY = from.y.get(NDArrayIndex.all(), NDArrayIndex.interval(0, taken));
                INDArray steps = from.step.get(NDArrayIndex.all(), NDArrayIndex.interval(taken, taken + carried)).dup('f');
                INDArray images = from.astep.get(NDArrayIndex.all(), NDArrayIndex.interval(taken, taken + carried))
                        .dup('f');
                INDArray along = Nd4j.gemm(lockedX, steps, true, false);
                Nd4j.gemm(lockedX, along, steps, false, false, -1.0, 1.0);
                Nd4j.gemm(lockedY, along, images, false, false, -1.0, 1.0);
                step.get(NDArrayIndex.all(), NDArrayIndex.interval(0, carried)).assign(steps);
                astep.get(NDArrayIndex.all(), NDArrayIndex.interval(0, carried)).assign(images);
                hasStep = true;
            }

            /** {@code Y = A X} afresh and no previous step (after the columns moved by other means). */
            void restart() {
                a.apply(x, yScratch);
                y.assign(yScratch);
                step.assign(0);
                astep.assign(0);
                hasStep = false;
            }

            /** {@code Y = A X} afresh (the values at a lock). */
            void refreshImages() {
                a.apply(x, yScratch);
                y.assign(yScratch);
            }

            /** {@code Y = A X} and {@code A (step)} afresh. */
            void refresh() {
                a.apply(x, yScratch);
                y.assign(yScratch);
                if (hasStep) {
                    a.apply(step, astep);
                }
            }

            /**
             * {@code s_j = ||ReLU(y_j)||}, with {@code U = ReLU(Y)} left in {@code u}. A column with
             * {@code ReLU(y) = 0} but {@code y != 0} turns into {@code -x}, whose value is {@code ||y||}; values at
             * rounding level count as 0 (left as is, they would reorder at random).
             */
            double[] values() {
                Transforms.relu(u.assign(y), false);
                double[] s = u.norm2(0).toDoubleVector();
                for (int j = 0; j < width; j++) {
                    if (s[j] == 0) {
                        double flipped = y.getColumn(j).norm2Number().doubleValue();
                        if (flipped > 0) {
                            x.getColumn(j).negi();
                            y.getColumn(j).negi();
                            step.getColumn(j).assign(0);
                            astep.getColumn(j).assign(0);
                            Transforms.relu(u.getColumn(j).assign(y.getColumn(j)), false);
                            s[j] = flipped;
                        }
                    }
                    if (s[j] < noise) {
                        s[j] = 0;
                    }
                }
                return s;
            }

            /** Puts the columns in the given order (products with the permutation matrix: exact). */
            void reorder(int[] order) {
                for (INDArray block : new INDArray[] {x, step, u}) {
                    Matrices.permuteColumns(block, order, block == u ? yScratch : xScratch);
                    block.assign(block == u ? yScratch : xScratch);
                }
                for (INDArray block : new INDArray[] {y, astep}) {
                    Matrices.permuteColumns(block, order, yScratch);
                    block.assign(yScratch);
                }
            }

            /**
             * The KKT residuals {@code r_j = P_j(A^T u_j) - f_j x_j} into {@code d}, and their sizes relative to
             * {@code max(f_j, (floor sigma_1)^2)}, per column: {@code G = P_Q A^T U},
             * {@code R = G - X M(X^T G)} with {@code M} keeping the entries (i, j) where column i is at or before
             * column j in {@code order} (as {@code x_j^T A^T u_j = ||u_j||^2 = f_j}).
             */
            double[] residuals(double[] s, int[] order, INDArray frozenNow) {
                a.applyTranspose(u, g);
                Matrices.projectOut(g, frozenNow);
                double[] c = Nd4j.gemm(x, g, true, false).dup('f').data().asDouble();
                int[] rank = new int[width];
                for (int j = 0; j < width; j++) {
                    rank[order[j]] = j;
                }
                for (int j = 0; j < width; j++) {
                    for (int i = 0; i < width; i++) {
                        if (rank[i] > rank[j]) {
                            c[j * width + i] = 0;
                        }
                    }
                }
                d.assign(g);
                Nd4j.gemm(x, Nd4j.create(c, new long[] {width, width}, 'f').castTo(type), d, false, false, -1.0, 1.0);
                // R = P_Q(A^T U) - X M; X holds a trace of Q (rounding), which near convergence is as large as R
                // itself: the projection comes after the subtraction, so normalising R cannot make it a direction.
                Matrices.projectOut(d, frozenNow);
                double[] norms = d.norm2(0).toDoubleVector();
                double[] residual = new double[width];
                for (int j = 0; j < width; j++) {
                    residual[j] = s[j] == 0 ? 0 : norms[j] / Math.max(s[j] * s[j], floor2);
                }
                return residual;
            }

            /**
             * One locally optimal step of every column in {@code span{x_j, d_j, p_j}}: {@code d_j} the normalised
             * residual, {@code p_j} the previous step orthogonalised against both; then
             * {@code X <- QR(P_Q X)} with {@code Y} carried along.
             */
            void step(double[] residual, int[] order, Gaussians rng) {
                // D = R / ||R||; a residual at rounding level is no direction and stays zero
                double[] norms = d.norm2(0).toDoubleVector();
                double[] inverse = new double[width];
                for (int j = 0; j < width; j++) {
                    inverse[j] = residual[j] > NO_DIRECTION && norms[j] > 0 ? 1 / norms[j] : 0;
                }
                d.muliRowVector(Nd4j.createFromArray(inverse).castTo(type).reshape(1, width));
                a.apply(d, ad);
                if (hasStep) {
                    orthogonalizeSteps();
                } else {
                    p.assign(0);
                    ap.assign(0);
                }
                readInto(b, bData);
                double[] coefficients = smallSteps(bData);
                // The outputs come out in value order: column j takes the coefficients of column order[j].
                // [C | C'] (3w x 2w, column-major): C' is C without the x parts, the step alone
                int rows = 3 * width;
                double[] combined = new double[rows * 2 * width];
                for (int j = 0; j < width; j++) {
                    System.arraycopy(coefficients, order[j] * rows, combined, j * rows, rows);
                    System.arraycopy(coefficients, order[j] * rows, combined, (width + j) * rows, rows);
                    combined[(width + j) * rows + order[j]] = 0;
                }
                INDArray both = Nd4j.create(combined, new long[] {rows, 2L * width}, 'f').castTo(type);
                // [X | step] <- V [C | C'],  [Y | A step] <- B [C | C']
                Nd4j.gemm(v, both, vOut, false, false, 1.0, 0.0);
                Nd4j.gemm(b, both, bOut, false, false, 1.0, 0.0);
                x.assign(vOut.get(NDArrayIndex.all(), NDArrayIndex.interval(0, width)));
                step.assign(vOut.get(NDArrayIndex.all(), NDArrayIndex.interval(width, 2 * width)));
                y.assign(bOut.get(NDArrayIndex.all(), NDArrayIndex.interval(0, width)));
                astep.assign(bOut.get(NDArrayIndex.all(), NDArrayIndex.interval(width, 2 * width)));
                hasStep = true;
                INDArray frozenNow = lockedSoFar();
                if (frozenNow != null && iterations % REFRESH == 0) {
                    // The new columns are combinations of vectors orthogonal to Q; rounding drifts slowly.
                    Matrices.projectOut(x, frozenNow);
                }
                if (!orthonormalizeCarrying()) {
                    orthonormalize(x, frozenNow, rng);
                    restart();
                }
            }

            /**
             * {@code P = step - X diag(x^T step) - D diag(d^T step)}, normalised, with {@code A P} by the same
             * combination: {@code [X | D]^T step} and the correction are one product each.
             */
            private void orthogonalizeSteps() {
                INDArray xd = v.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2 * width));
                INDArray yad = b.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2 * width));
                double[] dots = Nd4j.gemm(xd, step, true, false).dup('f').data().asDouble();  // 2w x w
                double[] diagonal = new double[2 * width * width];
                for (int j = 0; j < width; j++) {
                    diagonal[j * 2 * width + j] = dots[j * 2 * width + j];
                    diagonal[j * 2 * width + width + j] = dots[j * 2 * width + width + j];
                }
                INDArray coefficients = Nd4j.create(diagonal, new long[] {2L * width, width}, 'f').castTo(type);
                double[] before = step.norm2(0).toDoubleVector();
                p.assign(step);
                Nd4j.gemm(xd, coefficients, p, false, false, -1.0, 1.0);
                ap.assign(astep);
                Nd4j.gemm(yad, coefficients, ap, false, false, -1.0, 1.0);
                // What is left of a step inside span{x_j, d_j} is cancellation noise, not a direction.
                double[] after = p.norm2(0).toDoubleVector();
                double[] scale = new double[width];
                for (int j = 0; j < width; j++) {
                    scale[j] = after[j] > NEW_DIRECTION * before[j] ? 1 / after[j] : 0;
                }
                INDArray inverse = Nd4j.createFromArray(scale).castTo(type).reshape(1, width);
                p.muliRowVector(inverse);
                ap.muliRowVector(inverse);
            }

            /** Per column j of the window, the coefficients of {@code [x_j, d_j, p_j]} in the 3w x w matrix C. */
            private double[] smallSteps(double[] bData) {
                double[] coefficients = new double[3 * width * width];
                for (int j = 0; j < width; j++) {
                    double[] c = smallMax(bData, m, j * m, (width + j) * m, (2 * width + j) * m);
                    coefficients[j * 3 * width + j] = c[0];
                    coefficients[j * 3 * width + width + j] = c[1];
                    coefficients[j * 3 * width + 2 * width + j] = c[2];
                }
                return coefficients;
            }

            /**
             * Cholesky QR, column-ordered: {@code X <- X R^-1} with {@code G = X^T X = R^T R}, applying the same
             * {@code R^-1} to {@code Y} so that {@code Y = A X} stays true; a second pass where the first left the
             * columns short of orthonormal to rounding (the step moves each column by a unit combination, so one
             * pass usually does).
             *
             * @return false if a column depends on the ones before it (pivot below {@value #DEPENDENT} of its
             *         norm), leaving X to be orthonormalised afresh
             */
            private boolean orthonormalizeCarrying() {
                for (int pass = 0; pass < 2; pass++) {
                    double[] gram = Nd4j.gemm(x, x, true, false).dup('f').data().asDouble();
                    if (pass == 1 && nearIdentity(gram, width)) {
                        return true;
                    }
                    double[] inverse = inverseCholesky(gram, width, pass == 0 ? DEPENDENT : 1e-6);
                    boolean onePass = pass == 0 && nearIdentity(gram, width, ONE_PASS);
                    if (inverse == null) {
                        return false;
                    }
                    INDArray rInverse = Nd4j.create(inverse, new long[] {width, width}, 'f').castTo(type);
                    Nd4j.gemm(x, rInverse, xScratch, false, false, 1.0, 0.0);
                    x.assign(xScratch);
                    Nd4j.gemm(y, rInverse, yScratch, false, false, 1.0, 0.0);
                    y.assign(yScratch);
                    if (onePass) {
                        return true;
                    }
                }
                return true;
            }
        }
    }

    /** Whether a Gram matrix is the identity to about single precision: orthonormal, no second pass needed. */
    private static boolean nearIdentity(double[] gram, int c) {
        return nearIdentity(gram, c, 1e-8);
    }

    private static boolean nearIdentity(double[] gram, int c, double within) {
        for (int i = 0; i < c; i++) {
            for (int j = 0; j < c; j++) {
                if (!(Math.abs(gram[j * c + i] - (i == j ? 1 : 0)) <= within)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The entries of a dense 'f'-ordered array (its own buffer), column-major, into {@code out}: no allocation. */
    private static void readInto(INDArray a, double[] out) {
        if (a.dataType() == DataType.DOUBLE) {
            a.data().asNioDouble().get(out, 0, out.length);
        } else {
            java.nio.FloatBuffer floats = a.data().asNioFloat();
            for (int i = 0; i < out.length; i++) {
                out[i] = floats.get(i);
            }
        }
    }

    /**
     * {@code R^-1} (column-major) for the upper Cholesky factor of {@code G = R^T R} ({@code c x c}), or null where
     * a pivot {@code R_jj} falls below {@code minShare sqrt(G_jj)}.
     */
    static double[] inverseCholesky(double[] gram, int c, double minShare) {
        double[] r = new double[c * c];  // column-major upper triangle
        for (int j = 0; j < c; j++) {
            for (int i = 0; i <= j; i++) {
                double sum = gram[j * c + i];
                for (int l = 0; l < i; l++) {
                    sum -= r[i * c + l] * r[j * c + l];
                }
                if (i == j) {
                    if (!(sum > 0) || Math.sqrt(sum) < minShare * Math.sqrt(gram[j * c + j])) {
                        return null;
                    }
                    r[j * c + j] = Math.sqrt(sum);
                } else {
                    r[j * c + i] = sum / r[i * c + i];
                }
            }
        }
        double[] inverse = new double[c * c];
        for (int j = 0; j < c; j++) {
            inverse[j * c + j] = 1 / r[j * c + j];
            for (int i = j - 1; i >= 0; i--) {
                double sum = 0;
                for (int l = i + 1; l <= j; l++) {
                    sum += r[l * c + i] * inverse[j * c + l];
                }
                inverse[j * c + i] = -sum / r[i * c + i];
            }
        }
        return inverse;
    }

    /**
     * The column's small problem: maximise {@code ||ReLU(B c)||} over unit {@code c} in R^3, {@code B = [b0 b1 b2]}
     * (its vector's image, its direction's, its previous step's; {@code m} entries each from the given offsets of
     * {@code data}), from {@code c = e1}. Each step takes the top eigenvector {@code v} of {@code B_S^T B_S},
     * {@code S} the rows active at c, signed toward c, and accepts the first of {@code v, v + c, v + 2c, v + 4c}
     * that strictly raises the value; it stops when none does. Monotone by construction.
     */
    static double[] smallMax(double[] data, int m, int o0, int o1, int o2) {
        double[] c = {1, 0, 0};
        double value = value(data, m, o0, o1, o2, c);
        for (int stepIndex = 0; stepIndex < SMALL_STEPS; stepIndex++) {
            double[] gram = new double[9];
            for (int i = 0; i < m; i++) {
                double b0 = data[o0 + i];
                double b1 = data[o1 + i];
                double b2 = data[o2 + i];
                if (c[0] * b0 + c[1] * b1 + c[2] * b2 > 0) {
                    gram[0] += b0 * b0;
                    gram[1] += b0 * b1;
                    gram[2] += b0 * b2;
                    gram[4] += b1 * b1;
                    gram[5] += b1 * b2;
                    gram[8] += b2 * b2;
                }
            }
            gram[3] = gram[1];
            gram[6] = gram[2];
            gram[7] = gram[5];
            double[] top = topEigenvector3(gram);
            if (top[0] * c[0] + top[1] * c[1] + top[2] * c[2] < 0) {
                top[0] = -top[0];
                top[1] = -top[1];
                top[2] = -top[2];
            }
            boolean accepted = false;
            for (double back : BACKTRACK) {
                double[] candidate = {top[0] + back * c[0], top[1] + back * c[1], top[2] + back * c[2]};
                double norm = Math.sqrt(candidate[0] * candidate[0] + candidate[1] * candidate[1]
                        + candidate[2] * candidate[2]);
                if (!(norm > 0)) {
                    continue;
                }
                candidate[0] /= norm;
                candidate[1] /= norm;
                candidate[2] /= norm;
                double candidateValue = value(data, m, o0, o1, o2, candidate);
                if (candidateValue > value) {
                    c = candidate;
                    value = candidateValue;
                    accepted = true;
                    break;
                }
            }
            if (!accepted) {
                double[] arc = arcStep(data, m, o0, o1, o2, c, value);
                if (arc == null) {
                    break;
                }
                c = arc;
                value = value(data, m, o0, o1, o2, c);
            }
        }
        return c;
    }

    /**
     * Where the pattern's eigenvector overshoots into cells of lower value: the arc
     * {@code cos(t) c + sin(t) g/||g||} along the tangent gradient {@code g = B^T ReLU(B c) - (.) c}, halving t from
     * 1/2 until the value rises (it must, for small t, as f is C^1), or null where g vanishes.
     */
    private static double[] arcStep(double[] data, int m, int o0, int o1, int o2, double[] c, double value) {
        double[] g = new double[3];
        for (int i = 0; i < m; i++) {
            double t = c[0] * data[o0 + i] + c[1] * data[o1 + i] + c[2] * data[o2 + i];
            if (t > 0) {
                g[0] += t * data[o0 + i];
                g[1] += t * data[o1 + i];
                g[2] += t * data[o2 + i];
            }
        }
        double along = g[0] * c[0] + g[1] * c[1] + g[2] * c[2];
        for (int r = 0; r < 3; r++) {
            g[r] -= along * c[r];
        }
        double norm = Math.sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2]);
        if (!(norm > 1e-15 * Math.max(value, 1e-300))) {
            return null;
        }
        for (double t = 0.5; t > 1e-9; t /= 2) {
            double cos = Math.cos(t);
            double sin = Math.sin(t) / norm;
            double[] candidate = {cos * c[0] + sin * g[0], cos * c[1] + sin * g[1], cos * c[2] + sin * g[2]};
            if (value(data, m, o0, o1, o2, candidate) > value) {
                return candidate;
            }
        }
        return null;
    }

    /** {@code ||ReLU(B c)||^2}. */
    private static double value(double[] data, int m, int o0, int o1, int o2, double[] c) {
        double sum = 0;
        for (int i = 0; i < m; i++) {
            double t = c[0] * data[o0 + i] + c[1] * data[o1 + i] + c[2] * data[o2 + i];
            if (t > 0) {
                sum += t * t;
            }
        }
        return sum;
    }

    /** The unit eigenvector of the largest eigenvalue of a symmetric 3 x 3 matrix (row-major). */
    static double[] topEigenvector3(double[] matrix) {
        return java.util.Arrays.copyOfRange(topEigenpair(matrix, 3), 1, 4);
    }

    /**
     * The largest eigenvalue of a symmetric {@code k x k} matrix (row-major) and its unit eigenvector, as
     * {@code [lambda, v_1 .. v_k]}, by cyclic Jacobi rotations: deterministic, exact to rounding after a few
     * sweeps. Ties go to the lowest index.
     */
    static double[] topEigenpair(double[] matrix, int k) {
        double[] a = matrix.clone();
        double[] v = new double[k * k];
        for (int i = 0; i < k; i++) {
            v[i * k + i] = 1;
        }
        for (int sweep = 0; sweep < 50; sweep++) {
            double off = 0;
            double diagonal = 0;
            for (int p = 0; p < k; p++) {
                diagonal += a[p * k + p] * a[p * k + p];
                for (int q = p + 1; q < k; q++) {
                    off += a[p * k + q] * a[p * k + q];
                }
            }
            if (off <= 1e-30 * diagonal || off == 0) {
                break;
            }
            for (int p = 0; p < k - 1; p++) {
                for (int q = p + 1; q < k; q++) {
                    double apq = a[p * k + q];
                    if (apq == 0) {
                        continue;
                    }
                    double theta = (a[q * k + q] - a[p * k + p]) / (2 * apq);
                    double t = theta == 0 ? 1 : Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    double cos = 1 / Math.sqrt(t * t + 1);
                    double sin = t * cos;
                    for (int r = 0; r < k; r++) {
                        double arp = a[r * k + p];
                        double arq = a[r * k + q];
                        a[r * k + p] = cos * arp - sin * arq;
                        a[r * k + q] = sin * arp + cos * arq;
                    }
                    for (int r = 0; r < k; r++) {
                        double apr = a[p * k + r];
                        double aqr = a[q * k + r];
                        a[p * k + r] = cos * apr - sin * aqr;
                        a[q * k + r] = sin * apr + cos * aqr;
                    }
                    for (int r = 0; r < k; r++) {
                        double vrp = v[r * k + p];
                        double vrq = v[r * k + q];
                        v[r * k + p] = cos * vrp - sin * vrq;
                        v[r * k + q] = sin * vrp + cos * vrq;
                    }
                }
            }
        }
        int best = 0;
        for (int i = 1; i < k; i++) {
            if (a[i * k + i] > a[best * k + best]) {
                best = i;
            }
        }
        double[] out = new double[k + 1];
        out[0] = a[best * k + best];
        for (int r = 0; r < k; r++) {
            out[1 + r] = v[r * k + best];
        }
        return out;
    }

    /** Orthonormalises the columns of x in order, orthogonal to {@code frozen}; refills lost directions. */
    private static void orthonormalize(INDArray x, INDArray frozen, Gaussians rng) {
        for (int attempt = 0; attempt < 4; attempt++) {
            double scale = x.norm2(0).maxNumber().doubleValue();
            Matrices.projectOut(x, frozen);
            if (Matrices.orthonormalizeColumns(x, Nd4j.create(x.dataType(), x.shape(), 'f'), scale)) {
                // One more projection: rounding in the QR reintroduces a trace of the span projected out.
                Matrices.projectOut(x, frozen);
                if (Matrices.orthonormalizeColumns(x)) {
                    return;
                }
            }
            // Dependent columns: perturb the block with seeded noise and try again.
            x.addi(rng.sample(x.dataType(), x.shape()).muli(1e-3 * Math.max(1e-30, x.norm2Number().doubleValue())));
        }
        throw new IllegalStateException("could not build " + x.columns() + " orthonormal vectors in the "
                + "complement of the vectors already found (dimension " + x.rows() + ")");
    }

    private static double[] permute(double[] values, int[] order) {
        double[] out = new double[order.length];
        for (int j = 0; j < order.length; j++) {
            out[j] = values[order[j]];
        }
        return out;
    }

    private static boolean isIdentity(int[] order) {
        return IntStream.range(0, order.length).allMatch(j -> order[j] == j);
    }

    /** Indices sorted by value, largest first; ties keep their order. */
    private static int[] descendingOrder(double[] values) {
        return IntStream.range(0, values.length).boxed()
                .sorted((i, j) -> Double.compare(values[j], values[i]))
                .mapToInt(Integer::intValue).toArray();
    }
}
