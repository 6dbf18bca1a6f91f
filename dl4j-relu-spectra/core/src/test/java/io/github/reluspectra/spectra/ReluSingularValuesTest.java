package io.github.reluspectra.spectra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** definitions §2b facts A1–A5 for the ReLU singular values over data, on seeded small layers. */
class ReluSingularValuesTest {

    private static final ReluFitOptions OPTIONS = ReluFitOptions.builder()
            .ranks(0, 1, 2, 3, 5, 8)
            .rounds(5)
            .stepsPerRound(3)
            .build();

    /** Seeded layers (m x n), biases and inputs: a grid of shapes. */
    private record Case(INDArray a, INDArray b, INDArray x) {}

    private static List<Case> grid() {
        int[][] shapes = {{6, 4, 40}, {10, 8, 60}, {5, 12, 50}, {12, 12, 80}};
        return java.util.stream.IntStream.range(0, shapes.length)
                .mapToObj(i -> {
                    int[] s = shapes[i];
                    return new Case(
                            SequentialReluValuesTest.gaussian(10 + i, s[0], s[1]),
                            SequentialReluValuesTest.gaussian(20 + i, 1, s[0]).muli(0.5),
                            SequentialReluValuesTest.gaussian(30 + i, s[2], s[1]));
                })
                .toList();
    }

    /** {@code max over rows x of ||ReLU(X A^T + b) - ReLU(X L^T + b)||}. */
    private static double maxError(INDArray x, INDArray a, INDArray l, INDArray b) {
        INDArray exact = Transforms.relu(x.mmul(a.transpose()).addiRowVector(b), false);
        INDArray approx = Transforms.relu(x.mmul(l.transpose()).addiRowVector(b), false);
        return exact.subi(approx).norm2(1).maxNumber().doubleValue();
    }

    /** A1, and the reported factors reproduce the reported value; A2 and A3 on every rank. */
    @Test
    void exactRankZeroMonotoneAndBelowTheSvdBound() {
        List<Case> cases = grid();
        // Every fit first: a result must outlive the workspace that the next fit reuses.
        List<ReluValuesOverData> results = cases.stream()
                .map(c -> ReluSingularValues.compute(c.a(), c.b(), c.x(), OPTIONS))
                .toList();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            ReluValuesOverData r = results.get(i);
            INDArray zero = Nd4j.zeros(DataType.DOUBLE, c.a().rows(), c.a().columns());
            assertThat(r.values()[0]).isCloseTo(maxError(c.x(), c.a(), zero, c.b()), within(1e-12));
            double[] sigma = SingularValues.of(c.a());
            double maxNorm = c.x().norm2(1).maxNumber().doubleValue();
            double previous = Double.POSITIVE_INFINITY;
            for (RankFit f : r.fits()) {
                INDArray l = f.rank() == 0 ? zero : f.w().mmul(f.m());
                assertThat(maxError(c.x(), c.a(), l, c.b()))
                        .as("rank %d", f.rank())
                        .isCloseTo(f.value(), within(1e-9 * r.values()[0]));
                assertThat(f.value()).isLessThanOrEqualTo(previous);
                assertThat(f.value()).isLessThanOrEqualTo(f.svdValue());
                double bound = f.rank() < sigma.length ? sigma[f.rank()] * maxNorm : 0;
                assertThat(f.sigmaBound()).isCloseTo(bound, within(1e-9 * bound + 1e-300));
                assertThat(f.svdValue()).isLessThanOrEqualTo(bound * (1 + 1e-9) + 1e-12);
                assertThat(f.w().shape()).containsExactly(c.a().rows(), (long) f.rank());
                assertThat(f.m().shape()).containsExactly((long) f.rank(), c.a().columns());
                assertThat(f.w().isAttached() || f.m().isAttached()).isFalse();
                previous = f.value();
            }
        }
    }

    /** The fit improves on the truncated SVD where there is room: trained-layer-like data is not the unit ball. */
    @Test
    void theFitBeatsTheTruncatedSvdOnData() {
        Case c = grid().get(3);
        ReluValuesOverData r = ReluSingularValues.compute(c.a(), c.b(), c.x(), OPTIONS);
        RankFit three = r.fit(3);
        assertThat(three.value()).isLessThan(0.95 * three.svdValue());
        assertThat(three.source()).isIn("fit", "polish", "data");
    }

    /** A4: inputs in a 3-dimensional subspace are reproduced exactly from rank 3 on. */
    @Test
    void exactStructureIsFound() {
        INDArray a = SequentialReluValuesTest.gaussian(41, 9, 7);
        INDArray b = SequentialReluValuesTest.gaussian(42, 1, 9);
        INDArray x = SequentialReluValuesTest.gaussian(43, 60, 3).mmul(SequentialReluValuesTest.gaussian(44, 3, 7));
        ReluValuesOverData r = ReluSingularValues.compute(a, b, x, OPTIONS);
        for (RankFit f : r.fits()) {
            if (f.rank() >= 3) {
                assertThat(f.value()).as("rank %d", f.rank()).isLessThan(1e-4 * r.values()[0]);
            }
        }
        assertThat(r.fit(1).value()).isGreaterThan(1e-2 * r.values()[0]);
    }

    /** A5: a double layer [A; -A] with biases [b; -b] is bounded by the linear error of A_k. */
    @Test
    void doubleLayers() {
        INDArray a = SequentialReluValuesTest.gaussian(51, 5, 6);
        INDArray b = SequentialReluValuesTest.gaussian(52, 1, 5);
        INDArray x = SequentialReluValuesTest.gaussian(53, 50, 6);
        INDArray d = Nd4j.vstack(a, a.neg());
        INDArray db = Nd4j.hstack(b, b.neg());
        ReluValuesOverData r = ReluSingularValues.compute(d, db, x, OPTIONS);
        SingularValues.RightSingular svd = SingularValues.withRightVectors(a);
        for (RankFit f : r.fits()) {
            int k = Math.min(f.rank(), svd.values().length);
            INDArray vk = svd.vectors()
                    .get(
                            org.nd4j.linalg.indexing.NDArrayIndex.all(),
                            org.nd4j.linalg.indexing.NDArrayIndex.interval(0, Math.max(k, 1)));
            INDArray ak = k == 0 ? Nd4j.zerosLike(a) : a.mmul(vk).mmul(vk.transpose());
            double linear = x.mmul(a.sub(ak).transpose()).norm2(1).maxNumber().doubleValue();
            assertThat(f.value()).as("rank %d", f.rank()).isLessThanOrEqualTo(linear * (1 + 1e-9) + 1e-12);
        }
    }

    @Test
    void deterministicAndWarmStartsNeverWorse() {
        Case c = grid().get(1);
        ReluValuesOverData first = ReluSingularValues.compute(c.a(), c.b(), c.x(), OPTIONS);
        ReluValuesOverData again = ReluSingularValues.compute(c.a(), c.b(), c.x(), OPTIONS);
        assertThat(again.values()).containsExactly(first.values());
        INDArray moved = c.a().add(SequentialReluValuesTest.gaussian(99, 10, 8).muli(0.01));
        ReluValuesOverData cold = ReluSingularValues.compute(moved, c.b(), c.x(), OPTIONS);
        ReluValuesOverData warm = ReluSingularValues.compute(moved, c.b(), c.x(), OPTIONS.withWarmStart(first));
        ReluValuesOverData same = ReluSingularValues.compute(c.a(), c.b(), c.x(), OPTIONS.withWarmStart(first));
        for (int i = 0; i < first.fits().size(); i++) {
            assertThat(same.values()[i]).isLessThanOrEqualTo(first.values()[i]);
            assertThat(warm.values()[i]).isLessThanOrEqualTo(Math.max(cold.values()[i], warm.svdValues()[i]));
        }
    }

    /**
     * The ladder cut at the first rank within a fraction of rank 0's value is the whole ladder's prefix, value for
     * value, and picks the same rank: each rank's fit depends only on the ranks below it.
     */
    @Test
    void theLadderCutAtAFractionIsThePrefixOfTheWholeOne() {
        for (Case c : grid()) {
            ReluValuesOverData whole = ReluSingularValues.compute(c.a(), c.b(), c.x(), OPTIONS);
            for (double fraction : new double[] {1.0, 0.8, 0.5, 0.3, 0.1, 1e-6}) {
                ReluValuesOverData cut = ReluSingularValues.computeUntilWithin(c.a(), c.b(), c.x(), OPTIONS, fraction);
                int rank = whole.smallestRankWithin(fraction);
                assertThat(cut.smallestRankWithin(fraction)).isEqualTo(rank);
                assertThat(cut.ranks()).as("ranks up to %d", rank).endsWith(rank);
                assertThat(cut.values()).containsExactly(java.util.Arrays.copyOf(whole.values(), cut.values().length));
                assertThat(cut.fit(rank).w()).isEqualTo(whole.fit(rank).w());
            }
        }
        Case c = grid().get(0);
        assertThatThrownBy(() -> ReluSingularValues.computeUntilWithin(c.a(), c.b(), c.x(), OPTIONS, 0))
                .hasMessageContaining("fraction must be in (0, 1]");
    }

    /** Full rank reproduces the layer; ranks above min(m, n) count as min(m, n). */
    @Test
    void fullRankIsExact() {
        Case c = grid().get(0); // 6 x 4
        ReluValuesOverData r = ReluSingularValues.compute(
                c.a(), c.b(), c.x(), OPTIONS.toBuilder().ranks(0, 4, 9).build());
        assertThat(r.ranks()).containsExactly(0, 4);
        assertThat(r.values()[1]).isLessThan(1e-12 * r.values()[0]);
    }

    /** s(cA, cb) = c s(A, b) at the ends of the double range. */
    @Test
    void scales() {
        Case c = grid().get(1);
        ReluValuesOverData base = ReluSingularValues.compute(c.a(), c.b(), c.x(), OPTIONS);
        for (double scale : new double[] {1e156, 1e-200}) {
            ReluValuesOverData r = ReluSingularValues.compute(c.a().mul(scale), c.b().mul(scale), c.x(), OPTIONS);
            for (int i = 0; i < base.fits().size(); i++) {
                assertThat(r.values()[i]).isCloseTo(scale * base.values()[i], within(1e-6 * scale * base.values()[0]));
            }
        }
    }

    /**
     * The descent toward the max (version 2) is at most 1% above the minibatch least-squares fit with its l_p
     * polish that it replaced, at every rank of three seeded layers: the old fit's values with its defaults
     * (10 epochs of batches of 250, 30 polish steps), measured at commit ec9e50f.
     */
    @Test
    void neverWorseThanTheFitItReplaced() {
        INDArray[][] layers = {
            {
                SequentialReluValuesTest.gaussian(61, 24, 40),
                SequentialReluValuesTest.gaussian(62, 1, 24).muli(0.5),
                SequentialReluValuesTest.gaussian(63, 400, 40)
            },
            {
                SequentialReluValuesTest.gaussian(71, 48, 20),
                SequentialReluValuesTest.gaussian(72, 1, 48).muli(0.5),
                SequentialReluValuesTest.gaussian(73, 300, 20)
            },
            {
                SequentialReluValuesTest.gaussian(81, 32, 32),
                SequentialReluValuesTest.gaussian(82, 1, 32).muli(0.5),
                Transforms.relu(SequentialReluValuesTest.gaussian(83, 500, 32), false)
            }
        };
        double[][] previousFit = {
            {
                35.93009901626508,
                31.61761097770367,
                26.822127296554207,
                22.15610212322725,
                15.307958731905076,
                7.195506222126409,
                0
            },
            {
                42.35158858416268,
                36.084057289155396,
                31.299628127499172,
                24.980473159390552,
                15.365906095319565,
                6.04512318054219,
                0
            },
            {
                28.194918254939363,
                19.174532717568134,
                18.501744229850434,
                16.849943423128,
                10.9494335037066,
                5.240678519363302,
                0
            }
        };
        for (int i = 0; i < layers.length; i++) {
            ReluValuesOverData r = ReluSingularValues.compute(
                    layers[i][0],
                    layers[i][1],
                    layers[i][2],
                    ReluFitOptions.builder().build());
            double[] values = r.values();
            assertThat(values).hasSameSizeAs(previousFit[i]);
            for (int k = 0; k < values.length; k++) {
                assertThat(values[k])
                        .as("layer %d, rank %d", i, r.ranks()[k])
                        .isLessThanOrEqualTo(1.01 * previousFit[i][k] + 1e-12 * values[0]);
            }
        }
    }

    /**
     * The mean-square objective: its fits have a root mean square error that does not grow with the rank and is
     * at most the max-error fits' (within 1%), and its values are still the max errors of the reported factors.
     */
    @Test
    void theMeanSquareObjectiveFitsTheTypicalInput() {
        for (Case c : grid()) {
            ReluValuesOverData max = ReluSingularValues.compute(c.a(), c.b(), c.x(), OPTIONS);
            ReluValuesOverData mean = ReluSingularValues.compute(
                    c.a(),
                    c.b(),
                    c.x(),
                    OPTIONS.toBuilder()
                            .objective(FitObjective.MEAN_SQUARED_ERROR)
                            .build());
            double previous = Double.POSITIVE_INFINITY;
            for (int i = 0; i < mean.fits().size(); i++) {
                RankFit f = mean.fits().get(i);
                assertThat(f.rms())
                        .as("rank %d", f.rank())
                        .isLessThanOrEqualTo(previous)
                        .isLessThanOrEqualTo(max.rms()[i] * 1.01 + 1e-12 * mean.values()[0]);
                INDArray l =
                        f.rank() == 0 ? Nd4j.zeros(DataType.DOUBLE, c.a().rows(), c.a().columns()) : f.w().mmul(f.m());
                assertThat(maxError(c.x(), c.a(), l, c.b())).isCloseTo(f.value(), within(1e-9 * mean.values()[0]));
                previous = f.rms();
            }
        }
    }
}
