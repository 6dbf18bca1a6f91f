package io.github.reluspectra.pruning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.reluspectra.spectra.SingularValues;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/** P4 (definitions §6): the closed-form data-aware baselines against their exact optima, on seeded layers. */
class DataAwareLowRankTest {

    private static INDArray gaussian(long seed, int rows, int columns) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.DOUBLE, rows, columns);
    }

    /** Inputs off-centre, correlated, and with two coordinates that are always 0 (as MNIST's border pixels). */
    private static INDArray inputs(long seed) {
        INDArray x = gaussian(seed, 60, 8).mmul(gaussian(seed + 1, 8, 14)).addi(3.0);
        x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2)).assign(0);
        return x;
    }

    private static double sumFrom(double[] sigma, int r) {
        double s = 0;
        for (int i = r; i < sigma.length; i++) {
            s += sigma[i] * sigma[i];
        }
        return s;
    }

    /**
     * The whitened objective is {@code ||(A - L) [X_c^T, sqrt(d) I]||_F^2}: the oracle takes the singular values of
     * {@code A [X_c^T, sqrt(d) I]}, formed directly from the inputs (no covariance, no eigendecomposition).
     */
    @Test
    void whitenedAttainsTheDiscardedSingularValuesOfTheWhitenedMatrix() {
        for (long seed = 1; seed <= 5; seed++) {
            INDArray a = gaussian(seed * 10, 9, 14);
            INDArray b = gaussian(seed * 10 + 1, 1, 9);
            INDArray x = inputs(seed * 10 + 2);
            INDArray centred = x.subRowVector(x.mean(0));
            double d = DataAwareLowRank.damping(centred.transpose().mmul(centred));
            INDArray augmented = Nd4j.hstack(
                    centred.transpose(), Nd4j.eye(14).castTo(DataType.DOUBLE).muli(Math.sqrt(d)));
            double[] whitened = SingularValues.of(a.mmul(augmented));
            double total = sumFrom(whitened, 0);
            for (int r : new int[] {1, 3, 6, 8}) {
                DataAwareLowRank.Factors f = DataAwareLowRank.whitened(a, b, x, r);
                INDArray l = f.w().mmul(f.m());
                double error = a.sub(l).mmul(augmented).norm2Number().doubleValue();
                assertThat(error * error)
                        .as("seed %d, rank %d", seed, r)
                        .isCloseTo(sumFrom(whitened, r), within(1e-9 * total));
                // the mean input gets the layer's own pre-activation
                INDArray mu = x.mean(0).reshape(14, 1);
                INDArray original = a.mmul(mu).addi(b.reshape(9, 1));
                INDArray replaced = l.mmul(mu).addi(f.bias().reshape(9, 1));
                assertThat(replaced.sub(original).norm2Number().doubleValue())
                        .isLessThan(1e-9 * original.norm2Number().doubleValue());
                // no rank-r map does better on that objective: the truncated SVD of A does worse or equal
                double svdError =
                        a.sub(truncatedSvd(a, r)).mmul(augmented).norm2Number().doubleValue();
                assertThat(error).isLessThanOrEqualTo(svdError * (1 + 1e-9));
                // the factors stay of the layer's size where the inputs never go (the damping's purpose), and are
                // balanced: column j of W and row j of M of equal norm, so that fine-tuning moves both alike
                assertThat(f.m().amaxNumber().doubleValue() * f.w().amaxNumber().doubleValue())
                        .isLessThan(100 * a.amaxNumber().doubleValue());
                double scale = a.norm2Number().doubleValue();
                assertThat(f.w().norm2(0).toDoubleVector())
                        .containsExactly(f.m().norm2(1).toDoubleVector(), within(1e-9 * scale));
            }
            // full rank (m = 9) reproduces the layer
            DataAwareLowRank.Factors full = DataAwareLowRank.whitened(a, b, x, 9);
            assertThat(full.w().mmul(full.m()).sub(a).norm2Number().doubleValue())
                    .isLessThan(1e-9 * a.norm2Number().doubleValue());
        }
    }

    @Test
    void activationScaledIsTheTruncatedSvdOfTheScaledMatrix() {
        for (long seed = 1; seed <= 5; seed++) {
            INDArray a = gaussian(seed * 20, 9, 14);
            INDArray x = inputs(seed * 20 + 2);
            INDArray d = Transforms.sqrt(Transforms.abs(x, true).mean(0), false).reshape(1, 14);
            double[] sigma = SingularValues.of(a.mulRowVector(d));
            for (int r : new int[] {1, 4, 9}) {
                DataAwareLowRank.Factors f = DataAwareLowRank.activationScaled(a, null, x, r);
                double error =
                        a.sub(f.w().mmul(f.m())).mulRowVector(d).norm2Number().doubleValue();
                assertThat(error * error)
                        .as("seed %d, rank %d", seed, r)
                        .isCloseTo(sumFrom(sigma, r), within(1e-9 * sumFrom(sigma, 0)));
                // coordinates the inputs never use get no weight
                assertThat(f.m().get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2))
                                .amaxNumber()
                                .doubleValue())
                        .isZero();
            }
        }
    }

    /** P4 through the transform: full rank keeps the outputs on the data; the bases need data. */
    @Test
    void theTransformUsesThemAndRefusesThemWithoutData() {
        MultiLayerNetwork net = HarmonicPruningTransformTest.network();
        INDArray x = HarmonicPruningTransformTest.inputs();
        for (Basis basis : new Basis[] {Basis.WHITENED, Basis.ACTIVATION_SCALED}) {
            PruningResult result = HarmonicPruningTransform.builder()
                    .basis(basis)
                    .rank(1000)
                    .data(x)
                    .build()
                    .transform(net);
            INDArray expected = net.output(x);
            assertThat(result.network().output(x).sub(expected).norm2Number().doubleValue())
                    .as(basis.name())
                    .isLessThan(1e-6 * expected.norm2Number().doubleValue());
            assertThat(result.report().method()).contains(basis == Basis.WHITENED ? "whitened" : "ASVD");
            PruningResult small = HarmonicPruningTransform.builder()
                    .basis(basis)
                    .rank(2)
                    .data(x)
                    .build()
                    .transform(net);
            assertThat(small.report().layers()).extracting(LayerPruning::rank).containsExactly(2, 2);
            assertThatThrownBy(() -> HarmonicPruningTransform.builder()
                            .basis(basis)
                            .rank(2)
                            .build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("needs data");
        }
    }

    private static INDArray truncatedSvd(INDArray a, int r) {
        SingularValues.RightSingular svd = SingularValues.withRightVectors(a);
        INDArray v = svd.vectors().get(NDArrayIndex.all(), NDArrayIndex.interval(0, r));
        return a.mmul(v).mmul(v.transpose());
    }
}
