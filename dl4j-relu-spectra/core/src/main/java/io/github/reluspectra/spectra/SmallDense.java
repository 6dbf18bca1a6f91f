package io.github.reluspectra.spectra;

import java.nio.FloatBuffer;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The small dense linear algebra of the searches, in plain Java on column-major {@code double[]}: Gram
 * matrices of a few dozen columns and 3 x 3 to 8 x 8 eigenproblems, where an ND4J call (tens of microseconds
 * each) would cost more than the arithmetic. Deterministic: fixed loop orders, ties to the lowest index.
 */
final class SmallDense {

    /** Jacobi stops when the off-diagonal mass falls below this share of the diagonal's: rounding level. */
    private static final double JACOBI_CONVERGED = 1e-30;
    /** Cyclic Jacobi converges quadratically; a symmetric matrix of the sizes used here needs well under 10. */
    private static final int JACOBI_SWEEPS = 50;

    private SmallDense() {}

    /** Whether {@code |G_ij - delta_ij| <= within} for every entry of the {@code c x c} matrix. */
    static boolean nearIdentity(double[] gram, int c, double within) {
        for (int i = 0; i < c; i++) {
            for (int j = 0; j < c; j++) {
                if (!(Math.abs(gram[j * c + i] - (i == j ? 1 : 0)) <= within)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * {@code R^-1} (column-major) for the upper Cholesky factor of {@code G = R^T R} ({@code c x c}), or null
     * where the columns behind G are dependent: a squared pivot {@code d_j} at most {@code floor}, or a pivot
     * {@code sqrt(d_j)} below {@code minShare sqrt(G_jj)}.
     * <pre>
     *   d_j  = G_jj - sum_{l<j} R_lj^2,   R_jj = sqrt(d_j)
     *   R_ij = (G_ij - sum_{l<i} R_li R_lj) / R_ii                     (i < j)
     *   R^-1 by back substitution, column by column
     * </pre>
     */
    static double[] inverseCholesky(double[] gram, int c, double floor, double minShare) {
        double[] r = new double[c * c];
        for (int j = 0; j < c; j++) {
            for (int i = 0; i <= j; i++) {
                double sum = gram[j * c + i];
                for (int l = 0; l < i; l++) {
                    sum -= r[i * c + l] * r[j * c + l];
                }
                if (i == j) {
                    if (!(sum > floor) || Math.sqrt(sum) < minShare * Math.sqrt(gram[j * c + j])) {
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

    /** The unit eigenvector of the largest eigenvalue of a symmetric 3 x 3 matrix (row-major). */
    static double[] topEigenvector3(double[] matrix) {
        return java.util.Arrays.copyOfRange(topEigenpair(matrix, 3), 1, 4);
    }

    /**
     * The largest eigenvalue of a symmetric {@code k x k} matrix (row-major) and its unit eigenvector, as
     * {@code [lambda, v_1 .. v_k]}, by cyclic Jacobi rotations: deterministic, exact to rounding after a few
     * sweeps. Ties go to the lowest index.
     * <pre>
     *   theta = (a_qq - a_pp) / (2 a_pq),  t = sign(theta) / (|theta| + sqrt(theta^2 + 1))
     *   A <- J^T A J,  V <- V J           J the rotation by (cos, sin) = (1, t) / sqrt(1 + t^2) in the (p, q) plane
     * </pre>
     */
    static double[] topEigenpair(double[] matrix, int k) {
        double[] a = matrix.clone();
        double[] v = new double[k * k];
        for (int i = 0; i < k; i++) {
            v[i * k + i] = 1;
        }
        for (int sweep = 0; sweep < JACOBI_SWEEPS; sweep++) {
            double off = 0;
            double diagonal = 0;
            for (int p = 0; p < k; p++) {
                diagonal += a[p * k + p] * a[p * k + p];
                for (int q = p + 1; q < k; q++) {
                    off += a[p * k + q] * a[p * k + q];
                }
            }
            if (off <= JACOBI_CONVERGED * diagonal || off == 0) {
                break;
            }
            for (int p = 0; p < k - 1; p++) {
                for (int q = p + 1; q < k; q++) {
                    rotate(a, v, k, p, q);
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

    /** One Jacobi rotation zeroing {@code a_pq}. */
    private static void rotate(double[] a, double[] v, int k, int p, int q) {
        double apq = a[p * k + q];
        if (apq == 0) {
            return;
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

    /** The entries of a dense 'f'-ordered array (its own buffer), column-major, into {@code out}: no allocation. */
    static void readInto(INDArray a, double[] out) {
        if (a.dataType() == DataType.DOUBLE) {
            a.data().asNioDouble().get(out, 0, out.length);
        } else {
            FloatBuffer floats = a.data().asNioFloat();
            for (int i = 0; i < out.length; i++) {
                out[i] = floats.get(i);
            }
        }
    }

    /** {@code out[j] = values[order[j]]}. */
    static double[] permute(double[] values, int[] order) {
        double[] out = new double[order.length];
        for (int j = 0; j < order.length; j++) {
            out[j] = values[order[j]];
        }
        return out;
    }

    static boolean isIdentity(int[] order) {
        return IntStream.range(0, order.length).allMatch(j -> order[j] == j);
    }

    /** Indices sorted by value, largest first; ties keep their order. */
    static int[] descendingOrder(double[] values) {
        return IntStream.range(0, values.length)
                .boxed()
                .sorted((i, j) -> Double.compare(values[j], values[i]))
                .mapToInt(Integer::intValue)
                .toArray();
    }
}
