package io.github.reluspectra.spectra;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The certificate against boundary saddles of the sequential search (docs/algorithms.md). The leading column
 * {@code x} is a KKT point, yet where an inactive row {@code a_i} sits just below activation, the cell
 * {@code S + i} next to x can hold more: x is an eigenvector of that cell's {@code P A_{S+i}^T A_{S+i} P} too,
 * but not necessarily its top one. For the {@value #ROWS} inactive rows closest to activation (by
 * {@code a_i.x / ||a_i||}), {@value #LANCZOS_STEPS} Lanczos steps on
 * <pre>
 *   M = P A^T D A P,   D = diag(cell),   P the projection on the complement of [Q, x]
 * </pre>
 * started from {@code P a_i}; where a Ritz value exceeds {@code f = ||ReLU(A x)||^2}, x moves along the arc
 * toward its Ritz vector if that raises the value.
 */
final class SaddleCertificate {

    /** The certificate looks at these many inactive rows nearest to zero... */
    private static final int CANDIDATES = 8;
    /** ...and searches the cells of these many, nearest to activation relative to their norms. */
    private static final int ROWS = 3;
    /** Lanczos steps per cell (8 find the hand-built boundary saddle of the tests). */
    private static final int LANCZOS_STEPS = 8;
    /** A vector whose part outside {@code [Q, x]} is below this share of it gives no direction. */
    private static final double NO_DIRECTION = 1e-12;
    /** A Ritz value must exceed f by this share to count as more than rounding. */
    private static final double RITZ_MARGIN = 1e-9;
    /** A move along the arc must raise f by this share to count as more than rounding. */
    private static final double RISE = 1e-12;
    /** The arc's angles, halved from pi/2 down to this. */
    private static final double LAST_ANGLE = 1e-4;

    private final LinearOperator a;
    private final int n;
    private final int m;
    private final DataType type;

    SaddleCertificate(LinearOperator a) {
        this.a = a;
        this.n = Math.toIntExact(a.columns());
        this.m = Math.toIntExact(a.rows());
        this.type = a.dataType();
    }

    /**
     * A unit vector of higher value than {@code x} (n x 1) in a cell next to it, orthogonal to {@code frozen}
     * (the vectors locked so far, or null), or null where the certificate finds none.
     */
    INDArray escape(INDArray x, INDArray frozen) {
        INDArray y = a.apply(x);
        double[] image = y.dup('f').data().asDouble();
        double f = 0;
        for (double t : image) {
            f += t > 0 ? t * t : 0;
        }
        // The inactive rows nearest to activation, then their norms from A^T e_i.
        Integer[] inactive = IntStream.range(0, m)
                .filter(i -> image[i] <= 0)
                .boxed()
                .sorted((i, j) -> Double.compare(image[j], image[i]))
                .limit(CANDIDATES)
                .toArray(Integer[]::new);
        if (inactive.length == 0) {
            return null;
        }
        INDArray units = Nd4j.zeros(type, m, inactive.length).dup('f');
        for (int c = 0; c < inactive.length; c++) {
            units.putScalar(inactive[c], c, 1);
        }
        INDArray rows = a.applyTranspose(units);
        double[] norms = rows.norm2(0).toDoubleVector();
        Integer[] closest = IntStream.range(0, inactive.length)
                .filter(c -> norms[c] > 0)
                .boxed()
                .sorted((c, d) -> Double.compare(image[inactive[d]] / norms[d], image[inactive[c]] / norms[c]))
                .limit(ROWS)
                .toArray(Integer[]::new);
        for (int c : closest) {
            INDArray cell = cell(image, inactive[c]);
            INDArray direction = ritzDirection(rows.getColumn(c).dup().reshape(n, 1), cell, x, frozen, f);
            if (direction == null) {
                continue;
            }
            INDArray better = alongArc(x, direction, f);
            if (better != null) {
                return better;
            }
        }
        return null;
    }

    /** The active pattern of the image with row {@code i} switched on, as an m x 1 mask. */
    private INDArray cell(double[] image, int i) {
        double[] mask = new double[m];
        for (int r = 0; r < m; r++) {
            mask[r] = image[r] > 0 ? 1 : 0;
        }
        mask[i] = 1;
        return Nd4j.createFromArray(mask).castTo(type).reshape(m, 1);
    }

    /** The best of {@code cos(t) x + sin(t) z}, t = pi/2, pi/4, ..., if its value beats f; else null. */
    private INDArray alongArc(INDArray x, INDArray z, double f) {
        INDArray best = null;
        double bestValue = f;
        for (double t = Math.PI / 2; t > LAST_ANGLE; t /= 2) {
            INDArray candidate = x.mul(Math.cos(t)).addi(z.mul(Math.sin(t)));
            double value =
                    Transforms.relu(a.apply(candidate), false).norm2Number().doubleValue();
            if (value * value > bestValue * (1 + RISE)) {
                bestValue = value * value;
                best = candidate;
            }
        }
        return best;
    }

    /**
     * The top Ritz vector of {@code M} from {@value #LANCZOS_STEPS} Lanczos steps (fully reorthogonalised)
     * started at {@code P start}, if its Ritz value exceeds {@code f (1 + RITZ_MARGIN)}; else null.
     */
    private INDArray ritzDirection(INDArray start, INDArray cell, INDArray x, INDArray frozen, double f) {
        INDArray v = complement(start, x, frozen);
        double norm = v.norm2Number().doubleValue();
        if (!(norm > NO_DIRECTION * start.norm2Number().doubleValue())) {
            return null;
        }
        v.divi(norm);
        INDArray basis = Nd4j.create(type, new long[] {n, LANCZOS_STEPS}, 'f');
        double[] tridiagonal = new double[LANCZOS_STEPS * LANCZOS_STEPS];
        int size = 0;
        for (int step = 0; step < LANCZOS_STEPS; step++) {
            basis.getColumn(step).assign(v.reshape(-1));
            size++;
            INDArray next = complement(a.applyTranspose(a.apply(v).muli(cell)), x, frozen);
            double alpha = next.mul(v).sumNumber().doubleValue();
            tridiagonal[step * LANCZOS_STEPS + step] = alpha;
            // full reorthogonalisation against the basis so far: eight vectors, exact enough to trust theta
            INDArray sofar = basis.get(NDArrayIndex.all(), NDArrayIndex.interval(0, size));
            for (int pass = 0; pass < 2; pass++) {
                Matrices.projectOut(next, sofar);
            }
            double beta = next.norm2Number().doubleValue();
            if (step + 1 == LANCZOS_STEPS || !(beta > NO_DIRECTION * Math.max(Math.abs(alpha), f))) {
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
        double[] top = SmallDense.topEigenpair(small, size);
        if (!(top[0] > f * (1 + RITZ_MARGIN))) {
            return null;
        }
        INDArray coefficients = Nd4j.createFromArray(Arrays.copyOfRange(top, 1, size + 1))
                .castTo(type)
                .reshape(size, 1);
        INDArray z =
                basis.get(NDArrayIndex.all(), NDArrayIndex.interval(0, size)).mmul(coefficients);
        return z.divi(z.norm2Number().doubleValue());
    }

    /** {@code z} with its components along {@code Q} and {@code x} removed. */
    private static INDArray complement(INDArray z, INDArray x, INDArray frozen) {
        Matrices.projectOut(z, frozen);
        Matrices.projectOut(z, x);
        return z;
    }
}
