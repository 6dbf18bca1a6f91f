package io.github.reluspectra.spectra;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The pooled kernel-slice spectrum, as WeightWatcher computes it for a 2D convolution: the singular values of
 * every {@code c' x c} slice {@code W[:, :, i, j]} of the kernel ({@code kh kw} slices), pooled and sorted. They
 * are not the singular values of the layer's operator (see {@link ConvolutionOperator}); they are offered for
 * comparison with that tool.
 */
public final class KernelSlices {

    private KernelSlices() {}

    /** All {@code kh kw min(c', c)} slice singular values of a kernel {@code [c', c, kh, kw]}, largest first. */
    public static double[] pooledSingularValues(INDArray kernel) {
        if (kernel.rank() != 4) {
            throw new IllegalArgumentException(
                    "a kernel has shape [c', c, kh, kw], got " + Arrays.toString(kernel.shape()));
        }
        long kh = kernel.size(2);
        long kw = kernel.size(3);
        int per = (int) Math.min(kernel.size(0), kernel.size(1));
        double[] pooled = new double[(int) (kh * kw) * per];
        int at = 0;
        for (long i = 0; i < kh; i++) {
            for (long j = 0; j < kw; j++) {
                INDArray slice = kernel.get(
                        NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(i), NDArrayIndex.point(j));
                System.arraycopy(SingularValues.of(slice.dup('f')), 0, pooled, at, per);
                at += per;
            }
        }
        Arrays.sort(pooled);
        for (int a = 0, b = pooled.length - 1; a < b; a++, b--) {
            double t = pooled[a];
            pooled[a] = pooled[b];
            pooled[b] = t;
        }
        return pooled;
    }
}
