package io.github.reluspectra.results;

import io.github.reluspectra.spectra.ConvolutionGeometry;
import io.github.reluspectra.spectra.TopSingularValues;
import java.io.Serializable;

/**
 * What the analysis of a convolution layer adds to {@link LayerAnalysis}: its shapes, how its top classical
 * singular values were certified, and for comparison the pooled kernel-slice spectrum (WeightWatcher's, not
 * the operator's).
 *
 * @param geometry                the convolution's shapes, kernel, stride, padding and dilation
 * @param classical               the block Krylov iteration behind {@link LayerAnalysis#singularValues()}
 * @param pooledKernelSliceValues the singular values of the kernel's {@code c' x c} slices, pooled, largest first
 */
public record ConvolutionAnalysis(
        ConvolutionGeometry geometry, TopSingularValues classical, double[] pooledKernelSliceValues)
        implements Serializable {

    /** The array is copied in and out, as in every result record. */
    public ConvolutionAnalysis {
        pooledKernelSliceValues = pooledKernelSliceValues == null ? null : pooledKernelSliceValues.clone();
    }

    @Override
    public double[] pooledKernelSliceValues() {
        return pooledKernelSliceValues == null ? null : pooledKernelSliceValues.clone();
    }
}
