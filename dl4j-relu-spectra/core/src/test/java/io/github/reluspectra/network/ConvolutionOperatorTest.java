package io.github.reluspectra.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.reluspectra.spectra.ConvolutionOperator;
import io.github.reluspectra.spectra.SingularValues;
import io.github.reluspectra.spectra.TopSingularValues;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The convolution operator against the explicit matrix of the layer's own forward pass: DL4J's output on each
 * basis vector of the input tensor is one column of {@code A}.
 */
class ConvolutionOperatorTest {

    /** One layer's configuration: input c x h x w, then the convolution's settings. */
    record Case(
            String label,
            int c,
            int h,
            int w,
            int outChannels,
            int[] kernel,
            int[] stride,
            int[] padding,
            int[] dilation,
            ConvolutionMode mode,
            CNN2DFormat format) {
        @Override
        public String toString() {
            return label;
        }
    }

    static Stream<Case> cases() {
        CNN2DFormat nchw = CNN2DFormat.NCHW;
        return Stream.of(
                new Case(
                        "3x3 stride 1 truncate, 2->3 channels",
                        2,
                        6,
                        6,
                        3,
                        new int[] {3, 3},
                        new int[] {1, 1},
                        new int[] {0, 0},
                        new int[] {1, 1},
                        ConvolutionMode.Truncate,
                        nchw),
                new Case(
                        "3x3 stride 2 same (asymmetric padding), 7x7",
                        2,
                        7,
                        7,
                        3,
                        new int[] {3, 3},
                        new int[] {2, 2},
                        new int[] {0, 0},
                        new int[] {1, 1},
                        ConvolutionMode.Same,
                        nchw),
                new Case(
                        "3x3 stride 2 truncate, padding 1, 8x7",
                        3,
                        8,
                        7,
                        2,
                        new int[] {3, 3},
                        new int[] {2, 2},
                        new int[] {1, 1},
                        new int[] {1, 1},
                        ConvolutionMode.Truncate,
                        nchw),
                new Case(
                        "3x3 dilation 2 truncate",
                        2,
                        9,
                        8,
                        2,
                        new int[] {3, 3},
                        new int[] {1, 1},
                        new int[] {0, 0},
                        new int[] {2, 2},
                        ConvolutionMode.Truncate,
                        nchw),
                new Case(
                        "2x3 kernel, stride 2x1, padding 1x0",
                        2,
                        7,
                        6,
                        3,
                        new int[] {2, 3},
                        new int[] {2, 1},
                        new int[] {1, 0},
                        new int[] {1, 1},
                        ConvolutionMode.Truncate,
                        nchw),
                new Case(
                        "NHWC 3x3 stride 1 same",
                        3,
                        6,
                        5,
                        2,
                        new int[] {3, 3},
                        new int[] {1, 1},
                        new int[] {0, 0},
                        new int[] {1, 1},
                        ConvolutionMode.Same,
                        CNN2DFormat.NHWC),
                new Case(
                        "NHWC 3x3 stride 2 truncate, dilation 2",
                        2,
                        9,
                        9,
                        3,
                        new int[] {3, 3},
                        new int[] {2, 2},
                        new int[] {1, 1},
                        new int[] {2, 2},
                        ConvolutionMode.Truncate,
                        CNN2DFormat.NHWC),
                new Case(
                        "NCHW 3x3 stride 2 same, dilation 2",
                        2,
                        8,
                        9,
                        2,
                        new int[] {3, 3},
                        new int[] {2, 2},
                        new int[] {0, 0},
                        new int[] {2, 2},
                        ConvolutionMode.Same,
                        nchw));
    }

    static MultiLayerNetwork network(Case k, boolean bias) {
        var conf = new NeuralNetConfiguration.Builder()
                .seed(5)
                .dataType(DataType.DOUBLE)
                .list()
                .layer(new ConvolutionLayer.Builder(k.kernel)
                        .name("conv")
                        .stride(k.stride)
                        .padding(k.padding)
                        .dilation(k.dilation)
                        .convolutionMode(k.mode)
                        .nOut(k.outChannels)
                        .hasBias(bias)
                        .activation(Activation.IDENTITY)
                        .dataFormat(k.format)
                        .build())
                .setInputType(InputType.convolutional(k.h, k.w, k.c, k.format))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static InputType inputType(Case k) {
        return InputType.convolutional(k.h, k.w, k.c, k.format);
    }

    /** {@code A} from the network: its outputs on the basis of the input tensors, flattened in the layer's order. */
    static INDArray matrixOf(MultiLayerNetwork net, Case k) {
        int n = k.c * k.h * k.w;
        long[] shape = k.format == CNN2DFormat.NHWC ? new long[] {n, k.h, k.w, k.c} : new long[] {n, k.c, k.h, k.w};
        INDArray out = net.output(Nd4j.eye(n).castTo(DataType.DOUBLE).reshape('c', shape), false);
        return out.dup('c').reshape('c', n, out.length() / n).transpose().dup('f');
    }

    static LayerOperator read(MultiLayerNetwork net, Case k) {
        List<LayerOperator> layers =
                LayerOperators.read(net, DataType.DOUBLE, inputType(k)).layers();
        assertThat(layers).hasSize(1);
        return layers.get(0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void operatorAndAdjointAreTheLayersMatrixAndItsTranspose(Case k) {
        MultiLayerNetwork net = network(k, false);
        INDArray a = matrixOf(net, k);
        LayerOperator layer = read(net, k);
        ConvolutionOperator op = layer.convolution();
        assertThat(op.rows()).isEqualTo(a.rows());
        assertThat(op.columns()).isEqualTo(a.columns());
        long m = a.rows();
        long n = a.columns();
        assertClose(op.apply(Nd4j.eye(n).castTo(DataType.DOUBLE).dup('f')), a);
        assertClose(op.applyTranspose(Nd4j.eye(m).castTo(DataType.DOUBLE).dup('f')), a.transpose());

        // <A x, y> = <x, A^T y> on random blocks, and products written into a range of a wider block's columns
        INDArray x = Nd4j.rand(DataType.DOUBLE, n, 5).subi(0.5).dup('f');
        INDArray y = Nd4j.rand(DataType.DOUBLE, m, 5).subi(0.5).dup('f');
        INDArray wide = Nd4j.create(DataType.DOUBLE, new long[] {m, 9}, 'f');
        op.apply(x, wide.get(NDArrayIndex.all(), NDArrayIndex.interval(2, 7)));
        INDArray ax = wide.get(NDArrayIndex.all(), NDArrayIndex.interval(2, 7));
        INDArray aty = Nd4j.create(DataType.DOUBLE, new long[] {n, 5}, 'c');
        op.applyTranspose(y, aty);
        double left = ax.mul(y).sumNumber().doubleValue();
        double right = x.mul(aty).sumNumber().doubleValue();
        assertThat(left).isCloseTo(right, within(1e-12 * Math.max(1, Math.abs(left))));
        assertThat(wide.getColumn(0).norm2Number().doubleValue()).isZero();
        assertThat(wide.getColumn(8).norm2Number().doubleValue()).isZero();

        // outputs are written, never read: blocks that hold other numbers get exactly the products
        INDArray stale =
                Nd4j.valueArrayOf(new long[] {m, 5}, 7.0, DataType.DOUBLE).dup('f');
        op.apply(x, stale);
        assertClose(stale, a.mmul(x));
        INDArray staleT =
                Nd4j.valueArrayOf(new long[] {n, 5}, 7.0, DataType.DOUBLE).dup('f');
        op.applyTranspose(y, staleT);
        assertClose(staleT, a.transpose().mmul(y));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void biasIsEachChannelsBiasAtEachPosition(Case k) {
        MultiLayerNetwork net = network(k, true);
        net.getLayer(0).getParam("b").assign(Nd4j.linspace(1, k.outChannels, k.outChannels));
        LayerOperator layer = read(net, k);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, layer.nIn()).subi(0.5);
        long[] shape = k.format == CNN2DFormat.NHWC ? new long[] {3, k.h, k.w, k.c} : new long[] {3, k.c, k.h, k.w};
        INDArray expected = net.output(x.reshape('c', shape), false).dup('c').reshape('c', 3, layer.nOut());
        INDArray actual = layer.convolution()
                .apply(x.transpose().dup('f'))
                .transpose()
                .addRowVector(layer.bias().reshape(1, layer.nOut()));
        assertClose(actual, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void topSingularValuesMatchTheDenseSvd(Case k) {
        MultiLayerNetwork net = network(k, false);
        double[] exact = SingularValues.of(matrixOf(net, k));
        int count = Math.min(6, exact.length);
        TopSingularValues top = SingularValues.top(read(net, k).convolution(), count, 7);
        assertThat(top.converged())
                .as("converged, residual %s", top.maxResidual())
                .isTrue();
        for (int i = 0; i < count; i++) {
            assertThat(top.values()[i]).as("sigma_%d", i + 1).isCloseTo(exact[i], within(1e-6 * exact[i]));
        }
    }

    /** The rows' squared norms (for the local width) from the squared kernel, against the explicit matrix. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rowSquaredNormsAreThoseOfTheMatrix(Case k) {
        MultiLayerNetwork net = network(k, false);
        INDArray a = matrixOf(net, k);
        INDArray expected = a.mul(a).sum(1);
        ConvolutionOperator op = read(net, k).convolution();
        assertClose(op.rowSquaredNorms().reshape(-1), expected.reshape(-1));
        assertClose(
                op.scaled(0.5).rowSquaredNorms().reshape(-1), expected.mul(0.25).reshape(-1));
    }

    /**
     * P6 (definitions §6): the patches times the kernel matrix are the layer's pre-activations, position by
     * position (sample-major, then row, then column), in both layouts and with padding, stride, dilation and same
     * mode.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void patchesTimesTheKernelMatrixAreThePreActivations(Case k) {
        MultiLayerNetwork net = network(k, false);
        ConvolutionOperator op = read(net, k).convolution();
        var g = op.geometry();
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, op.columns()).subi(0.5);
        INDArray patches = op.patches(x);
        assertThat(patches.shape())
                .containsExactly(
                        3L * g.outHeight() * g.outWidth(), (long) g.channels() * g.kernelHeight() * g.kernelWidth());
        long[] shape = k.format == CNN2DFormat.NHWC ? new long[] {3, k.h, k.w, k.c} : new long[] {3, k.c, k.h, k.w};
        INDArray out = net.output(x.reshape('c', shape), false);
        INDArray perPosition = (k.format == CNN2DFormat.NHWC ? out : out.permute(0, 2, 3, 1))
                .dup('c')
                .reshape('c', patches.rows(), g.outChannels());
        assertClose(patches.mmul(op.kernelMatrix().transpose()), perPosition);
        assertClose(op.scaled(2).kernelMatrix(), op.kernelMatrix().mul(2));
    }

    static void assertClose(INDArray actual, INDArray expected) {
        assertThat(actual.shape()).isEqualTo(expected.shape());
        double scale = Math.max(1e-300, expected.amaxNumber().doubleValue());
        double error = actual.sub(expected).amaxNumber().doubleValue();
        assertThat(error).as("largest difference").isLessThanOrEqualTo(1e-12 * scale);
    }
}
