package io.github.reluspectra.spectra;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The window of the sequential search (docs/algorithms.md): {@code w} orthonormal columns {@code X}, orthogonal
 * to the vectors locked so far, with their state in a few buffers allocated once per window:
 * {@code V = [X | D | P]} (the current vectors, their KKT directions and their previous steps, orthogonalised)
 * and {@code B = A V}, so that a step is one product of each with the small coefficient matrix:
 * <pre>
 *   U = ReLU(Y),  Y = A X,  f_j = ||u_j||^2
 *   r_j = P_j(A^T u_j) - f_j x_j                          (KKT residual)
 *   x_j <- argmax ||ReLU(A x)|| over unit x in span{x_j, r_j, p_j}        ({@link ColumnAscent})
 *   X <- column-ordered Cholesky QR of X, Y carried along
 * </pre>
 */
final class SearchWindow {

    /**
     * A Cholesky QR of columns whose Gram matrix is this close to the identity leaves them orthonormal to
     * {@code kappa^2 eps}, about 1e-16: one pass is enough.
     */
    private static final double ONE_PASS = 1e-3;
    /** After a second pass, columns this close to orthonormal (about single precision) need no more. */
    private static final double ORTHONORMAL = 1e-8;
    /** A column whose QR pivot falls below this share of its norm depends on the columns before it... */
    private static final double DEPENDENT = 0.05;
    /** ...and in the second pass, after the first removed most of its span, below this share. */
    private static final double STILL_DEPENDENT = 1e-6;
    /** A residual below this (relative to {@code s^2}) is rounding: it gives no direction to move in. */
    private static final double NO_DIRECTION = 1e-13;
    /** A previous step keeps a new direction only if this share of it lies outside {@code span{x_j, d_j}}. */
    private static final double NEW_DIRECTION = 1e-6;

    private final LinearOperator a;
    private final DataType type;
    private final int n;
    private final int m;
    /** Values below this are rounding noise of a zero: they count as 0. */
    private final double noise;
    /** Residuals are relative to {@code max(s^2, floor2)}. */
    private final double floor2;

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

    SearchWindow(LinearOperator a, INDArray start, double noise, double floor2) {
        this.a = a;
        this.type = a.dataType();
        this.n = Math.toIntExact(a.columns());
        this.m = Math.toIntExact(a.rows());
        this.noise = noise;
        this.floor2 = floor2;
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
    void carrySteps(SearchWindow from, int taken, int carried) {
        INDArray lockedX = from.x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, taken));
        INDArray lockedY = from.y.get(NDArrayIndex.all(), NDArrayIndex.interval(0, taken));
        INDArray steps = from.step
                .get(NDArrayIndex.all(), NDArrayIndex.interval(taken, taken + carried))
                .dup('f');
        INDArray images = from.astep
                .get(NDArrayIndex.all(), NDArrayIndex.interval(taken, taken + carried))
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
    void step(double[] residual, int[] order, INDArray frozenNow, boolean reproject, Gaussians rng) {
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
        SmallDense.readInto(b, bData);
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
        INDArray both =
                Nd4j.create(combined, new long[] {rows, 2L * width}, 'f').castTo(type);
        // [X | step] <- V [C | C'],  [Y | A step] <- B [C | C']
        Nd4j.gemm(v, both, vOut, false, false, 1.0, 0.0);
        Nd4j.gemm(b, both, bOut, false, false, 1.0, 0.0);
        x.assign(vOut.get(NDArrayIndex.all(), NDArrayIndex.interval(0, width)));
        step.assign(vOut.get(NDArrayIndex.all(), NDArrayIndex.interval(width, 2 * width)));
        y.assign(bOut.get(NDArrayIndex.all(), NDArrayIndex.interval(0, width)));
        astep.assign(bOut.get(NDArrayIndex.all(), NDArrayIndex.interval(width, 2 * width)));
        hasStep = true;
        if (frozenNow != null && reproject) {
            // The new columns are combinations of vectors orthogonal to Q; rounding drifts slowly.
            Matrices.projectOut(x, frozenNow);
        }
        if (!orthonormalizeCarrying()) {
            Matrices.orthonormalizeComplement(x, frozenNow, rng);
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
        double[] dots = Nd4j.gemm(xd, step, true, false).dup('f').data().asDouble(); // 2w x w
        double[] diagonal = new double[2 * width * width];
        for (int j = 0; j < width; j++) {
            diagonal[j * 2 * width + j] = dots[j * 2 * width + j];
            diagonal[j * 2 * width + width + j] = dots[j * 2 * width + width + j];
        }
        INDArray coefficients =
                Nd4j.create(diagonal, new long[] {2L * width, width}, 'f').castTo(type);
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
            double[] c = ColumnAscent.maximize(bData, m, j * m, (width + j) * m, (2 * width + j) * m);
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
            if (pass == 1 && SmallDense.nearIdentity(gram, width, ORTHONORMAL)) {
                return true;
            }
            double[] inverse = SmallDense.inverseCholesky(gram, width, 0, pass == 0 ? DEPENDENT : STILL_DEPENDENT);
            boolean onePass = pass == 0 && SmallDense.nearIdentity(gram, width, ONE_PASS);
            if (inverse == null) {
                return false;
            }
            INDArray rInverse =
                    Nd4j.create(inverse, new long[] {width, width}, 'f').castTo(type);
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
