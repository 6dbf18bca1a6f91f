package io.github.reluspectra.spectra;

import java.io.Serializable;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.convolution.Convolution;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The linear part of a 2D convolution layer, {@code x -> W * x} on one sample's tensor (see
 * {@link ConvolutionGeometry} for the shapes and the order of coordinates), with a block's columns as a batch
 * of images:
 * <pre>
 *   A X   = conv2d(X, W)             (libnd4j's convolution, as DL4J's layer without bias)
 *   A^T Y = col2im(W_2d^T Y)         (the adjoint, as DL4J's input gradient: every patch's contribution added
 *                                     back to its pixels)
 * </pre>
 * with {@code W_2d} the kernel {@code [c', c, kh, kw]} as a {@code c' x (c kh kw)} matrix. The matrix of the
 * operator ({@code c'h'w' x chw}) is never formed.
 */
public final class ConvolutionOperator implements LinearOperator, Serializable {

    private final INDArray kernel;
    private final ConvolutionGeometry geometry;
    private final double alpha;

    /**
     * @param kernel   the layer's weights {@code [c', c, kh, kw]}, FLOAT or DOUBLE (kept as given: pass a copy
     *                 that outlives the network's workspaces)
     * @param geometry shapes that agree with the kernel
     * @throws IllegalArgumentException if the kernel does not fit the geometry
     */
    public ConvolutionOperator(INDArray kernel, ConvolutionGeometry geometry) {
        this(requireKernel(kernel, geometry).dup('c'), geometry, 1);
    }

    private ConvolutionOperator(INDArray kernel, ConvolutionGeometry geometry, double alpha) {
        this.kernel = kernel;
        this.geometry = geometry;
        this.alpha = alpha;
    }

    private static INDArray requireKernel(INDArray kernel, ConvolutionGeometry g) {
        long[] expected = {g.outChannels(), g.channels(), g.kernelHeight(), g.kernelWidth()};
        if (kernel == null || !java.util.Arrays.equals(kernel.shape(), expected)) {
            throw new IllegalArgumentException("the kernel must have shape " + java.util.Arrays.toString(expected)
                    + ", got " + (kernel == null ? "null" : java.util.Arrays.toString(kernel.shape())));
        }
        if (!kernel.dataType().isFPType()
                || kernel.dataType() == DataType.HALF
                || kernel.dataType() == DataType.BFLOAT16) {
            throw new IllegalArgumentException("the kernel must be FLOAT or DOUBLE, got " + kernel.dataType());
        }
        return kernel;
    }

    public ConvolutionGeometry geometry() {
        return geometry;
    }

    /** The kernel {@code [c', c, kh, kw]} (unscaled). */
    public INDArray kernel() {
        return kernel;
    }

    @Override
    public long rows() {
        return geometry.outputSize();
    }

    @Override
    public long columns() {
        return geometry.inputSize();
    }

    @Override
    public DataType dataType() {
        return kernel.dataType();
    }

    /** {@code W_2d}: {@code c' x (c kh kw)}, a view of the kernel. */
    private INDArray kernel2d() {
        return kernel.reshape(
                'c',
                geometry.outChannels(),
                (long) geometry.channels() * geometry.kernelHeight() * geometry.kernelWidth());
    }

    /** {@code W_2d} times the operator's scale: {@code c' x (c kh kw)}, the map from one patch to one position's channels. */
    public INDArray kernelMatrix() {
        return alpha == 1 ? kernel2d().dup() : kernel2d().mul(alpha);
    }

    /**
     * The samples' receptive fields, one per row, {@code (N h' w') x (c kh kw)}: row {@code (i, y, x)} (sample-major,
     * then output row, then column) holds what output position {@code (y, x)} of sample i sees, zero where it meets
     * padding, in the order of {@link #kernelMatrix()}'s columns, so that {@code patches W_2d^T} are the layer's
     * pre-activations without bias, position by position. The convolution as a map on patches is what a kernel of
     * lower rank replaces (definitions §6).
     *
     * @param samples one sample per row, flattened in the layer's own order ({@link ConvolutionGeometry})
     */
    public INDArray patches(INDArray samples) {
        ConvolutionGeometry g = geometry;
        if (samples.columns() != g.inputSize()) {
            throw new IllegalArgumentException("samples have " + samples.columns() + " values each, but the "
                    + "convolution takes " + g.inputSize() + " (" + g.describe() + ")");
        }
        long n = samples.rows();
        INDArray images = samples.dup('c')
                .reshape(
                        'c',
                        g.channelsLast()
                                ? new long[] {n, g.height(), g.width(), g.channels()}
                                : new long[] {n, g.channels(), g.height(), g.width()});
        if (g.channelsLast()) {
            images = images.permute(0, 3, 1, 2).dup('c'); // im2col reads NCHW
        }
        // As DL4J's layer lays out its im2col: [N, h', w', c, kh, kw] in memory, written through im2col's order.
        INDArray col = Nd4j.createUninitialized(
                samples.dataType(),
                new long[] {n, g.outHeight(), g.outWidth(), g.channels(), g.kernelHeight(), g.kernelWidth()},
                'c');
        Convolution.im2col(
                images,
                g.kernelHeight(),
                g.kernelWidth(),
                g.strideHeight(),
                g.strideWidth(),
                g.padTop(),
                g.padLeft(),
                g.dilationHeight(),
                g.dilationWidth(),
                g.sameMode(),
                col.permute(0, 3, 4, 5, 1, 2));
        return col.reshape(
                'c', n * g.outHeight() * g.outWidth(), (long) g.channels() * g.kernelHeight() * g.kernelWidth());
    }

    /** {@code out <- A X}: libnd4j's conv2d on the block's columns as a batch of images, written into out. */
    @Override
    public void apply(INDArray x, INDArray out) {
        if (!contiguous(out)) {
            writeBack(out, whole -> apply(x, whole));
            return;
        }
        ConvolutionGeometry g = geometry;
        long b = x.columns();
        INDArray images = out.transpose()
                .reshape(
                        'c',
                        g.channelsLast()
                                ? new long[] {b, g.outHeight(), g.outWidth(), g.outChannels()}
                                : new long[] {b, g.outChannels(), g.outHeight(), g.outWidth()});
        Nd4j.exec(new Conv2D(images(x), kernel, null, images, config()));
        if (alpha != 1) {
            out.muli(alpha);
        }
    }

    /** The forward convolution's settings: DL4J's padding (top-left; derived by libnd4j itself in same mode). */
    private Conv2DConfig config() {
        ConvolutionGeometry g = geometry;
        return Conv2DConfig.builder()
                .kH(g.kernelHeight())
                .kW(g.kernelWidth())
                .sH(g.strideHeight())
                .sW(g.strideWidth())
                .pH(g.padTop())
                .pW(g.padLeft())
                .dH(g.dilationHeight())
                .dW(g.dilationWidth())
                .paddingMode(g.sameMode() ? PaddingMode.SAME : PaddingMode.VALID)
                .dataFormat(g.channelsLast() ? Conv2DConfig.NHWC : Conv2DConfig.NCHW)
                .weightsFormat(WeightsFormat.OIYX)
                .build();
    }

    /**
     * {@code out <- A^T Y}: {@code W_2d^T} times each output position's channels gives the patches' gradients,
     * which col2im adds back to the pixels they were taken from.
     */
    @Override
    public void applyTranspose(INDArray y, INDArray out) {
        if (!contiguous(out)) {
            writeBack(out, whole -> applyTranspose(y, whole));
            return;
        }
        ConvolutionGeometry g = geometry;
        long b = y.columns();
        long positions = b * g.outHeight() * g.outWidth();
        INDArray perPosition = g.channelsLast()
                ? y.transpose().reshape('c', positions, g.outChannels())
                : y.transpose()
                        .reshape('c', b, g.outChannels(), (long) g.outHeight() * g.outWidth())
                        .permute(0, 2, 1)
                        .dup('c')
                        .reshape('c', positions, g.outChannels());
        INDArray patches = Nd4j.gemm(perPosition, kernel2d(), false, false);
        if (alpha != 1) {
            patches.muli(alpha);
        }
        INDArray col = patches.reshape(
                        'c', b, g.outHeight(), g.outWidth(), g.channels(), g.kernelHeight(), g.kernelWidth())
                .permute(0, 3, 4, 5, 1, 2);
        // col2im writes NCHW images: straight into out for that layout, through a copy for NHWC
        INDArray images = g.channelsLast()
                ? Nd4j.createUninitialized(dataType(), new long[] {b, g.channels(), g.height(), g.width()}, 'c')
                : out.transpose().reshape('c', b, g.channels(), g.height(), g.width());
        Convolution.col2im(
                col,
                images,
                g.strideHeight(),
                g.strideWidth(),
                g.padTop(),
                g.padLeft(),
                g.height(),
                g.width(),
                g.dilationHeight(),
                g.dilationWidth());
        if (g.channelsLast()) {
            out.transpose().reshape('c', b, g.height(), g.width(), g.channels()).assign(images.permute(0, 2, 3, 1));
        }
    }

    /** The block's columns as a batch of images in the layer's layout. */
    private INDArray images(INDArray x) {
        ConvolutionGeometry g = geometry;
        return x.transpose()
                .reshape(
                        'c',
                        g.channelsLast()
                                ? new long[] {x.columns(), g.height(), g.width(), g.channels()}
                                : new long[] {x.columns(), g.channels(), g.height(), g.width()});
    }

    /**
     * Whether the block's columns lie one after another in memory (a whole 'f' block or a range of its columns):
     * only then are the reshapes that write into it views rather than copies.
     */
    private static boolean contiguous(INDArray block) {
        return block.stride(0) == 1 && (block.columns() == 1 || block.stride(1) == block.rows());
    }

    /** A product into a fresh contiguous block, copied into {@code out}. */
    private void writeBack(INDArray out, java.util.function.Consumer<INDArray> product) {
        INDArray whole = Nd4j.create(dataType(), out.shape(), 'f');
        product.accept(whole);
        out.assign(whole);
    }

    /**
     * Row i of the matrix holds the kernel weights of output channel c' that meet an input position for output
     * position i (padding meets none): the same convolution with the squared kernel applied to an input of ones
     * sums their squares.
     */
    @Override
    public INDArray rowSquaredNorms() {
        INDArray squared = kernel.castTo(DataType.DOUBLE).mul(kernel.castTo(DataType.DOUBLE));
        ConvolutionOperator sums = new ConvolutionOperator(squared, geometry, alpha * alpha);
        return sums.apply(Nd4j.ones(DataType.DOUBLE, columns(), 1)).reshape(-1);
    }

    @Override
    public ConvolutionOperator scaled(double c) {
        return new ConvolutionOperator(kernel, geometry, alpha * c);
    }

    @Override
    public double unitScale() {
        return Matrices.unitScale(kernel) / alpha;
    }

    @Override
    public String toString() {
        return "ConvolutionOperator[" + geometry.describe() + ", " + dataType() + (alpha == 1 ? "" : ", times " + alpha)
                + "]";
    }
}
