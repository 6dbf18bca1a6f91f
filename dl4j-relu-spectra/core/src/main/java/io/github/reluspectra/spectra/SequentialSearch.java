package io.github.reluspectra.spectra;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One search of {@link SequentialReluValues} from one seed: a {@link SearchWindow} moves until its leading
 * column is a certified KKT point, which is then locked (with the columns behind it that also meet the
 * tolerance) as the next value, and a new window continues in the complement of the vectors locked so far.
 * <pre>
 *   lock x_j   if  ||r_j|| <= tolerance max(f_j, (FLOOR sigma_1)^2)   and   s_j >= sigma_k / sqrt 2   (F2)
 * </pre>
 * A leading column that misses F2 restarts from the better of {@code +-v}, {@code v} the top right singular
 * vector of {@code A P_Q}, whose value meets the bound by construction; with {@code certify}, a KKT point is
 * first checked against boundary saddles ({@link SaddleCertificate}).
 */
final class SequentialSearch {

    private static final Logger log = LoggerFactory.getLogger(SequentialReluValues.class);
    private static final double SQRT2 = Math.sqrt(2);
    /** {@code A X} is carried by linearity; every REFRESH-th iteration recomputes it against rounding drift. */
    private static final int REFRESH = 10;
    /**
     * Residuals are relative to {@code max(s^2, (FLOOR sigma_1)^2)}: values far below {@code sigma_1} (beyond the
     * rank) are held to the operator's scale, not to their own.
     */
    private static final double FLOOR = 1e-3;
    /** The F2 seed's relative residual: its value {@code ||A v||^2} is then exact to about its square. */
    private static final double SEED_TOLERANCE = 1e-8;
    /** Long searches say how far they are at INFO at most this often. */
    private static final long PROGRESS_NANOS = 10_000_000_000L;

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
    private final SaddleCertificate certificate;
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
    private SearchWindow current;
    /** Iterations since the last lock. */
    private int since;
    /** Whether the leading column restarted from the F2 seed since the last lock. */
    private boolean seeded;

    private long lastProgress;

    SequentialSearch(LinearOperator a, double[] sigma, SequentialReluOptions options, String label, long start) {
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
        Precision precision = Precision.of(type);
        this.tolerance = precision.kktTolerance(options.tolerance());
        this.slack = precision.noise();
        this.noise = precision.noise() * sigma[0];
        this.certificate = new SaddleCertificate(a);
        this.floor2 = FLOOR * sigma[0] * FLOOR * sigma[0];
        this.locked = Nd4j.create(type, new long[] {n, k}, 'f');
        this.values = new double[k];
        this.residuals = new double[k];
        this.valueIterations = new int[k];
        this.valueConverged = new boolean[k];
        INDArray w = options.warmStart();
        if (w != null && w.rows() != n) {
            throw new IllegalArgumentException(
                    "warm-start vectors have " + w.rows() + " rows but the operator has " + n + " columns");
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

    int iterations() {
        return iterations;
    }

    /** The values locked so far, in locking order. */
    double[] values() {
        return values;
    }

    /** One iteration: values, order, residuals; then a lock, an F2 restart, or a step of every column. */
    private void iterate(Gaussians rng) {
        SearchWindow w = current;
        iterations++;
        since++;
        if (since % REFRESH == 0) {
            w.refresh();
        }
        // The columns stay where they are; order[j] is the column in position j (by value). The step writes
        // its results in that order, so no iteration moves columns just to sort them.
        double[] s = w.values();
        int[] order = SmallDense.descendingOrder(s);
        double[] residual = w.residuals(s, order, lockedSoFar());
        if (residual[order[0]] > tolerance && since < options.maxIterationsPerValue()) {
            w.step(residual, order, lockedSoFar(), iterations % REFRESH == 0, rng);
            return;
        }
        if (!SmallDense.isIdentity(order)) {
            w.reorder(order);
            residual = SmallDense.permute(residual, order);
        }
        if (options.certify() && residual[0] <= tolerance) {
            INDArray higher = certificate.escape(w.x.getColumn(0).dup().reshape(n, 1), lockedSoFar());
            if (higher != null) {
                // The leading column sat on a boundary saddle and moved up: it goes on instead of locking.
                w.x.getColumn(0).assign(higher.reshape(-1));
                Matrices.orthonormalizeComplement(w.x, lockedSoFar(), rng);
                w.restart();
                return;
            }
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
        w.x.getColumn(0).assign(topDirectionSeed());
        Matrices.orthonormalizeComplement(w.x, lockedSoFar(), rng);
        w.restart();
        seeded = true;
    }

    /**
     * Locks the leading column and the columns behind it that meet the tolerance, with fresh values, unless
     * the leading one misses F2 (then nothing is locked, unless it already restarted from the F2 seed).
     *
     * @return how many columns were locked
     */
    private int lock(SearchWindow w, double[] residual, int since, boolean seeded) {
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

    private void progress() {
        long now = System.nanoTime();
        if (now - lastProgress >= PROGRESS_NANOS && count < k) {
            lastProgress = now;
            double elapsed = (now - start) / 1e9;
            log.info(String.format(
                    java.util.Locale.ROOT,
                    "%s: %d of %d sequential ReLU values after %.0f s, " + "about %.0f s left",
                    label,
                    count,
                    k,
                    elapsed,
                    elapsed / count * (k - count)));
        }
    }

    /** The vectors locked so far, as their own dense matrix (built once per lock, not per iteration). */
    private INDArray lockedSoFar() {
        if (count == 0) {
            return null;
        }
        if (frozen == null || frozen.columns() != count) {
            try (MemoryWorkspace outside = Workspaces.outside()) {
                frozen = locked.get(NDArrayIndex.all(), NDArrayIndex.interval(0, count))
                        .dup('f');
            }
        }
        return frozen;
    }

    /**
     * The next window: the columns of {@code previous} still running (from column {@code taken} on, with their
     * previous steps, from which the vectors just locked are projected out), then warm-start vectors not used
     * yet (in their order), then seeded Gaussian starts; orthonormal and orthogonal to the locked vectors.
     */
    private SearchWindow window(SearchWindow previous, int taken, Gaussians rng) {
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
            x.get(NDArrayIndex.all(), NDArrayIndex.interval(filled, width)).assign(rng.sample(type, n, width - filled));
        }
        Matrices.orthonormalizeComplement(x, lockedSoFar(), rng);
        SearchWindow next = new SearchWindow(a, x, noise, floor2);
        int carried = previous == null ? 0 : Math.min(previous.width - taken, width);
        if (carried > 0 && previous.hasStep) {
            next.carrySteps(previous, taken, carried);
        }
        return next;
    }

    /**
     * The better of {@code +-v}, {@code v} the top right singular vector of {@code A P_Q} (block Krylov, as
     * {@link SingularValues#top}): {@code ||A v|| = sigma_1(A P_Q) >= sigma_k(A)} and
     * {@code ||ReLU(y)||^2 + ||ReLU(-y)||^2 = ||y||^2}, so its value is at least about {@code sigma_k/sqrt 2}.
     */
    private INDArray topDirectionSeed() {
        INDArray frozenNow = lockedSoFar();
        TopSingularValues top = SingularValues.top(
                new ComplementOperator(a, frozenNow),
                1,
                Precision.of(type).krylovTolerance(SEED_TOLERANCE),
                SingularValues.MAX_ITERATIONS,
                options.seed());
        INDArray v = top.vectors().getColumn(0).dup().reshape(n, 1);
        Matrices.projectOut(v, frozenNow);
        v.divi(v.norm2Number().doubleValue());
        INDArray av = a.apply(v);
        double plus = Transforms.relu(av, true).norm2Number().doubleValue();
        double minus = Transforms.relu(av.neg(), false).norm2Number().doubleValue();
        return plus >= minus ? v : v.negi();
    }

    /** The result, sorted by value (stable: ties keep their locking order), scaled back by {@code back}. */
    SequentialReluSpectrum result(
            double[] singularValues, double back, int allIterations, double seconds, SequentialReluOptions asked) {
        int[] order = SmallDense.descendingOrder(values);
        INDArray sorted = locked.dup('f');
        if (!SmallDense.isIdentity(order)) {
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
        return new SequentialReluSpectrum(
                Matrices.scaled(SmallDense.permute(values, order), back),
                sorted,
                singularValues,
                allIterations,
                all,
                SmallDense.permute(residuals, order),
                its,
                conv,
                locked,
                seconds,
                asked);
    }
}
