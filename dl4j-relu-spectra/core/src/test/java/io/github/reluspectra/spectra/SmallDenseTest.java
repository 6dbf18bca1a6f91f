package io.github.reluspectra.spectra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The small dense linear algebra of the searches, each pinned to an exact case. */
class SmallDenseTest {

    /** Q diag(5, 2, -1) Q^T, Q the rotation by 30 degrees in the (1, 2) plane: top pair (5, (cos, sin, 0)). */
    @Test
    void jacobiFindsTheTopEigenpairOfAKnownMatrix() {
        double c = Math.cos(Math.PI / 6);
        double s = Math.sin(Math.PI / 6);
        double[] m = {5 * c * c + 2 * s * s, (5 - 2) * c * s, 0, (5 - 2) * c * s, 5 * s * s + 2 * c * c, 0, 0, 0, -1};
        double[] top = SmallDense.topEigenpair(m, 3);
        assertThat(top[0]).isCloseTo(5, within(1e-13));
        assertThat(Math.abs(top[1])).isCloseTo(c, within(1e-13));
        assertThat(Math.abs(top[2])).isCloseTo(s, within(1e-13));
        assertThat(top[3]).isCloseTo(0, within(1e-13));
        assertThat(SmallDense.topEigenvector3(m)).containsExactly(top[1], top[2], top[3]);
    }

    /** On random symmetric matrices of the certificate's sizes: {@code M v = lambda v}, lambda the largest. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5, 8})
    void jacobiSatisfiesTheEigenEquation(int k) {
        Random random = new Random(k);
        double[] m = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j <= i; j++) {
                m[i * k + j] = m[j * k + i] = random.nextGaussian();
            }
        }
        double[] top = SmallDense.topEigenpair(m, k);
        double trace = 0;
        for (int i = 0; i < k; i++) {
            double mv = 0;
            for (int j = 0; j < k; j++) {
                mv += m[i * k + j] * top[1 + j];
            }
            assertThat(mv).isCloseTo(top[0] * top[1 + i], within(1e-12));
            trace += m[i * k + i];
        }
        // the largest eigenvalue is at least the mean one
        assertThat(top[0]).isGreaterThanOrEqualTo(trace / k - 1e-12);
    }

    /** G = R^T R for R = [[2, 1], [0, 3]]: R^-1 = [[1/2, -1/6], [0, 1/3]], column-major. */
    @Test
    void inverseCholeskyOfAKnownFactor() {
        double[] gram = {4, 2, 2, 10};
        assertThat(SmallDense.inverseCholesky(gram, 2, 0, 0))
                .containsExactly(new double[] {0.5, 0, -1.0 / 6, 1.0 / 3}, within(1e-15));
    }

    /** Dependent columns: a pivot at the floor, or below its share of the column's norm, gives null. */
    @Test
    void inverseCholeskyRefusesDependentColumns() {
        double[] dependent = {1, 1, 1, 1};
        assertThat(SmallDense.inverseCholesky(dependent, 2, 1e-13, 0)).isNull();
        // pivot sqrt(1 - 0.99^2) = 0.141 of a unit column: kept at share 0.1, refused at share 0.2
        double[] close = {1, 0.99, 0.99, 1};
        assertThat(SmallDense.inverseCholesky(close, 2, 0, 0.1)).isNotNull();
        assertThat(SmallDense.inverseCholesky(close, 2, 0, 0.2)).isNull();
    }

    @Test
    void nearIdentityHasItsThreshold() {
        assertThat(SmallDense.nearIdentity(new double[] {1, 1e-9, 1e-9, 1}, 2, 1e-8))
                .isTrue();
        assertThat(SmallDense.nearIdentity(new double[] {1, 1e-7, 1e-7, 1}, 2, 1e-8))
                .isFalse();
        assertThat(SmallDense.nearIdentity(new double[] {1, 0, 0, Double.NaN}, 2, 1))
                .isFalse();
    }

    @Test
    void ordersAreStable() {
        int[] order = SmallDense.descendingOrder(new double[] {1, 3, 1, 2});
        assertThat(order).containsExactly(1, 3, 0, 2);
        assertThat(SmallDense.permute(new double[] {1, 3, 1, 2}, order)).containsExactly(3, 2, 1, 1);
        assertThat(SmallDense.isIdentity(order)).isFalse();
        assertThat(SmallDense.isIdentity(new int[] {0, 1, 2})).isTrue();
    }
}
