package io.github.reluspectra.spectra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/** definitions §2 facts F1–F7 on exact oracles and a seeded grid of random matrices. */
class SequentialReluValuesTest {

    private static final double SQRT2 = Math.sqrt(2);

    static INDArray gaussian(long seed, int m, int n) {
        try (Gaussians g = new Gaussians(seed)) {
            return g.sample(DataType.DOUBLE, m, n);
        }
    }

    static SequentialReluSpectrum all(INDArray a) {
        return SequentialReluValues.compute(
                a,
                SequentialReluOptions.builder()
                        .all()
                        .tolerance(1e-8)
                        .maxIterationsPerValue(5000)
                        .build());
    }

    static Stream<Arguments> grid() {
        return Stream.of(
                Arguments.of(1, 1),
                Arguments.of(1, 5),
                Arguments.of(5, 1),
                Arguments.of(3, 7),
                Arguments.of(7, 3),
                Arguments.of(20, 10),
                Arguments.of(10, 20),
                Arguments.of(50, 30),
                Arguments.of(300, 200));
    }

    /** The grid without 300 x 200, whose 200 values take minutes (the bounds test covers it with the top 16). */
    static Stream<Arguments> smallGrid() {
        return grid().filter(a -> (int) a.get()[1] <= 30);
    }

    /** F2, F3, orthonormal vectors and s_k = ||ReLU(A x_k)|| on every shape of the grid. */
    @ParameterizedTest(name = "{0} x {1}")
    @MethodSource("grid")
    void boundsOrderAndVectorsOnRandomMatrices(int m, int n) {
        for (long seed = 1; seed <= 3; seed++) {
            INDArray a = gaussian(seed * 31 + m, m, n);
            int k = n > 50 ? 16 : SequentialReluOptions.ALL;
            SequentialReluSpectrum r = SequentialReluValues.compute(
                    a, SequentialReluOptions.builder().topK(k).seed(seed).build());
            double[] s = r.values();
            double[] sigma = r.singularValues();
            assertThat(s).hasSize(Math.min(k, n));
            for (int i = 0; i < s.length; i++) {
                double sigmaI = i < sigma.length ? sigma[i] : 0;
                assertThat(s[i])
                        .as("F2 s_%d >= sigma_%d/sqrt2", i + 1, i + 1)
                        .isGreaterThanOrEqualTo(sigmaI / SQRT2 * (1 - 1e-9));
                assertThat(s[i]).as("F3 s_k <= s_1").isLessThanOrEqualTo(s[0]);
                if (i > 0) {
                    assertThat(s[i]).as("F3 non-increasing").isLessThanOrEqualTo(s[i - 1]);
                }
                double value = Transforms.relu(a.mmul(r.vectors().getColumn(i).reshape(n, 1)), true)
                        .norm2Number()
                        .doubleValue();
                assertThat(s[i]).isCloseTo(value, within(1e-9 * Math.max(1, s[0])));
            }
            assertThat(s[0]).as("F3 s_1 <= sigma_1").isLessThanOrEqualTo(sigma[0] * (1 + 1e-12));
            INDArray gram = r.vectors().transpose().mmul(r.vectors());
            assertThat(gram.sub(Nd4j.eye(s.length)).amaxNumber().doubleValue()).isLessThan(1e-9);
        }
    }

    /** F1 and F4: on D = [A; -A] the ReLU recursion is the linear one, so s_k(D) = sigma_k(A). */
    @ParameterizedTest(name = "{0} x {1}")
    @MethodSource("smallGrid")
    void doubleLayerHasTheClassicalValues(int m, int n) {
        INDArray a = gaussian(7 + m * n, m, n);
        INDArray d = Nd4j.vstack(a, a.neg());
        SequentialReluSpectrum r = all(d);
        double[] sigmaA = SingularValues.of(a);
        double[] sigmaD = SingularValues.of(d);
        for (int k = 0; k < r.size(); k++) {
            double expected = k < sigmaA.length ? sigmaA[k] : 0;
            assertThat(r.values()[k])
                    .as("s_%d(D) = sigma_%d(A)", k + 1, k + 1)
                    .isCloseTo(expected, within(1e-8 * sigmaA[0]));
            if (k < sigmaD.length) {
                assertThat(r.values()[k]).isCloseTo(sigmaD[k] / SQRT2, within(1e-8 * sigmaA[0]));
            }
        }
    }

    /**
     * F4 on rank-deficient double layers with the default options (top 16 of a wide D = [A; -A], as trained double
     * layers are): the window's subspace problem then has many dead directions, which once made the small
     * Gram-Schmidt return repeated coefficient columns and non-unit vectors with inflated values.
     */
    @ParameterizedTest(name = "{0} x {1}")
    @CsvSource({"23, 62", "31, 200", "12, 40"})
    void rankDeficientDoubleLayersWithDefaultOptions(int m, int n) {
        for (long seed = 1; seed <= 3; seed++) {
            INDArray a = gaussian(seed * 1009 + 11L * m + n, m, n);
            INDArray d = Nd4j.vstack(a, a.neg());
            SequentialReluSpectrum r = SequentialReluValues.compute(
                    d, SequentialReluOptions.builder().topK(16).build());
            double[] sigmaA = SingularValues.of(a);
            INDArray gram = r.vectors().transpose().mmul(r.vectors());
            assertThat(gram.sub(Nd4j.eye(r.size())).amaxNumber().doubleValue()).isLessThan(1e-9);
            for (int k = 0; k < r.size(); k++) {
                double expected = k < sigmaA.length ? sigmaA[k] : 0;
                assertThat(r.values()[k])
                        .as("seed %d: s_%d(D) = sigma_%d(A)", seed, k + 1, k + 1)
                        .isCloseTo(expected, within(1e-4 * sigmaA[0]));
            }
        }
    }

    /** F5: positive scaling, row permutation and orthogonal change of input coordinates. */
    @Test
    void symmetries() {
        INDArray a = gaussian(5, 12, 6);
        SequentialReluSpectrum base = all(a);
        SequentialReluSpectrum scaled = all(a.mul(3.5));
        int[] perm = {11, 3, 7, 0, 1, 9, 2, 10, 4, 8, 6, 5};
        SequentialReluSpectrum permuted = all(a.getRows(perm));
        INDArray q = gaussian(9, 6, 6);
        Matrices.orthonormalizeColumns(q);
        SequentialReluSpectrum rotated = all(a.mmul(q));
        for (int k = 0; k < base.size(); k++) {
            double s = base.values()[k];
            assertThat(scaled.values()[k]).isCloseTo(3.5 * s, within(1e-6 * s));
        }
        // Permuted and rotated inputs start the ascent elsewhere; beyond k = 1 it can settle in another local
        // maximum (a known limit of the local search, see the issue notes), so the top value is checked here.
        double s1 = base.values()[0];
        assertThat(permuted.values()[0]).isCloseTo(s1, within(1e-6 * s1));
        assertThat(rotated.values()[0]).isCloseTo(s1, within(1e-6 * s1));
        // x_1(AQ) = Q^T x_1(A) (the maximiser of a matrix in general position is unique)
        INDArray expected = q.transpose().mmul(base.vectors().getColumn(0).reshape(6, 1));
        INDArray actual = rotated.vectors().getColumn(0).reshape(6, 1);
        assertThat(actual.sub(expected).norm2Number().doubleValue()).isLessThan(1e-4);
    }

    /** F6: top value on the exact oracles. */
    @Test
    void topValueOracles() {
        INDArray nonNegative = Transforms.abs(gaussian(3, 9, 5));
        SequentialReluOptions top = SequentialReluOptions.builder()
                .topK(1)
                .tolerance(1e-9)
                .maxIterationsPerValue(5000)
                .build();
        assertThat(SequentialReluValues.compute(nonNegative, top).values()[0])
                .isCloseTo(SingularValues.of(nonNegative)[0], within(1e-8));

        INDArray row = Nd4j.createFromArray(new double[][] {{3, -4, 12}});
        SequentialReluSpectrum single = all(row);
        assertThat(single.values()[0]).isCloseTo(13, within(1e-9));

        // Only s_1 is fixed for I: later values depend on which maximiser x_1 the tie-break picks.
        SequentialReluSpectrum identity =
                SequentialReluValues.compute(Nd4j.eye(5).castTo(DataType.DOUBLE), top);
        assertThat(identity.values()[0]).isCloseTo(1, within(1e-9));

        SequentialReluSpectrum zero = all(Nd4j.zeros(DataType.DOUBLE, 4, 3));
        assertThat(zero.values()).containsOnly(0.0);
        assertThat(zero.vectors()
                        .transpose()
                        .mmul(zero.vectors())
                        .sub(Nd4j.eye(3))
                        .amaxNumber()
                        .doubleValue())
                .isLessThan(1e-9);
        assertThat(SequentialReluValues.compute(
                                Nd4j.zeros(DataType.DOUBLE, 4, 3).putScalar(2, 1, 1e-3), top)
                        .values()[0])
                .isPositive();
    }

    /** F6 in general: s_1 = max over unit u >= 0 of ||A^T u||, checked against random non-negative u. */
    @Test
    void topValueDominatesNonNegativeCombinations() {
        INDArray a = gaussian(17, 15, 8);
        double s1 = all(a).values()[0];
        INDArray u = Transforms.abs(gaussian(18, 15, 2000));
        u.diviRowVector(u.norm2(0));
        double best = a.transpose().mmul(u).norm2(0).maxNumber().doubleValue();
        assertThat(s1).isGreaterThanOrEqualTo(best * (1 - 1e-12));
    }

    /** F7: two inputs, against a brute-force search over the circle (grid, then golden-section refinement). */
    @Test
    void twoInputsMatchBruteForce() {
        for (long seed = 1; seed <= 10; seed++) {
            INDArray a = gaussian(100 + seed, 6, 2);
            double[][] rows = a.toDoubleMatrix();
            double[] best = circleMaximum(rows);
            double s1 = best[0];
            double theta = best[1];
            double s2 = Math.max(value(rows, theta + Math.PI / 2), value(rows, theta - Math.PI / 2));
            // The default options: version 0.1 was off by 1.1e-4 in s_2 here (it stopped when values stopped moving).
            SequentialReluSpectrum r = SequentialReluValues.compute(
                    a, SequentialReluOptions.builder().all().build());
            assertThat(r.values()[0]).isCloseTo(s1, within(1e-6 * s1));
            assertThat(r.values()[1]).isCloseTo(s2, within(1e-6 * s2));
        }
    }

    static double value(double[][] rows, double theta) {
        double sum = 0;
        for (double[] row : rows) {
            double y = Math.max(0, row[0] * Math.cos(theta) + row[1] * Math.sin(theta));
            sum += y * y;
        }
        return Math.sqrt(sum);
    }

    /** Grid of 100,000 angles, then golden-section refinement around the best one. */
    static double[] circleMaximum(double[][] rows) {
        int steps = 100_000;
        double bestTheta = 0;
        double bestValue = -1;
        for (int i = 0; i < steps; i++) {
            double theta = 2 * Math.PI * i / steps;
            double v = value(rows, theta);
            if (v > bestValue) {
                bestValue = v;
                bestTheta = theta;
            }
        }
        double lo = bestTheta - 2 * Math.PI / steps;
        double hi = bestTheta + 2 * Math.PI / steps;
        double phi = (Math.sqrt(5) - 1) / 2;
        for (int i = 0; i < 100; i++) {
            double c = hi - phi * (hi - lo);
            double d = lo + phi * (hi - lo);
            if (value(rows, c) > value(rows, d)) {
                hi = d;
            } else {
                lo = c;
            }
        }
        double theta = (lo + hi) / 2;
        return new double[] {Math.max(bestValue, value(rows, theta)), theta};
    }

    @Test
    void sameSeedGivesTheSameBits() {
        INDArray a = gaussian(21, 40, 25);
        SequentialReluOptions options =
                SequentialReluOptions.builder().topK(10).seed(9).build();
        SequentialReluSpectrum first = SequentialReluValues.compute(a, options);
        SequentialReluSpectrum second = SequentialReluValues.compute(a, options);
        assertThat(second.values()).isEqualTo(first.values());
        assertThat(second.vectors()).isEqualTo(first.vectors());
    }

    @Test
    void warmStartFromTheAnswerConvergesAtOnce() {
        INDArray a = gaussian(23, 60, 40);
        SequentialReluSpectrum cold = SequentialReluValues.compute(
                a, SequentialReluOptions.builder().topK(8).build());
        INDArray perturbed = a.add(gaussian(24, 60, 40).muli(1e-4));
        SequentialReluSpectrum warm = SequentialReluValues.compute(
                perturbed,
                SequentialReluOptions.builder()
                        .topK(8)
                        .warmStart(cold.lockingOrder())
                        .build());
        SequentialReluSpectrum recold = SequentialReluValues.compute(
                perturbed, SequentialReluOptions.builder().topK(8).build());
        assertThat(warm.iterations()).isLessThan(recold.iterations());
        assertThat(warm.values()[0]).isCloseTo(recold.values()[0], within(1e-5 * recold.values()[0]));
        for (int k = 1; k < 8; k++) {
            // Later positions may settle in other local maxima of nearly the same value.
            assertThat(warm.values()[k]).isCloseTo(recold.values()[k], within(1e-2 * recold.values()[0]));
        }
    }

    @Test
    void floatMatricesWork() {
        INDArray a = gaussian(25, 30, 20);
        SequentialReluSpectrum d = SequentialReluValues.compute(
                a, SequentialReluOptions.builder().topK(4).build());
        SequentialReluSpectrum f = SequentialReluValues.compute(
                a.castTo(DataType.FLOAT),
                SequentialReluOptions.builder().topK(4).build());
        for (int k = 0; k < 4; k++) {
            assertThat(f.values()[k]).isCloseTo(d.values()[k], within(1e-3 * d.values()[0]));
        }
    }

    /**
     * Every returned value is certified: recomputed here from the vectors in their locking order, the KKT residual
     * {@code ||P_k(A^T u_k) - s_k^2 x_k|| / max(s_k^2, (1e-3 sigma_1)^2)} is at most the tolerance, as reported.
     */
    @ParameterizedTest(name = "{0} x {1}")
    @CsvSource({"40, 30", "30, 60", "128, 96"})
    void everyValueMeetsTheKktTolerance(int m, int n) {
        INDArray a = gaussian(41L * m + n, m, n);
        double tolerance = 1e-5;
        SequentialReluSpectrum r = SequentialReluValues.compute(
                a, SequentialReluOptions.builder().topK(12).tolerance(tolerance).build());
        assertThat(r.converged()).isTrue();
        INDArray q = r.lockingOrder();
        double sigma1 = r.singularValues()[0];
        for (int k = 0; k < q.columns(); k++) {
            INDArray x = q.getColumn(k).reshape(n, 1);
            INDArray u = Transforms.relu(a.mmul(x), true);
            double f = u.norm2Number().doubleValue();
            INDArray g = a.transpose().mmul(u);
            if (k > 0) {
                INDArray earlier = q.get(NDArrayIndex.all(), NDArrayIndex.interval(0, k));
                g.subi(earlier.mmul(earlier.transpose().mmul(g)));
            }
            double residual =
                    g.subi(x.mul(f * f)).norm2Number().doubleValue() / Math.max(f * f, 1e-6 * sigma1 * sigma1);
            assertThat(residual).as("KKT residual of value %d", k + 1).isLessThanOrEqualTo(tolerance * (1 + 1e-6));
        }
        assertThat(java.util.Arrays.stream(r.residuals()).max().orElseThrow()).isLessThanOrEqualTo(tolerance);
        assertThat(r.valueConverged()).containsOnly(true);
    }

    /**
     * A rank-deficient wide operator, all values (as {@code analyze --top-k all} asks): whole windows lock at once
     * beyond the rank, and the window after such a lock starts without any column to carry over.
     */
    @Test
    void allValuesOfAWideRankDeficientOperator() {
        INDArray a = gaussian(31, 30, 90);
        SequentialReluSpectrum r = SequentialReluValues.compute(
                a, SequentialReluOptions.builder().all().build());
        assertThat(r.values()).hasSize(90);
        INDArray gram = r.vectors().transpose().mmul(r.vectors());
        assertThat(gram.sub(Nd4j.eye(90)).amaxNumber().doubleValue()).isLessThan(1e-9);
        assertThat(r.values()[29]).isPositive();
        assertThat(r.values()[60]).isLessThan(1e-3 * r.values()[0]);
    }

    /**
     * A boundary saddle (docs/algorithms.md, certificate), built by hand: at {@code x = e1} the first row is active
     * ({@code 2}), the second just below activation ({@code -1e-6}); x is a KKT point of value 2, F2 holds
     * ({@code 2 > sigma_1/sqrt 2 = 1.56}), yet turning toward {@code e2} activates the second row and reaches 2.2.
     * Started there, the search locks 2 unless it certifies.
     */
    @Test
    void theCertificateEscapesABoundarySaddle() {
        INDArray a = SaddleCertificateTest.saddle(30);
        INDArray start = Nd4j.zeros(DataType.DOUBLE, 30, 1).putScalar(0, 0, 1);
        SequentialReluOptions plain = SequentialReluOptions.builder()
                .topK(1)
                .blockSize(1)
                .spareStarts(0)
                .tolerance(1e-6)
                .warmStart(start)
                .build();
        assertThat(SequentialReluValues.compute(a, plain).values()[0]).isCloseTo(2, within(1e-12));
        SequentialReluSpectrum certified =
                SequentialReluValues.compute(a, plain.toBuilder().certify(true).build());
        assertThat(certified.values()[0]).isCloseTo(2.2, within(1e-9));
        assertThat(certified.valueConverged()).containsOnly(true);
    }

    /**
     * F2 restart: started at {@code e1}, a KKT point of {@code diag(1, -3)} (row 2 sits at 0, the gradient is
     * along e1) of value 1, below {@code sigma_1 / sqrt 2 = 2.12}; the search restarts from the top right
     * singular vector {@code -e2} and finds 3.
     */
    @Test
    void aKktPointBelowF2RestartsFromTheSeed() {
        INDArray a = Nd4j.createFromArray(new double[][] {{1, 0}, {0, -3}});
        INDArray start = Nd4j.createFromArray(new double[][] {{1}, {0}});
        SequentialReluSpectrum r = SequentialReluValues.compute(
                a,
                SequentialReluOptions.builder()
                        .topK(1)
                        .blockSize(1)
                        .spareStarts(0)
                        .warmStart(start)
                        .build());
        assertThat(r.values()[0]).isCloseTo(3, within(1e-12));
        assertThat(r.vectors().getDouble(1, 0)).isCloseTo(-1, within(1e-9));
    }

    /** Where there is no saddle, the certificate changes nothing. */
    @Test
    void theCertificateLeavesRegularValuesAlone() {
        INDArray a = gaussian(33, 60, 40);
        SequentialReluOptions options = SequentialReluOptions.builder().topK(8).build();
        double[] plain = SequentialReluValues.compute(a, options).values();
        double[] certified = SequentialReluValues.compute(
                        a, options.toBuilder().certify(true).build())
                .values();
        for (int k = 0; k < 8; k++) {
            assertThat(certified[k]).as("s_%d", k + 1).isGreaterThanOrEqualTo(plain[k] * (1 - 1e-9));
        }
    }

    /** A warm start from the answer gives the same values, to the tolerance, in a fraction of the iterations. */
    @Test
    void warmStartEqualsColdStart() {
        INDArray a = gaussian(27, 200, 150);
        SequentialReluOptions options = SequentialReluOptions.builder().topK(16).build();
        SequentialReluSpectrum cold = SequentialReluValues.compute(a, options);
        SequentialReluSpectrum warm = SequentialReluValues.compute(a, options.withWarmStart(cold.lockingOrder()));
        for (int k = 0; k < 16; k++) {
            assertThat(warm.values()[k]).as("s_%d", k + 1).isCloseTo(cold.values()[k], within(1e-6 * cold.values()[0]));
        }
        assertThat(warm.iterations()).isLessThan(cold.iterations() / 2);
    }

    /** A value that reaches its iteration cap is locked all the same and reported as not converged. */
    @Test
    void aValueThatDoesNotConvergeSaysSo() {
        INDArray a = gaussian(29, 80, 60);
        SequentialReluSpectrum r = SequentialReluValues.compute(
                a,
                SequentialReluOptions.builder()
                        .topK(6)
                        .tolerance(1e-12)
                        .maxIterationsPerValue(2)
                        .build());
        assertThat(r.converged()).isFalse();
        assertThat(r.unconverged()).isPositive();
        for (int k = 0; k < r.size(); k++) {
            assertThat(r.valueConverged()[k]).isEqualTo(r.residuals()[k] <= 1e-12);
            assertThat(r.valueIterations()[k]).isLessThanOrEqualTo(2);
        }
        assertThat(r.toString()).contains("values not");
    }

    @Test
    void badInputIsNamed() {
        INDArray nan = gaussian(1, 3, 3).putScalar(1, 1, Double.NaN);
        assertThatThrownBy(() -> SequentialReluValues.compute(
                        nan, SequentialReluOptions.builder().build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN");
        INDArray inf = gaussian(1, 3, 3).putScalar(0, 2, Double.POSITIVE_INFINITY);
        assertThatThrownBy(() -> SingularValues.of(inf)).hasMessageContaining("infinite");
        assertThatThrownBy(() -> SequentialReluOptions.builder().topK(0).build())
                .hasMessageContaining("topK");
        assertThatThrownBy(() -> SequentialReluValues.compute(
                        gaussian(1, 3, 3),
                        SequentialReluOptions.builder()
                                .warmStart(Nd4j.ones(DataType.DOUBLE, 4, 1))
                                .build()))
                .hasMessageContaining("warm-start");
    }
}
