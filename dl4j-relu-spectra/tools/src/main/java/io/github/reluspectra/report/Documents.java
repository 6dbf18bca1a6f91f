package io.github.reluspectra.report;

import io.github.reluspectra.results.ConvolutionAnalysis;
import io.github.reluspectra.results.EpochSeparation;
import io.github.reluspectra.results.EpochSpectra;
import io.github.reluspectra.results.Failure;
import io.github.reluspectra.results.LayerAnalysis;
import io.github.reluspectra.results.MeasureSeconds;
import io.github.reluspectra.results.PartSeconds;
import io.github.reluspectra.results.Provenance;
import io.github.reluspectra.results.SeparationScore;
import io.github.reluspectra.results.SkippedLayer;
import io.github.reluspectra.spectra.ConvolutionGeometry;
import io.github.reluspectra.spectra.MeanWidth;
import io.github.reluspectra.spectra.RankFit;
import io.github.reluspectra.spectra.ReluValuesOverData;
import io.github.reluspectra.spectra.SequentialReluSpectrum;
import io.github.reluspectra.spectra.SpectralMetrics;
import io.github.reluspectra.spectra.TopSingularValues;
import java.util.List;

/**
 * The JSON schemas, one record per document, documented in the README: an analysis ({@code analyze --json}),
 * a listener line ({@link SpectraLine}), a separation line ({@link SeparationLine}). Every document starts with
 * its {@code provenance}. The pruning report is in the pruning tools.
 */
public final class Documents {

    private Documents() {}

    /** {@code analyze --json}: the analysed layers and the layers left out. */
    public record Analysis(Provenance provenance, List<Layer> layers, List<SkippedLayer> skipped) {}

    /** One line of the spectra listener's JSON lines: one analysed epoch. */
    public record SpectraLine(
            Provenance provenance,
            int network,
            int epoch,
            int iteration,
            double seconds,
            List<Layer> layers,
            List<Failure> failures,
            List<String> skipped) {

        public static SpectraLine of(EpochSpectra e) {
            return new SpectraLine(
                    e.provenance(),
                    e.network(),
                    e.epoch(),
                    e.iteration(),
                    e.seconds(),
                    e.layers().stream().map(Layer::of).toList(),
                    e.failures(),
                    e.skipped());
        }
    }

    /** One line of the separation listener's JSON lines: one measured epoch ({@code msp} null if it failed). */
    public record SeparationLine(
            Provenance provenance,
            int network,
            int epoch,
            int samples,
            int misclassified,
            SeparationScore msp,
            List<SeparationScore> scores,
            List<Failure> failures,
            List<String> skipped,
            double seconds,
            List<MeasureSeconds> measureSeconds) {

        public static SeparationLine of(EpochSeparation s) {
            return new SeparationLine(
                    s.provenance(),
                    s.network(),
                    s.epoch(),
                    s.samples(),
                    s.misclassified(),
                    s.msp(),
                    s.scores(),
                    s.failures(),
                    s.skipped(),
                    s.seconds(),
                    s.measureSeconds());
        }
    }

    /**
     * One layer. {@code nIn}, {@code nOut} are the analysed operator's dimensions ({@code c h w} and
     * {@code c' h' w'} for a convolution, whose tensors are {@code inputShape} and {@code outputShape});
     * {@code singularValues} are all classical values of a dense layer and the top ones computed of a
     * convolution. {@code reluRatios} are {@code s_k / sigma_k(A)}, for a double layer against its linear part
     * (F4, definitions §2). Quantities that do not apply are null: the ReLU values of a non-ReLU layer, the values over
     * data without data (and for convolutions), widths not asked for, shapes and {@code convolution} for a dense
     * layer.
     */
    public record Layer(
            int index,
            String name,
            String type,
            long nIn,
            long nOut,
            long[] inputShape,
            long[] outputShape,
            String activation,
            double[] singularValues,
            double[] sequentialReluValues,
            double[] reluRatios,
            Search sequentialReluSearch,
            OverData reluSingularValues,
            Width meanWidth,
            Convolution convolution,
            SpectralMetrics spectralMetrics,
            double seconds,
            PartSeconds partSeconds) {

        public static Layer of(LayerAnalysis a) {
            SequentialReluSpectrum s = a.sequential();
            ConvolutionAnalysis c = a.convolution();
            return new Layer(
                    a.index(),
                    a.name(),
                    a.type(),
                    a.nIn(),
                    a.nOut(),
                    c == null ? null : c.geometry().inputShape(),
                    c == null ? null : c.geometry().outputShape(),
                    a.activation(),
                    a.singularValues(),
                    s == null ? null : s.values(),
                    a.reluRatios(),
                    s == null ? null : Search.of(s),
                    a.overData() == null ? null : OverData.of(a.overData()),
                    a.width() == null ? null : Width.of(a.width()),
                    c == null ? null : Convolution.of(c),
                    a.spectralMetrics(),
                    a.seconds(),
                    a.parts());
        }
    }

    /**
     * A convolution's settings as DL4J applied them ({@code padding}: top and left, derived for {@code same}
     * mode), the certificate of its top classical values (block Krylov: per value the relative residual
     * {@code ||A^T A v - sigma^2 v|| / sigma^2}), and WeightWatcher's pooled kernel-slice spectrum, which is not
     * the operator's.
     */
    public record Convolution(
            int[] kernel,
            int[] stride,
            int[] padding,
            int[] dilation,
            boolean sameMode,
            String format,
            boolean singularValuesConverged,
            int singularValueIterations,
            double[] singularValueResiduals,
            double singularValueTolerance,
            double[] pooledKernelSliceValues) {

        static Convolution of(ConvolutionAnalysis c) {
            ConvolutionGeometry g = c.geometry();
            TopSingularValues t = c.classical();
            return new Convolution(
                    new int[] {g.kernelHeight(), g.kernelWidth()},
                    new int[] {g.strideHeight(), g.strideWidth()},
                    new int[] {g.padTop(), g.padLeft()},
                    new int[] {g.dilationHeight(), g.dilationWidth()},
                    g.sameMode(),
                    g.channelsLast() ? "NHWC" : "NCHW",
                    t.converged(),
                    t.iterations(),
                    t.residuals(),
                    t.tolerance(),
                    c.pooledKernelSliceValues());
        }
    }

    /**
     * How the sequential search ended: whether every value converged, its iterations, and per value the KKT
     * residual at its lock, the iterations it took and whether it converged (false: it reached
     * {@code maxIterationsPerValue} and may lie below its local maximum).
     */
    public record Search(
            boolean converged,
            int iterations,
            double[] residuals,
            int[] valueIterations,
            boolean[] valueConverged,
            double tolerance,
            double seconds) {

        static Search of(SequentialReluSpectrum s) {
            return new Search(
                    s.converged(),
                    s.iterations(),
                    s.residuals(),
                    s.valueIterations(),
                    s.valueConverged(),
                    s.options().tolerance(),
                    s.seconds());
        }
    }

    /** The ReLU singular values over data (definitions §2b), per rank of the ladder. */
    public record OverData(
            int samples,
            int[] ranks,
            double[] values,
            double[] rms,
            double[] svdValues,
            double[] sigmaBounds,
            List<String> sources,
            double seconds) {

        static OverData of(ReluValuesOverData d) {
            return new OverData(
                    d.samples(),
                    d.ranks(),
                    d.values(),
                    d.rms(),
                    d.svdValues(),
                    d.sigmaBounds(),
                    d.fits().stream().map(RankFit::source).toList(),
                    d.seconds());
        }
    }

    /** The mean widths; the ReLU ones null for a non-ReLU layer. */
    public record Width(
            double relu, double reluStdErr, double linear, double linearStdErr, int samples, double ballWidth) {

        static Width of(MeanWidth w) {
            return new Width(w.relu(), w.reluStdErr(), w.linear(), w.linearStdErr(), w.samples(), w.ballWidth());
        }
    }
}
