package io.github.reluspectra.results;

import io.github.reluspectra.spectra.MeanWidth;
import io.github.reluspectra.spectra.RankFit;
import io.github.reluspectra.spectra.ReluValuesOverData;
import io.github.reluspectra.spectra.SequentialReluSpectrum;
import io.github.reluspectra.spectra.SpectralMetrics;
import java.io.Serializable;
import java.util.Locale;

/**
 * The spectra of one layer.
 *
 * @param index          the layer's position
 * @param name           the layer's name
 * @param kind           the layer's kind ({@link LayerKind#displayName()} names it in reports)
 * @param activation     the activation's name
 * @param nIn            inputs n (columns of the analysed operator, plus one in AUGMENT mode; {@code c h w} for a
 *                       convolution)
 * @param nOut           outputs m ({@code c' h' w'} for a convolution)
 * @param singularValues all classical singular values of the analysed operator (of {@code D = [A; -A]} for a
 *                       double layer); for a convolution the top ones computed (see {@code convolution})
 * @param sequential     the sequential ReLU singular values (definitions §2), or null if the activation is not ReLU
 * @param overData       the ReLU singular values over data (definitions §2b), or null without data or for non-ReLU layers
 * @param width          the mean widths (ReLU fields NaN for non-ReLU layers), or null if not asked for
 * @param seconds        wall time of this layer's analysis
 * @param parts          the seconds of each part of it
 * @param convolution    shapes, certificate and kernel-slice spectrum of a convolution layer; null otherwise
 */
public record LayerAnalysis(
        int index,
        String name,
        LayerKind kind,
        String activation,
        long nIn,
        long nOut,
        double[] singularValues,
        SequentialReluSpectrum sequential,
        ReluValuesOverData overData,
        MeanWidth width,
        double seconds,
        PartSeconds parts,
        ConvolutionAnalysis convolution)
        implements Serializable {

    /** The array is copied in and out, as in every result record. */
    public LayerAnalysis {
        singularValues = singularValues.clone();
    }

    @Override
    public double[] singularValues() {
        return singularValues.clone();
    }

    public boolean isConvolution() {
        return convolution != null;
    }

    /** This analysis with values over data added, their seconds counted in. */
    public LayerAnalysis withOverData(ReluValuesOverData values) {
        return new LayerAnalysis(
                index,
                name,
                kind,
                activation,
                nIn,
                nOut,
                singularValues,
                sequential,
                values,
                width,
                seconds + values.seconds(),
                parts.withValuesOverData(values.seconds()),
                convolution);
    }

    /** How reports name the layer's kind, for example {@code DenseLayer} or {@code DoubleLayer}. */
    public String type() {
        return kind.displayName();
    }

    /**
     * WeightWatcher's metrics (alpha of the eigenvalues' power law, weighted alpha, log norms, stable rank): of the
     * classical singular values, {@code sigma_k(A)} for a double layer, and for a convolution of its pooled kernel
     * slices, as WeightWatcher computes them (see {@link SpectralMetrics}).
     */
    public SpectralMetrics spectralMetrics() {
        return SpectralMetrics.of(
                convolution != null ? convolution.pooledKernelSliceValues() : referenceSingularValues());
    }

    public boolean isDoubleLayer() {
        return kind == LayerKind.DOUBLE_LAYER;
    }

    /**
     * {@code sigma_k(A)}, what the ReLU values are compared with: the layer's singular values, and for a double
     * layer those of its linear part {@code A}, {@code sigma_k(D) / sqrt 2} (as {@code D^T D = 2 A^T A}), so
     * that {@code s_k / sigma_k(A) = 1} there (F4, definitions §2).
     */
    public double[] referenceSingularValues() {
        if (!isDoubleLayer()) {
            return singularValues;
        }
        double[] a = new double[singularValues.length];
        for (int k = 0; k < a.length; k++) {
            a[k] = singularValues[k] / Math.sqrt(2);
        }
        return a;
    }

    /**
     * {@code s_k / sigma_k(A)} for the sequential values k = 1..K, NaN where {@code sigma_k = 0} (k beyond the
     * rank: the ReLU value can be positive where the linear one vanishes); null if there are no ReLU values.
     */
    public double[] reluRatios() {
        if (sequential == null) {
            return null;
        }
        double[] sigma = referenceSingularValues();
        double[] s = sequential.values();
        double[] r = new double[s.length];
        for (int k = 0; k < r.length; k++) {
            r[k] = k < sigma.length && sigma[k] > 0 ? s[k] / sigma[k] : Double.NaN;
        }
        return r;
    }

    /**
     * One line: the layer, {@code sigma_1}, and where they exist {@code s_1}, {@code s_K/sigma_K(A)}, the last
     * ratio over data and {@code w_relu/w_lin}. The listeners log it; the tools print it.
     */
    public String summary() {
        String shape = convolution == null
                ? nOut + "x" + nIn
                : nOut + "x" + nIn + " on " + shape(convolution.geometry().inputShape()) + " -> "
                        + shape(convolution.geometry().outputShape());
        StringBuilder b = new StringBuilder(String.format(
                Locale.ROOT,
                "layer %s (%s %s, %s): sigma_1=%.4g",
                name,
                type(),
                shape,
                activation,
                singularValues.length == 0 ? 0 : singularValues[0]));
        double[] ratios = reluRatios();
        if (ratios != null && ratios.length > 0) {
            b.append(String.format(
                    Locale.ROOT,
                    " s_1=%.4g s_%d/sigma_%d=%.4f",
                    sequential.values()[0],
                    ratios.length,
                    ratios.length,
                    ratios[ratios.length - 1]));
        }
        SpectralMetrics metrics = spectralMetrics();
        if (!Double.isNaN(metrics.alpha())) {
            b.append(String.format(Locale.ROOT, " alpha=%.2f", metrics.alpha()));
        }
        if (overData != null && overData.fits().size() > 1) {
            RankFit last = overData.fits().get(overData.fits().size() - 1);
            b.append(
                    String.format(Locale.ROOT, " s_%d,X/s_0,X=%.4f", last.rank(), last.value() / overData.values()[0]));
        }
        if (width != null && !Double.isNaN(width.relu())) {
            b.append(String.format(Locale.ROOT, " w_relu/w_lin=%.4f", width.reluToLinear()));
        }
        return b.append(String.format(Locale.ROOT, " (%.2f s)", seconds)).toString();
    }

    private static String shape(long[] chw) {
        return chw[0] + "x" + chw[1] + "x" + chw[2];
    }

    @Override
    public String toString() {
        return "LayerAnalysis[" + index + ", " + summary() + "]";
    }
}
