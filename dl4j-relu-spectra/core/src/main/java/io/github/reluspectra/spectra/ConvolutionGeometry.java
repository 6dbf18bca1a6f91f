package io.github.reluspectra.spectra;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;

/**
 * The shape of a 2D convolution {@code c x h x w -> c' x h' x w'} as DL4J's {@code ConvolutionLayer} computes it:
 * kernel, stride, dilation and the top-left padding it applies (for {@code ConvolutionMode.Same} the padding DL4J
 * derives, whose extra bottom/right row or column is implicit in {@code h'}, {@code w'}).
 *
 * <p>A vector of the operator is one sample's tensor flattened in the layer's own order: {@code (c, h, w)} for
 * NCHW ({@code channelsLast = false}), {@code (h, w, c)} for NHWC. Both orders describe the same operator up to
 * a permutation of coordinates, so its singular values and ReLU values do not depend on it; the order matters
 * only for the per-sample measures, which flatten the layer's inputs the same way.
 */
public record ConvolutionGeometry(
        int channels,
        int height,
        int width,
        int outChannels,
        int outHeight,
        int outWidth,
        int kernelHeight,
        int kernelWidth,
        int strideHeight,
        int strideWidth,
        int padTop,
        int padLeft,
        int dilationHeight,
        int dilationWidth,
        boolean sameMode,
        boolean channelsLast)
        implements Serializable {

    public ConvolutionGeometry {
        int[] positive = {
            channels,
            height,
            width,
            outChannels,
            outHeight,
            outWidth,
            kernelHeight,
            kernelWidth,
            strideHeight,
            strideWidth,
            dilationHeight,
            dilationWidth
        };
        if (Arrays.stream(positive).anyMatch(v -> v < 1) || padTop < 0 || padLeft < 0) {
            throw new IllegalArgumentException(
                    "a convolution needs positive sizes, strides and dilations and " + "non-negative padding: " + this);
        }
    }

    /** n = c h w. */
    public long inputSize() {
        return (long) channels * height * width;
    }

    /** m = c' h' w'. */
    public long outputSize() {
        return (long) outChannels * outHeight * outWidth;
    }

    /** {@code [c, h, w]}, whatever the layout. */
    public long[] inputShape() {
        return new long[] {channels, height, width};
    }

    /** {@code [c', h', w']}, whatever the layout. */
    public long[] outputShape() {
        return new long[] {outChannels, outHeight, outWidth};
    }

    /** One line: {@code 1x28x28 -> 20x24x24, kernel 5x5, stride 1x1, padding 0x0, dilation 1x1, NCHW}. */
    public String describe() {
        return String.format(
                Locale.ROOT,
                "%dx%dx%d -> %dx%dx%d, kernel %dx%d, stride %dx%d, padding %dx%d%s, " + "dilation %dx%d, %s",
                channels,
                height,
                width,
                outChannels,
                outHeight,
                outWidth,
                kernelHeight,
                kernelWidth,
                strideHeight,
                strideWidth,
                padTop,
                padLeft,
                sameMode ? " (same)" : "",
                dilationHeight,
                dilationWidth,
                channelsLast ? "NHWC" : "NCHW");
    }
}
