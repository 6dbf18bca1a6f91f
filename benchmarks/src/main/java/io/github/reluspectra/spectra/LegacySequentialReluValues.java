package io.github.reluspectra.spectra;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The sequential search of version 0.1 (value-change stopping rule, alternating ascent with Rayleigh-Ritz
 * inner steps), kept only to be measured side by side with the current one. ReLU singular values (definitions §2):
 * <pre>
 *   x_k = argmax { ||ReLU(A x)|| : ||x|| = 1, x orthogonal to x_1..x_{k-1} },   s_k = ||ReLU(A x_k)||
 * </pre>
 *
 * <p>Algorithm: block alternating ascent on {@code u^T A x} with {@code u >= 0}, as a sliding window of
 * starts {@code X = [x_1 .. x_c]} updated by two GEMMs per iteration,
 * <pre>
 *   U = ReLU(A X) / column norms,   X = orth(P A^T U)
 * </pre>
 * where {@code orth} is a column-ordered QR (column j orthogonalised against columns 1..j-1) and
 * {@code P} projects out the vectors already locked. Columns are re-sorted by value every iteration, so a
 * spare start that finds a better maximum takes its place. For the first column this is exactly the
 * monotone ascent (docs/definitions.md §2); at a fixed point every column is a maximiser in the orthogonal complement
 * of the columns before it, which is the sequential definition. Leading columns whose values have
 * settled are locked (they become {@code x_k}) and fresh seeded starts refill the window.
 *
 * <p>Fact F2 ({@code s_k >= sigma_k / sqrt 2}) is checked for every value before it is locked; a leading
 * column that misses it is replaced by the better of {@code +-v}, {@code v} the top right singular vector
 * of {@code A P}, whose value already meets the bound, and the ascent of the leading column only
 * increases it.
 *
 * <p>Tie-break: among starts of equal value the earlier column wins; columns are ordered warm-start
 * vectors first, then seeded Gaussian starts, so the same seed gives the same vectors.
 */
public final class LegacySequentialReluValues {

    /** The old defaults: windows of 32 + 16 spare starts, value-change tolerance 1e-6, 500 iterations per block. */
    public static SequentialReluOptions defaults(int topK, long seed, INDArray warmStart) {
        return SequentialReluOptions.builder().topK(topK).blockSize(32).spareStarts(16).tolerance(1e-6)
                .maxIterationsPerValue(500).seed(seed).warmStart(warmStart).build();
    }

    /** What the old search returned. */
    public record Result(double[] values, INDArray vectors, int iterations, boolean converged) {
    }

    private static final double SQRT2 = Math.sqrt(2);
    /** Ascent steps inside each subspace step (2 took 60% more iterations, 8 cost more than it saved). */
    private static final int INNER_STEPS = 4;
    /** Every REFRESH-th step is a plain one, recomputing Y = A X from scratch against rounding drift. */
    private static final int REFRESH = 10;

    private LegacySequentialReluValues() {
    }

    /** Computes the ReLU singular values of {@code a} ({@code m x n}); the classical ones come along. */
    public static Result compute(INDArray a, SequentialReluOptions options) {
        Matrices.requireOperator(a, "operator");
        return best(a, SingularValues.ofValidated(a), options);
    }

    /**
     * As {@link #compute(INDArray, SequentialReluOptions)}, with the classical singular values of {@code a} already
     * known (for example from the same analysis), which saves one SVD.
     */
    public static Result compute(INDArray a, double[] singularValues, SequentialReluOptions options) {
        Matrices.requireOperator(a, "operator");
        if (singularValues.length != Math.min(a.rows(), a.columns())) {
            throw new IllegalArgumentException("expected " + Math.min(a.rows(), a.columns())
                    + " singular values, got " + singularValues.length);
        }
        return best(a, singularValues, options);
    }

    /**
     * The search runs on the operator scaled to entries of order 1 ({@link Matrices#unitScale}). Starts in one
     * window are orthonormal, so a narrow operator (n below the starts asked for) gets few of
     * them; it is searched again from other seeds and the lexicographically largest sequence wins.
     */
    private static Result best(INDArray operator, double[] singularValues, SequentialReluOptions options) {
        double c = Matrices.unitScale(operator);
        INDArray a = Matrices.scaled(operator, c);
        double[] sigma = Matrices.scaled(singularValues, c);
        int n = Math.toIntExact(a.columns());
        int starts = Math.min(options.topK(), options.blockSize()) + options.spareStarts();
        int rounds = Math.min(8, (starts + n - 1) / n);
        Result best = null;
        for (int round = 0; round < rounds; round++) {
            SequentialReluOptions seeded = round == 0 ? options
                    : options.toBuilder().seed(options.seed() + 7919L * round).build();
            Result candidate = new Search(a, sigma, seeded).run();
            if (best == null || largerSequence(candidate.values(), best.values())) {
                best = candidate;
            }
        }
        return new Result(Matrices.scaled(best.values(), 1 / c), best.vectors(), best.iterations(), best.converged());
    }

    private static boolean largerSequence(double[] x, double[] y) {
        double scale = Math.max(Matrices.largest(x), Matrices.largest(y));
        for (int k = 0; k < x.length; k++) {
            if (Math.abs(x[k] - y[k]) > 1e-9 * scale) {
                return x[k] > y[k];
            }
        }
        return false;
    }

    /** One computation: the window of starts and the vectors locked so far. */
    private static final class Search {
        private final INDArray a;
        private final double[] sigma;
        private final SequentialReluOptions options;
        private final int n;
        private final int k;
        private final DataType type;
        private final INDArray locked;
        private final double[] values;
        private final double slack;
        private int count;
        private INDArray frozen;
        /** Values below this are rounding noise of a zero (beyond the rank): they count, and are reported, as 0. */
        private final double noise;

        Search(INDArray a, double[] sigma, SequentialReluOptions options) {
            this.a = a;
            this.sigma = sigma;
            this.options = options;
            this.n = Math.toIntExact(a.columns());
            this.k = Math.min(options.topK(), n);
            this.type = a.dataType();
            this.locked = Nd4j.create(type, new long[] {n, k}, 'f');
            this.values = new double[k];
            this.slack = type == DataType.DOUBLE ? 1e-12 : 1e-5;
            this.noise = (type == DataType.DOUBLE ? 1e-12 : 1e-5) * (sigma.length > 0 ? sigma[0] : 0);
            INDArray warm = options.warmStart();
            if (warm != null && warm.rows() != n) {
                throw new IllegalArgumentException("warm-start vectors have " + warm.rows()
                        + " rows but the operator has " + n + " columns");
            }
        }

        Result run() {
            int iterations = 0;
            int sinceLock = 0;
            boolean converged = true;
            boolean seeded = false;
            try (Gaussians rng = new Gaussians(options.seed())) {
                Window w = new Window(refill(null, options.warmStart() == null ? null
                        : options.warmStart().castTo(type), rng));
                double[] previous = null;
                boolean yCurrent = false;
                while (true) {
                    // Y = A X,  U = ReLU(Y): the value of column j is ||u_j||.
                    if (!yCurrent) {
                        Nd4j.gemm(a, w.x, w.y, false, false, 1.0, 0.0);
                    }
                    yCurrent = false;
                    Transforms.relu(w.u.assign(w.y), false);
                    double[] value = w.u.norm2(0).toDoubleVector();
                    flipDeadColumns(w.x, w.y, w.u, value);
                    snapRoundingToZero(value);
                    iterations++;
                    sinceLock++;
                    int[] order = descendingOrder(value);
                    if (!isIdentity(order)) {
                        w.reorder(order);
                        value = permute(value, order);
                        previous = previous == null ? null : permute(previous, order);
                    }
                    int settled = settledPrefix(value, previous, order);
                    if (settled == 0 && sinceLock >= options.maxIterationsPerValue()) {
                        settled = 1;
                        converged = false;
                    }
                    int lock = 0;
                    while (lock < settled && count < k) {
                        double bound = count < sigma.length && sigma[count] > noise ? sigma[count] / SQRT2 : 0;
                        if (value[lock] < bound * (1 - slack) && !(seeded && lock == 0)) {
                            break;
                        }
                        locked.getColumn(count).assign(w.x.getColumn(lock));
                        values[count++] = value[lock++];
                        seeded = false;
                    }
                    if (count == k) {
                        break;
                    }
                    if (lock > 0) {
                        sinceLock = 0;
                        w = new Window(refill(w.x.get(NDArrayIndex.all(), NDArrayIndex.interval(lock, w.width())),
                                null, rng));
                        previous = null;
                        continue;
                    }
                    if (settled > 0) {
                        // The leading column settled below sigma_k / sqrt 2: restart it from the F2 seed.
                        w.x.getColumn(0).assign(topDirectionSeed());
                        orthonormalize(w.x, lockedSoFar(), rng);
                        seeded = true;
                        previous = null;
                        continue;
                    }
                    // U <- U / ||U||; columns of value 0 stay 0 and the QR refills them.
                    double[] safe = Arrays.stream(value).map(v -> v > 0 ? v : 1).toArray();
                    w.u.diviRowVector(Nd4j.createFromArray(safe).castTo(type));
                    INDArray frozen = lockedSoFar();
                    if (2 * w.width() <= n - count && iterations % REFRESH != 0) {
                        subspaceStep(w, frozen, rng);
                        yCurrent = true;
                    } else {
                        // X <- orth(P A^T U)
                        Nd4j.gemm(a, w.u, w.x, true, false, 1.0, 0.0);
                        double scale = w.x.norm2(0).maxNumber().doubleValue();
                        Matrices.projectOut(w.x, frozen);
                        if (!Matrices.orthonormalizeColumns(w.x, w.scratch, scale)) {
                            orthonormalize(w.x, frozen, rng);
                        }
                    }
                    previous = value;
                }
            }
            sortLocked();
            return new Result(values, locked, iterations, converged);
        }

        /**
         * One outer step on the subspace {@code S = [X | Z]}, {@code Z = orth(P A^T U)} orthogonal to X: the
         * window's problem is solved approximately inside S (a few ascent steps on the small operator
         * {@code A S}, starting from X), so X moves to the best combination of itself and its ascent
         * direction rather than to the ascent direction alone (a Rayleigh-Ritz step for ReLU). Leaves X
         * orthonormal and Y = A X current; costs the same two large GEMMs as a plain step.
         */
        private void subspaceStep(Window w, INDArray frozen, Gaussians rng) {
            int width = w.width();
            INDArray z = Nd4j.gemm(a, w.u, true, false);
            double scale = z.norm2(0).maxNumber().doubleValue();
            Matrices.projectOut(z, frozen);
            Matrices.projectOut(z, w.x);
            if (!Matrices.orthonormalizeColumns(z, w.scratch, scale)) {
                orthonormalize(z, rng, frozen, w.x);
            }
            INDArray bs = Nd4j.hstack(w.y, Nd4j.gemm(a, z, false, false));
            INDArray c = refine(bs, INNER_STEPS);
            INDArray top = c.get(NDArrayIndex.interval(0, width), NDArrayIndex.all()).dup('f');
            INDArray bottom = c.get(NDArrayIndex.interval(width, 2 * width), NDArrayIndex.all()).dup('f');
            // X <- X C_top + Z C_bottom,  Y <- [Y | A Z] C
            Nd4j.gemm(w.x, top, w.scratch, false, false, 1.0, 0.0);
            Nd4j.gemm(z, bottom, w.scratch, false, false, 1.0, 1.0);
            w.x.assign(w.scratch);
            Nd4j.gemm(bs, c, w.y, false, false, 1.0, 0.0);
        }

        /** The window's buffers, allocated once per window width: no allocation inside the ascent. */
        private final class Window {
            final INDArray x;
            final INDArray scratch;
            INDArray y;
            INDArray u;

            Window(INDArray x) {
                this.x = x;
                this.y = Nd4j.create(type, new long[] {a.rows(), x.columns()}, 'f');
                this.u = Nd4j.create(type, new long[] {a.rows(), x.columns()}, 'f');
                this.scratch = Nd4j.create(type, x.shape(), 'f');
            }

            int width() {
                return Math.toIntExact(x.columns());
            }

            /** Puts the columns of X, Y and U = ReLU(Y) in the given order (GEMMs with the permutation matrix). */
            void reorder(int[] order) {
                Matrices.permuteColumns(x, order, scratch);
                x.assign(scratch);
                Matrices.permuteColumns(y, order, u);
                INDArray swap = y;
                y = u;
                u = swap;
                Transforms.relu(u.assign(y), false);
            }
        }

        /** Zeros computed in floating point come out as noise; left as is, they would reorder at random. */
        private void snapRoundingToZero(double[] value) {
            for (int j = 0; j < value.length; j++) {
                if (value[j] < noise) {
                    value[j] = 0;
                }
            }
        }

        /** The vectors locked so far, as their own dense matrix (built once per lock, not per iteration). */
        private INDArray lockedSoFar() {
            if (count == 0) {
                return null;
            }
            if (frozen == null || frozen.columns() != count) {
                frozen = locked.get(NDArrayIndex.all(), NDArrayIndex.interval(0, count)).dup('f');
            }
            return frozen;
        }

        /**
         * The next window: the columns still running, then (for the first window) warm-start vectors, then
         * seeded Gaussian starts; all orthonormal and orthogonal to the locked vectors.
         */
        private INDArray refill(INDArray running, INDArray warm, Gaussians rng) {
            int width = Math.min(Math.min(options.blockSize(), k - count) + options.spareStarts(), n - count);
            INDArray x = Nd4j.create(type, new long[] {n, width}, 'f');
            int filled = 0;
            for (INDArray source : new INDArray[] {running, warm}) {
                if (source != null && filled < width) {
                    int take = (int) Math.min(source.columns(), width - filled);
                    x.get(NDArrayIndex.all(), NDArrayIndex.interval(filled, filled + take))
                            .assign(source.get(NDArrayIndex.all(), NDArrayIndex.interval(0, take)));
                    filled += take;
                }
            }
            if (filled < width) {
                x.get(NDArrayIndex.all(), NDArrayIndex.interval(filled, width))
                        .assign(rng.sample(type, n, width - filled));
            }
            orthonormalize(x, lockedSoFar(), rng);
            return x;
        }

        /**
         * The better of {@code +-v} with {@code v} the top right singular vector of {@code A P}: since
         * {@code ||A v|| = sigma_1(A P) >= sigma_k(A)} and {@code ||ReLU(y)||^2 + ||ReLU(-y)||^2 = ||y||^2},
         * its value is at least {@code sigma_k / sqrt 2}.
         */
        private INDArray topDirectionSeed() {
            INDArray frozen = lockedSoFar();
            INDArray projected = a.dup('f');
            if (frozen != null) {
                // A P = A - (A Q) Q^T
                Nd4j.gemm(a.mmul(frozen), frozen, projected, false, true, -1.0, 1.0);
            }
            INDArray v = SingularValues.topRightVector(projected);
            Matrices.projectOut(v, frozen);
            INDArray av = a.mmul(v);
            double plus = Transforms.relu(av, true).norm2Number().doubleValue();
            double minus = Transforms.relu(av.neg(), false).norm2Number().doubleValue();
            return plus >= minus ? v : v.negi();
        }

        /**
         * Estimates are locally optimal, so near-ties can leave a later value slightly above an earlier one;
         * the sorted sequence is still a valid one (each x_k orthogonal to those before it).
         */
        private void sortLocked() {
            int[] order = descendingOrder(values);
            if (!isIdentity(order)) {
                Matrices.permuteColumns(locked.dup('f'), order, locked);
                System.arraycopy(permute(values, order), 0, values, 0, values.length);
            }
        }

        /** How many leading columns kept their place and changed by at most the tolerance. */
        private int settledPrefix(double[] value, double[] previous, int[] order) {
            if (previous == null) {
                return 0;
            }
            // Values at rounding level (beyond the rank) are judged against the operator's scale, not their own.
            double scale = Math.max(Matrices.largest(value), sigma.length > 0 ? sigma[0] : 0);
            int j = 0;
            while (j < value.length && order[j] == j
                    && Math.abs(value[j] - previous[j]) <= options.tolerance() * Math.max(value[j], 1e-3 * scale)) {
                j++;
            }
            return j;
        }
    }

    /**
     * Block ascent on a small operator {@code B} ({@code m x d}) from {@code C = [I; 0]} ({@code d x w},
     * {@code w = d/2}), for a fixed number of steps: {@code C <- orth(B^T ReLU(B C)/||.||)}, columns sorted by
     * value. B's columns are orthonormal directions, so orthonormal C means orthonormal vectors. The
     * {@code d x w} coefficients live in Java arrays: at this size ND4J's per-op cost outweighs the flops.
     */
    private static INDArray refine(INDArray b, int steps) {
        int d = Math.toIntExact(b.columns());
        int width = d / 2;
        double[] c = new double[d * width];  // column-major d x w
        for (int j = 0; j < width; j++) {
            c[j * d + j] = 1;
        }
        INDArray v = Nd4j.create(b.dataType(), new long[] {b.rows(), width}, 'f');
        INDArray u = Nd4j.create(b.dataType(), new long[] {b.rows(), width}, 'f');
        INDArray g = Nd4j.create(b.dataType(), new long[] {d, width}, 'f');
        for (int step = 0; step < steps; step++) {
            Nd4j.gemm(b, Nd4j.create(c, new long[] {d, width}, 'f').castTo(b.dataType()), v, false, false, 1.0, 0.0);
            Transforms.relu(u.assign(v), false);
            double[] value = u.norm2(0).toDoubleVector();
            if (Arrays.stream(value).anyMatch(x -> x == 0)) {
                // Only u matters here: G = B^T u then points along the ascent direction of -c.
                flipDeadColumns(Nd4j.create(c, new long[] {d, width}, 'f'), v, u, value);
            }
            double[] safe = Arrays.stream(value).map(x -> x > 0 ? x : 1).toArray();
            u.diviRowVector(Nd4j.createFromArray(safe).castTo(b.dataType()));
            // G = B^T U
            Nd4j.gemm(b, u, g, true, false, 1.0, 0.0);
            double[] next = g.dup('f').data().asDouble();
            int[] order = descendingOrder(value);
            c = gramSchmidt(permuteColumns(next, d, order), d, width);
        }
        return Nd4j.create(c, new long[] {d, width}, 'f').castTo(b.dataType());
    }

    private static double[] permuteColumns(double[] m, int rows, int[] order) {
        double[] out = new double[m.length];
        for (int j = 0; j < order.length; j++) {
            System.arraycopy(m, order[j] * rows, out, j * rows, rows);
        }
        return out;
    }

    /**
     * Modified Gram-Schmidt, twice, on the columns of a small column-major matrix; a column that vanishes
     * against the earlier ones is replaced by the first unit vector that does not.
     */
    private static double[] gramSchmidt(double[] m, int rows, int cols) {
        for (int j = 0; j < cols; j++) {
            double before = norm(m, j, rows);
            double after = orthogonalizeAgainstEarlier(m, j, rows);
            if (!(after > 1e-10 * before) || after == 0) {
                for (int e = 0; e < rows && !(after > 0.5); e++) {
                    Arrays.fill(m, j * rows, (j + 1) * rows, 0);
                    m[j * rows + e] = 1;
                    after = orthogonalizeAgainstEarlier(m, j, rows);
                }
            }
            for (int r = 0; r < rows; r++) {
                m[j * rows + r] /= after;
            }
        }
        return m;
    }

    /** Column j minus its projections on columns 0..j-1 (orthonormal), two passes; returns its norm after. */
    private static double orthogonalizeAgainstEarlier(double[] m, int j, int rows) {
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < j; i++) {
                double dot = 0;
                for (int r = 0; r < rows; r++) {
                    dot += m[i * rows + r] * m[j * rows + r];
                }
                for (int r = 0; r < rows; r++) {
                    m[j * rows + r] -= dot * m[i * rows + r];
                }
            }
        }
        return norm(m, j, rows);
    }

    private static double norm(double[] m, int col, int rows) {
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            sum += m[col * rows + r] * m[col * rows + r];
        }
        return Math.sqrt(sum);
    }

    /** Orthonormalises the columns of x in order, orthogonal to each of {@code against}; refills lost directions. */
    private static void orthonormalize(INDArray x, INDArray frozen, Gaussians rng) {
        orthonormalize(x, rng, frozen);
    }

    private static void orthonormalize(INDArray x, Gaussians rng, INDArray... against) {
        for (int attempt = 0; attempt < 4; attempt++) {
            double scale = x.norm2(0).maxNumber().doubleValue();
            projectOutAll(x, against);
            if (Matrices.orthonormalizeColumns(x, Nd4j.create(x.dataType(), x.shape(), 'f'), scale)) {
                // One more projection: rounding in the QR reintroduces a trace of the spans projected out.
                projectOutAll(x, against);
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

    private static void projectOutAll(INDArray x, INDArray... against) {
        for (INDArray q : against) {
            Matrices.projectOut(x, q);
        }
    }

    /** A column with ReLU(A x) = 0 but A x != 0 is turned into -x (and y into -y), whose value is ||A x||. */
    private static void flipDeadColumns(INDArray x, INDArray y, INDArray u, double[] values) {
        for (int j = 0; j < values.length; j++) {
            if (values[j] == 0) {
                INDArray flipped = Transforms.relu(y.getColumn(j).neg(), false);
                double value = flipped.norm2Number().doubleValue();
                if (value > 0) {
                    u.getColumn(j).assign(flipped);
                    x.getColumn(j).negi();
                    y.getColumn(j).negi();
                    values[j] = value;
                }
            }
        }
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
