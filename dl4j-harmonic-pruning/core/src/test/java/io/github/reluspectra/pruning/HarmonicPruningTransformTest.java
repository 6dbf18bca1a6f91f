package io.github.reluspectra.pruning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reluspectra.results.LayerKind;
import io.github.reluspectra.spectra.ReluFitOptions;
import io.github.reluspectra.spectra.SingularValues;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class HarmonicPruningTransformTest {

    /** 20 -> 16 (relu) -> 12 (relu) -> 3 (softmax), double precision. */
    static MultiLayerNetwork network() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(5)
                .dataType(DataType.DOUBLE)
                .updater(new Adam(1e-3))
                .l2(1e-4)
                .list()
                .layer(new DenseLayer.Builder()
                        .name("h1")
                        .nIn(20)
                        .nOut(16)
                        .activation(Activation.RELU)
                        .dropOut(0.9)
                        .build())
                .layer(new DenseLayer.Builder()
                        .name("h2")
                        .nIn(16)
                        .nOut(12)
                        .activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .name("out")
                        .nIn(12)
                        .nOut(3)
                        .activation(Activation.SOFTMAX)
                        .build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static INDArray inputs() {
        Nd4j.getRandom().setSeed(9);
        return Nd4j.randn(DataType.DOUBLE, 30, 20);
    }

    /** P1 (definitions §6): at full rank the pruned network computes the original outputs. */
    @Test
    void fullRankKeepsTheOutputs() {
        MultiLayerNetwork net = network();
        INDArray params = net.params().dup();
        PruningResult result = HarmonicPruningTransform.builder()
                .rank(1000)
                .includeOutput(true)
                .build()
                .transform(net);
        INDArray expected = net.output(inputs());
        INDArray actual = result.network().output(inputs());
        assertThat(actual.sub(expected).norm2Number().doubleValue())
                .isLessThan(1e-5 * expected.norm2Number().doubleValue());
        assertThat(net.params()).as("input network untouched").isEqualTo(params);
        assertThat(result.report().layers()).extracting(LayerPruning::rank).containsExactly(16, 12, 3);
        assertThat(result.report().layers())
                .allSatisfy(
                        l -> assertThat(l.energyKept()).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-9)));
    }

    /** P2 (definitions §6): each rank-r layer pair computes act(A B_r B_r^T x + b). */
    @Test
    void rankRLayersComputeTheProjectedOperator() {
        MultiLayerNetwork net = network();
        PruningResult result =
                HarmonicPruningTransform.builder().rank(2).build().transform(net);
        MultiLayerNetwork pruned = result.network();
        // h1 split into h1-harmonics (20 -> 2) and h1 (2 -> 16); h2 into (16 -> 2) and (2 -> 12).
        assertThat(pruned.getnLayers()).isEqualTo(5);
        assertThat(pruned.getLayer(0).conf().getLayer().getLayerName()).isEqualTo("h1-harmonics");
        INDArray a = net.getLayer(0).getParam("W").transpose();
        INDArray v = SingularValues.withRightVectors(a).vectors().get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2));
        INDArray expected = a.mmul(v).mmul(v.transpose()); // A B_r B_r^T
        INDArray actual = pruned.getLayer(0)
                .getParam("W")
                .mmul(pruned.getLayer(1).getParam("W"))
                .transpose();
        assertThat(actual.sub(expected).amaxNumber().doubleValue()).isLessThan(1e-10);
        assertThat(pruned.getLayer(1).getParam("b")).isEqualTo(net.getLayer(0).getParam("b"));
        assertThat(pruned.getLayer(0).paramTable()).doesNotContainKey("b");
        // Settings kept: dropout stays on the first half, l2 on both.
        assertThat(((DenseLayer) pruned.getLayer(0).conf().getLayer()).getRegularization())
                .isNotEmpty();
        assertThat(((DenseLayer) pruned.getLayer(0).conf().getLayer()).getIDropout())
                .isNotNull();
        assertThat(((DenseLayer) pruned.getLayer(1).conf().getLayer()).getIDropout())
                .isNull();
        assertThat(pruned.getLayer(4).conf().getLayer().getLayerName()).isEqualTo("out");
    }

    @Test
    void parameterArithmetic() {
        var report = HarmonicPruningTransform.builder()
                .rank(2)
                .build()
                .transform(network())
                .report();
        LayerPruning h1 = report.layers().get(0);
        assertThat(h1.paramsBefore()).isEqualTo(20 * 16 + 16);
        assertThat(h1.paramsAfter()).isEqualTo(2 * (20 + 16) + 16);
        assertThat(h1.split()).isTrue();
        LayerPruning h2 = report.layers().get(1);
        assertThat(h2.paramsAfter()).isEqualTo(2 * (16 + 12) + 12);
        assertThat(report.paramsBefore()).isEqualTo(336 + 204);
        assertThat(report.paramsAfter()).isEqualTo(88 + 68);
        // rank 10 on 16 -> 12: 10 * 28 = 280 > 192, so one layer with A_r and unchanged parameter count.
        LayerPruning unsplit = HarmonicPruningTransform.builder()
                .rank(10)
                .build()
                .transform(network())
                .report()
                .layers()
                .get(1);
        assertThat(unsplit.split()).isFalse();
        assertThat(unsplit.paramsAfter()).isEqualTo(unsplit.paramsBefore());
    }

    @Test
    void energyAndBudgetPolicies() {
        MultiLayerNetwork net = network();
        var energy = HarmonicPruningTransform.builder()
                .energy(0.8)
                .build()
                .transform(net)
                .report();
        for (LayerPruning l : energy.layers()) {
            assertThat(l.energyKept()).isGreaterThanOrEqualTo(0.8 - 1e-12);
        }
        var budget = HarmonicPruningTransform.builder()
                .budget(0.5)
                .build()
                .transform(net)
                .report();
        long weightsBefore = 20 * 16 + 16 * 12;
        long weightsAfter = budget.layers().stream()
                .mapToLong(l -> l.paramsAfter() - l.nOut())
                .sum();
        assertThat(weightsAfter).isLessThanOrEqualTo(weightsBefore / 2);
        assertThat(budget.layers()).allSatisfy(l -> assertThat(l.rank()).isGreaterThanOrEqualTo(1));
        assertThatThrownBy(() -> RankPolicy.energy(1.5)).hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> RankPolicy.rank(0)).hasMessageContaining("at least 1");
    }

    /** A budget with the fitted basis takes its ranks from the values over data, within the budget. */
    @Test
    void aFittedBudgetTakesItsRanksFromTheValues() {
        MultiLayerNetwork net = network();
        var fit =
                io.github.reluspectra.spectra.ReluFitOptions.builder().rounds(2).build();
        var values = HarmonicPruningTransform.builder()
                .basis(Basis.FITTED)
                .budget(0.5)
                .data(inputs())
                .fitOptions(fit)
                .build()
                .transform(net)
                .report();
        var energy = HarmonicPruningTransform.builder()
                .basis(Basis.FITTED)
                .budget(0.5, RankAllocation.ENERGY)
                .data(inputs())
                .fitOptions(fit)
                .build()
                .transform(net)
                .report();
        long weightsBefore = 20 * 16 + 16 * 12;
        for (var report : List.of(values, energy)) {
            long weightsAfter = report.layers().stream()
                    .mapToLong(l -> l.paramsAfter() - l.nOut())
                    .sum();
            assertThat(weightsAfter).isLessThanOrEqualTo(weightsBefore / 2);
        }
        var uniform = HarmonicPruningTransform.builder()
                .budget(0.5, RankAllocation.UNIFORM)
                .build()
                .transform(net)
                .report();
        // 20 x 16 and 16 x 12: rank r costs 36 r + 28 r = 64 r of 512 weights; r = 4 fits in 256
        assertThat(uniform.layers()).extracting(LayerPruning::rank).containsExactly(4, 4);
        // the data-aware bases report each ReLU layer's error on the calibration inputs; the SVD basis does not
        assertThat(values.layers()).allSatisfy(l -> {
            assertThat(l.overData()).isNotNull();
            assertThat(l.overData().relative()).isBetween(0.0, 1.0 + 1e-9);
        });
        assertThat(uniform.layers()).allSatisfy(l -> assertThat(l.overData()).isNull());
        assertThat(values.policy()).isEqualTo("budget 0.5");
        assertThat(energy.policy()).isEqualTo("budget 0.5 (energy)");
        assertThatThrownBy(() -> HarmonicPruningTransform.builder()
                        .budget(0.5, RankAllocation.VALUES_OVER_DATA)
                        .build())
                .hasMessageContaining("needs data");
    }

    @Test
    void reluBasisAndSaveRestore(@TempDir Path dir) throws Exception {
        PruningResult result = HarmonicPruningTransform.builder()
                .basis(Basis.RELU)
                .rank(3)
                .build()
                .transform(network());
        INDArray w1 = result.network().getLayer(0).getParam("W");
        assertThat(w1.transpose()
                        .mmul(w1)
                        .sub(Nd4j.eye(3).castTo(DataType.DOUBLE))
                        .amaxNumber()
                        .doubleValue())
                .as("ReLU basis vectors are orthonormal")
                .isLessThan(1e-9);
        File file = dir.resolve("pruned.zip").toFile();
        ModelSerializer.writeModel(result.network(), file, false);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, false);
        assertThat(restored.output(inputs())).isEqualTo(result.network().output(inputs()));
    }

    @Test
    void magnitudeBaselineKeepsTheSameNumberOfWeightsThroughFineTuning() {
        MultiLayerNetwork net = network();
        PruningReport harmonic = HarmonicPruningTransform.builder()
                .rank(2)
                .build()
                .transform(net)
                .report();
        PruningResult magnitude = MagnitudePruning.matching(harmonic, false).transform(net);
        long harmonicWeights = 2 * (20 + 16) + 2 * (16 + 12);
        long nonZero = magnitude.report().layers().stream()
                .mapToLong(l -> l.paramsAfter() - l.nOut())
                .sum();
        assertThat(nonZero).isEqualTo(harmonicWeights);
        assertThat(net.getLayer(0)
                        .getParam("W")
                        .scan(org.nd4j.linalg.indexing.conditions.Conditions.equals(0))
                        .intValue())
                .as("input untouched")
                .isZero();
        INDArray x = inputs();
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, 30, 3);
        for (int i = 0; i < 30; i++) {
            labels.putScalar(i, i % 3, 1);
        }
        var data = new org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator<>(
                new org.nd4j.linalg.dataset.DataSet(x, labels).asList(), 10);
        MultiLayerNetwork tuned = FineTuning.fineTune(magnitude, data, 2);
        long stillNonZero = 0;
        for (int i = 0; i < 2; i++) {
            INDArray w = tuned.getLayer(i).getParam("W");
            stillNonZero += w.length()
                    - w.scan(org.nd4j.linalg.indexing.conditions.Conditions.equals(0))
                            .longValue();
        }
        assertThat(stillNonZero).isLessThanOrEqualTo(harmonicWeights);
        PruningResult structural =
                HarmonicPruningTransform.builder().rank(2).build().transform(net);
        INDArray before = structural.network().params().dup();
        FineTuning.fineTune(structural, data, 1);
        assertThat(structural.network().params()).isNotEqualTo(before);

        FineTuning.fineTune(structural, data, 1, 3e-4);
        for (int i = 0; i < structural.network().getnLayers(); i++) {
            assertThat(structural.network().getLearningRate(i)).isEqualTo(3e-4);
        }
        assertThatThrownBy(() -> FineTuning.fineTune(structural, data, 1, 0))
                .hasMessageContaining("learning rate must be positive");
    }

    /**
     * P3 (definitions §6): the pruned layer pair computes ReLU(W M x + b) with the fit over the training inputs, and
     * its objective (the layer's squared error after the ReLU; for the layer before the output layer under the
     * default target, the squared error of the logits it gives) is below that of its whitened start.
     */
    @ParameterizedTest
    @EnumSource(FitTarget.class)
    void fittedPruningComputesTheFittedLayer(FitTarget fitTarget, @TempDir Path dir) throws Exception {
        MultiLayerNetwork net = network();
        INDArray x = inputs();
        PruningResult result = HarmonicPruningTransform.builder()
                .basis(Basis.FITTED)
                .fitTarget(fitTarget)
                .rank(3)
                .data(x)
                .build()
                .transform(net);
        assertThat(result.report().method()).startsWith("fitted");
        assertThat(result.report().method().contains("logits")).isEqualTo(fitTarget == FitTarget.LOGITS);
        assertThat(result.report().layers()).extracting(LayerPruning::rank).containsExactly(3, 3);
        MultiLayerNetwork pruned = result.network();
        assertThat(pruned.getnLayers()).isEqualTo(5);

        // P3: each pair computes ReLU(W M h + c), and on what it sees once the earlier layer is pruned its squared
        // error after the ReLU against the original layer is below that of the whitened start on the same inputs
        List<INDArray> original = net.feedForward(x, false);
        List<INDArray> seen = pruned.feedForward(x, false);
        for (int layer = 0; layer < 2; layer++) {
            INDArray a = net.getLayer(layer).getParam("W").transpose();
            INDArray b = net.getLayer(layer).getParam("b").reshape(-1);
            INDArray h = seen.get(2 * layer);
            INDArray target = relu(original.get(layer).mmul(a.transpose()), b);
            INDArray m = pruned.getLayer(2 * layer).getParam("W").transpose();
            INDArray w = pruned.getLayer(2 * layer + 1).getParam("W").transpose();
            INDArray c = pruned.getLayer(2 * layer + 1).getParam("b").reshape(-1);
            INDArray output = relu(h.mmul(m.transpose()).mmul(w.transpose()), c);
            assertThat(seen.get(2 * layer + 2).sub(output).amaxNumber().doubleValue())
                    .isLessThan(1e-12);
            DataAwareLowRank.Factors start = DataAwareLowRank.whitened(a, b, h, 3);
            // the output layer reads the last hidden layer through its weights V: the logits' error is (output - y) V
            INDArray readout = fitTarget == FitTarget.LOGITS && layer == 1
                    ? net.getLayer(2).getParam("W")
                    : org.nd4j.linalg.factory.Nd4j.eye(target.columns()).castTo(target.dataType());
            double startError =
                    squared(relu(h.mmul(start.m().transpose()).mmul(start.w().transpose()), start.bias())
                            .sub(target)
                            .mmul(readout));
            double fittedError = squared(output.sub(target).mmul(readout));
            assertThat(fittedError).as("layer %d", layer).isLessThan(startError);
        }

        File saved = dir.resolve("fitted.zip").toFile();
        ModelSerializer.writeModel(result.network(), saved, false);
        assertThat(ModelSerializer.restoreMultiLayerNetwork(saved, false).output(x))
                .isEqualTo(result.network().output(x));
    }

    /** The logits target gives logits closer to the original network's than the layers' own outputs do. */
    @Test
    void theLogitsTargetFitsWhatTheOutputLayerReads() {
        MultiLayerNetwork net = network();
        INDArray x = inputs();
        INDArray original = logits(net, x);
        double[] errors = new double[2];
        for (FitTarget target : FitTarget.values()) {
            MultiLayerNetwork pruned = HarmonicPruningTransform.builder()
                    .basis(Basis.FITTED)
                    .fitTarget(target)
                    .rank(3)
                    .data(x)
                    .build()
                    .transform(net)
                    .network();
            errors[target.ordinal()] = squared(logits(pruned, x).sub(original));
        }
        assertThat(errors[FitTarget.LOGITS.ordinal()]).isLessThan(errors[FitTarget.LAYER_OUTPUTS.ordinal()]);
    }

    /** The output layer's pre-activations: its input times its weights plus its bias. */
    private static INDArray logits(MultiLayerNetwork net, INDArray x) {
        List<INDArray> activations = net.feedForward(x, false);
        int last = net.getnLayers() - 1;
        return activations
                .get(last)
                .mmul(net.getLayer(last).getParam("W"))
                .addRowVector(net.getLayer(last).getParam("b"));
    }

    private static INDArray relu(INDArray z, INDArray bias) {
        return org.nd4j.linalg.ops.transforms.Transforms.relu(z.addRowVector(bias.reshape(1, -1)), false);
    }

    private static double squared(INDArray d) {
        double n = d.norm2Number().doubleValue();
        return n * n;
    }

    /** A small CNN: conv (relu) on c x h x w, max pool 2x2, dense 6 (relu), softmax 3; flat NCHW input. */
    static MultiLayerNetwork cnn(int c, int h, int w, ConvolutionLayer.Builder conv) {
        return cnn(conv, InputType.convolutionalFlat(h, w, c), CNN2DFormat.NCHW);
    }

    /** The same CNN on {@code input}, its convolution and pooling in {@code format}. */
    static MultiLayerNetwork cnn(ConvolutionLayer.Builder conv, InputType input, CNN2DFormat format) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(5)
                .dataType(DataType.DOUBLE)
                .updater(new Adam(1e-3))
                .list()
                .layer(conv.name("conv")
                        .nOut(6)
                        .activation(Activation.RELU)
                        .dropOut(0.8)
                        .dataFormat(format)
                        .build())
                .layer(new SubsamplingLayer.Builder()
                        .name("pool")
                        .kernelSize(2, 2)
                        .stride(2, 2)
                        .dataFormat(format)
                        .build())
                .layer(new DenseLayer.Builder()
                        .name("dense")
                        .nOut(6)
                        .activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .name("out")
                        .nOut(3)
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(input)
                .build());
        net.init();
        // biases away from zero, so that the rewrite must carry them
        net.getLayer(0).getParam("b").assign(Nd4j.createFromArray(-0.3, -0.2, -0.1, 0.1, 0.2, 0.3));
        return net;
    }

    /** The pruned pair's low-rank kernel {@code W M} ({@code c' x (c kh kw)}), from its two layers' weights. */
    private static INDArray lowRankKernel(MultiLayerNetwork pruned) {
        INDArray first = pruned.getLayer(0).getParam("W");
        INDArray second = pruned.getLayer(1).getParam("W");
        INDArray m = first.dup('c').reshape('c', first.size(0), first.length() / first.size(0));
        INDArray w = second.dup('c').reshape('c', second.size(0), second.size(1));
        return w.mmul(m);
    }

    /**
     * P7's oracle: the largest difference between the pruned pair's output and the original convolution's with
     * kernel {@code W M} and the pair's bias.
     */
    private static double splitPairError(MultiLayerNetwork net, MultiLayerNetwork pruned, INDArray x) {
        MultiLayerNetwork reference = net.clone();
        INDArray kernel = net.getLayer(0).getParam("W");
        reference.getLayer(0).setParam("W", lowRankKernel(pruned).reshape('c', kernel.shape()));
        reference.getLayer(0).setParam("b", pruned.getLayer(1).getParam("b"));
        // the conv's output: after the 1x1 layer in the pruned network (activations 0 is the input)
        INDArray expected = reference.feedForward(x, false).get(1);
        INDArray actual = pruned.feedForward(x, false).get(2);
        assertThat(actual.shape()).isEqualTo(expected.shape());
        return actual.sub(expected).amaxNumber().doubleValue();
    }

    static Stream<Arguments> convolutions() {
        return Stream.of(
                Arguments.of("3x3 stride 1 truncate", new ConvolutionLayer.Builder(3, 3)),
                Arguments.of(
                        "3x3 stride 2 same",
                        new ConvolutionLayer.Builder(3, 3).stride(2, 2).convolutionMode(ConvolutionMode.Same)),
                Arguments.of(
                        "3x3 padding 1 dilation 2",
                        new ConvolutionLayer.Builder(3, 3).padding(1, 1).dilation(2, 2)));
    }

    /**
     * P7 (definitions §6): a convolution pruned to rank r becomes a convolution to r channels (identity, no bias,
     * the original kernel size, stride, padding and dilation) and a 1x1 convolution to the original channels, and
     * the two compute the original layer with the kernel {@code W M} and the new bias; for the SVD basis
     * {@code W M = A V_r V_r^T} on the kernel matrix {@code A}. The oracle is the original network's convolution
     * with that kernel and bias.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("convolutions")
    void aConvolutionBecomesAConvolutionToRChannelsThenA1x1One(String label, ConvolutionLayer.Builder conv) {
        MultiLayerNetwork net = cnn(2, 9, 9, conv);
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 40, 2 * 9 * 9);
        INDArray kernel = net.getLayer(0).getParam("W");
        INDArray a = kernel.dup('c').reshape('c', 6, 18);
        for (Basis basis : new Basis[] {Basis.SVD, Basis.WHITENED, Basis.FITTED}) {
            var builder = HarmonicPruningTransform.builder().basis(basis).rank(2);
            if (basis.needsData()) {
                builder.data(x)
                        .fitOptions(ReluFitOptions.builder()
                                .rounds(2)
                                .stepsPerRound(3)
                                .build());
            }
            PruningResult result = builder.build().transform(net);
            LayerPruning p = result.report().layers().get(0);
            assertThat(p.kind()).isEqualTo(LayerKind.CONVOLUTION);
            assertThat(p.nIn()).isEqualTo(18);
            assertThat(p.nOut()).isEqualTo(6);
            assertThat(p.split()).isTrue();
            assertThat(p.paramsAfter()).isEqualTo(2 * (18 + 6) + 6);
            MultiLayerNetwork pruned = result.network();
            var first = (ConvolutionLayer) pruned.getLayer(0).conf().getLayer();
            var second = (ConvolutionLayer) pruned.getLayer(1).conf().getLayer();
            assertThat(first.getLayerName()).isEqualTo("conv-harmonics");
            assertThat(first.hasBias()).isFalse();
            assertThat(first.getIDropout()).isNotNull();
            assertThat(second.getKernelSize()).containsExactly(1, 1);
            assertThat(second.getIDropout()).isNull();
            if (basis == Basis.SVD) {
                INDArray v = SingularValues.withRightVectors(a)
                        .vectors()
                        .get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2));
                assertThat(lowRankKernel(pruned)
                                .sub(a.mmul(v).mmul(v.transpose()))
                                .amaxNumber()
                                .doubleValue())
                        .as("W M = A V_2 V_2^T")
                        .isLessThan(1e-12);
            }
            assertThat(splitPairError(net, pruned, x))
                    .as("%s: %s", label, basis)
                    .isLessThan(1e-12);
        }
    }

    /** P7 in the channels-last layout: the rewrite keeps the layer's format, and its kernels stay [c', c, kh, kw]. */
    @Test
    void aChannelsLastConvolutionIsRewrittenInItsLayout() {
        InputType images = InputType.convolutional(7, 7, 2, CNN2DFormat.NHWC);
        MultiLayerNetwork net = cnn(
                new ConvolutionLayer.Builder(3, 3).stride(2, 2).convolutionMode(ConvolutionMode.Same),
                images,
                CNN2DFormat.NHWC);
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 5, 7, 7, 2);
        // the model does not record the shape of its 4D input: without the input type the convolution is kept
        assertThat(HarmonicPruningTransform.builder()
                        .rank(2)
                        .build()
                        .transform(net)
                        .report()
                        .layers())
                .extracting(LayerPruning::name)
                .containsExactly("dense");
        PruningResult result = HarmonicPruningTransform.builder()
                .rank(2)
                .inputType(images)
                .build()
                .transform(net);
        MultiLayerNetwork pruned = result.network();
        assertThat(result.report().layers()).extracting(LayerPruning::name).containsExactly("conv", "dense");
        // and the bases fitted on data take the images as the network does
        PruningResult fitted = HarmonicPruningTransform.builder()
                .basis(Basis.FITTED)
                .rank(2)
                .inputType(images)
                .data(x)
                .build()
                .transform(net);
        assertThat(fitted.network().output(x).shape()).isEqualTo(new long[] {5, 3});
        assertThat(((ConvolutionLayer) pruned.getLayer(1).conf().getLayer()).getCnn2dDataFormat())
                .isEqualTo(CNN2DFormat.NHWC);
        assertThat(splitPairError(net, pruned, x)).isLessThan(1e-12);
    }

    /** A budget counts the kernels' weights with the dense layers'; convolutions(false) leaves them alone. */
    @Test
    void aBudgetCountsConvolutionsAndEveryBasisRewritesThem() {
        MultiLayerNetwork net = cnn(1, 10, 10, new ConvolutionLayer.Builder(3, 3));
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 25, 100);
        long[] weights = {6 * 9, 6 * 4 * 4 * 6};
        for (Basis basis : Basis.values()) {
            var builder = HarmonicPruningTransform.builder().basis(basis).budget(0.5);
            if (basis.needsData()) {
                builder.data(x)
                        .fitOptions(ReluFitOptions.builder()
                                .rounds(2)
                                .stepsPerRound(3)
                                .build());
            }
            PruningResult result = builder.build().transform(net);
            PruningReport report = result.report();
            assertThat(report.layers())
                    .as(basis.toString())
                    .extracting(LayerPruning::name)
                    .containsExactly("conv", "dense");
            long weightsAfter = report.layers().stream()
                    .mapToLong(l -> l.paramsAfter() - l.nOut())
                    .sum();
            assertThat(weightsAfter).as(basis.toString()).isLessThanOrEqualTo((weights[0] + weights[1]) / 2);
            assertThat(report.networkParamsBefore()).isEqualTo(net.numParams());
            assertThat(report.networkParamsAfter()).isEqualTo(result.network().numParams());
            assertThat(result.network().output(x).shape()).isEqualTo(new long[] {25, 3});
        }
        PruningResult denseOnly = HarmonicPruningTransform.builder()
                .rank(2)
                .convolutions(false)
                .build()
                .transform(net);
        assertThat(denseOnly.report().layers()).extracting(LayerPruning::name).containsExactly("dense");
        assertThat(denseOnly.network().getLayer(0).getParam("W"))
                .isEqualTo(net.getLayer(0).getParam("W"));
        PruningResult magnitude = MagnitudePruning.matching(
                        HarmonicPruningTransform.builder()
                                .budget(0.5)
                                .build()
                                .transform(net)
                                .report(),
                        false)
                .transform(net);
        assertThat(magnitude.report().layers())
                .extracting(LayerPruning::kind)
                .containsExactly(LayerKind.CONVOLUTION, LayerKind.DENSE);
    }

    @Test
    void fittedPruningNeedsDataAndToleranceNeedsTheFittedBasis() {
        assertThatThrownBy(() ->
                        HarmonicPruningTransform.builder().basis(Basis.FITTED).build())
                .hasMessageContaining("needs data");
        assertThatThrownBy(
                        () -> HarmonicPruningTransform.builder().tolerance(0.5).build())
                .hasMessageContaining("fitted basis only");
        PruningResult result = HarmonicPruningTransform.builder()
                .basis(Basis.FITTED)
                .tolerance(0.6)
                .data(inputs())
                .fitOptions(io.github.reluspectra.spectra.ReluFitOptions.builder()
                        .rounds(2)
                        .stepsPerRound(3)
                        .build())
                .build()
                .transform(network());
        // The oracle: each layer's rank is the smallest of the ladder whose fitted value is within the tolerance.
        var layers = io.github.reluspectra.network.LayerOperators.of(network(), DataType.DOUBLE);
        var activations = network().feedForward(inputs(), false);
        for (var pruned : result.report().layers()) {
            var layer = layers.stream()
                    .filter(l -> l.index() == pruned.index())
                    .findFirst()
                    .orElseThrow();
            int max = (int) Math.min(layer.nIn(), layer.nOut());
            java.util.List<Integer> ladder = new java.util.ArrayList<>(java.util.List.of(0));
            for (int k = 1; k < max; k *= 2) {
                ladder.add(k);
            }
            ladder.add(max);
            var values = io.github.reluspectra.spectra.ReluSingularValues.compute(
                    layer.weights(),
                    layer.bias(),
                    activations.get(pruned.index()).castTo(DataType.DOUBLE),
                    io.github.reluspectra.spectra.ReluFitOptions.builder()
                            .rounds(2)
                            .stepsPerRound(3)
                            .ranks(ladder.stream().mapToInt(Integer::intValue).toArray())
                            .build());
            int expected = Math.max(1, values.smallestRankWithin(0.6));
            assertThat(pruned.rank()).as(pruned.name()).isEqualTo(expected);
        }
    }
}
