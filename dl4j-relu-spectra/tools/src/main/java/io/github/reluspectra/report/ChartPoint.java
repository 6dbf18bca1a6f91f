package io.github.reluspectra.report;

import io.github.reluspectra.results.LayerAnalysis;
import io.github.reluspectra.spectra.ReluValuesOverData;
import io.github.reluspectra.spectra.SpectralMetrics;
import java.io.Serializable;
import java.util.Arrays;

/**
 * What the charts draw of one layer's analysis at one epoch, and nothing else: a sink that redraws every epoch
 * keeps these, not the analyses with their vectors and fitted factors.
 *
 * @param epoch          the epoch
 * @param reference      {@code sigma_k(A)}, at most the first {@value #SHOWN} ({@link LayerAnalysis#referenceSingularValues()})
 * @param sequential     the sequential ReLU values, or null for a layer without them
 * @param linearWidth    {@code w_lin}, NaN if not computed
 * @param reluWidth      {@code w_relu}, NaN if not computed
 * @param ranks          the ranks of the values over data, or null without them
 * @param overData       {@code s_k,X} at those ranks, or null
 * @param svdBounds      the truncated SVD's max errors at those ranks, or null
 * @param nextSigma      {@code sigma_{k+1} / sigma_1} at those ranks, or null
 * @param alpha          WeightWatcher's alpha (NaN where no power law could be fitted)
 * @param alphaStdErr    its standard error
 */
public record ChartPoint(
        int epoch,
        double[] reference,
        double[] sequential,
        double linearWidth,
        double reluWidth,
        int[] ranks,
        double[] overData,
        double[] svdBounds,
        double[] nextSigma,
        double alpha,
        double alphaStdErr)
        implements Serializable {

    /** The spectrum charts draw at most this many singular values. */
    public static final int SHOWN = 64;

    public ChartPoint {
        reference = reference.clone();
        sequential = sequential == null ? null : sequential.clone();
        ranks = ranks == null ? null : ranks.clone();
        overData = overData == null ? null : overData.clone();
        svdBounds = svdBounds == null ? null : svdBounds.clone();
        nextSigma = nextSigma == null ? null : nextSigma.clone();
    }

    /** What the charts need of {@code a}, analysed at {@code epoch}. */
    public static ChartPoint of(int epoch, LayerAnalysis a) {
        double[] reference = a.referenceSingularValues();
        double[] shown = Arrays.copyOf(reference, Math.min(reference.length, SHOWN));
        double[] sequential = a.sequential() == null ? null : a.sequential().values();
        double linear = a.width() == null ? Double.NaN : a.width().linear();
        double relu = a.width() == null ? Double.NaN : a.width().relu();
        SpectralMetrics metrics = a.spectralMetrics();
        ReluValuesOverData v = a.overData();
        if (v == null) {
            return new ChartPoint(
                    epoch,
                    shown,
                    sequential,
                    linear,
                    relu,
                    null,
                    null,
                    null,
                    null,
                    metrics.alpha(),
                    metrics.alphaStdErr());
        }
        double[] sigma = a.singularValues();
        double[] next = v.fits().stream()
                .mapToDouble(f -> f.rank() < sigma.length ? sigma[f.rank()] / sigma[0] : 0)
                .toArray();
        return new ChartPoint(
                epoch,
                shown,
                sequential,
                linear,
                relu,
                v.ranks(),
                v.values(),
                v.svdValues(),
                next,
                metrics.alpha(),
                metrics.alphaStdErr());
    }

    public boolean hasOverData() {
        return overData != null;
    }
}
