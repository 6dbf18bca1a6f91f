package io.github.reluspectra.measures;

import io.github.reluspectra.network.ClassicalValues;
import io.github.reluspectra.network.LayerOperator;
import io.github.reluspectra.results.LayerKind;
import io.github.reluspectra.results.MeasureSeconds;
import io.github.reluspectra.spectra.BiasMode;
import io.github.reluspectra.spectra.RankFit;
import io.github.reluspectra.spectra.ReluFitOptions;
import io.github.reluspectra.spectra.ReluSingularValues;
import io.github.reluspectra.spectra.ReluValuesOverData;
import io.github.reluspectra.spectra.SequentialReluOptions;
import io.github.reluspectra.spectra.SequentialReluSpectrum;
import io.github.reluspectra.spectra.SequentialReluValues;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The separation experiment's measures of one ReLU layer on held-out inputs (definitions §4), by name and in a
 * fixed order, one value per sample: what {@code SeparationListener} scores on one machine and the Spark module's
 * executors compute per partition, so that both give the same numbers.
 */
public final class SeparationMeasures {

    public static final String GAIN = "gain";
    public static final String ACTIVE = "activeFraction";
    public static final String LOCAL_WIDTH = "localWidth";
    public static final String ALIGNMENT = "alignment";
    public static final String RESIDUAL = "residual";

    /** The residual's ladder: its rank is small (s_k,X halves early), so the ladder stops at 16. */
    public static final ReluFitOptions DEFAULT_RESIDUAL_FIT =
            ReluFitOptions.builder().ranks(0, 1, 2, 4, 8, 16).build();
    /** The residual's rank: the smallest with {@code s_{k,X} <= 0.5 s_{0,X}}. */
    public static final double DEFAULT_RESIDUAL_FRACTION = 0.5;

    private SeparationMeasures() {}

    /** @throws IllegalArgumentException unless {@code fraction} is in (0, 1) */
    public static double requireResidualFraction(double fraction) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("residualFraction must be in (0, 1), got " + fraction);
        }
        return fraction;
    }

    /**
     * The ladder of the layer's rank-k fits on its training inputs (definitions §2b), from {@code warm} (the
     * previous ladder, or null), up to the first rank within {@code fraction} of rank 0's value: the residual
     * uses that rank ({@link ReluValuesOverData#smallestRankWithin}), and the ranks above it, the costly ones, are
     * not fitted.
     */
    public static ReluValuesOverData residualFits(
            LayerOperator layer, INDArray training, ReluFitOptions options, ReluValuesOverData warm, double fraction) {
        return ReluSingularValues.computeUntilWithin(
                layer.weights(),
                layer.bias(),
                training.castTo(layer.weights().dataType()),
                options.withWarmStart(warm),
                fraction);
    }

    /**
     * Gain, active fraction (not for a double layer, where it is 1/2 by construction), local width and the alignment
     * with the orthonormal columns that {@code vectors} gives, on the layer's held-out inputs {@code h} (one per
     * row); each measure's seconds are added to {@code timings} (the alignment's with the vectors' search). With
     * the layer's {@code output} from the same forward pass (or null) the first three read it instead of applying
     * the operator again: for a convolution that product costs as much as the layer's share of the pass.
     */
    public static Map<String, double[]> of(
            LayerOperator layer,
            INDArray h,
            INDArray output,
            Supplier<INDArray> vectors,
            List<MeasureSeconds> timings) {
        Map<String, double[]> out = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        SampleMeasures.Response response = output != null && layer.isRelu()
                ? SampleMeasures.fromOutput(layer.linear(), h, output)
                : SampleMeasures.response(layer.linear(), layer.bias(), h);
        out.put(GAIN, response.gain());
        if (layer.kind() != LayerKind.DOUBLE_LAYER) {
            out.put(ACTIVE, response.activeFraction());
        }
        long t1 = System.nanoTime();
        out.put(LOCAL_WIDTH, response.localWidth());
        long t2 = System.nanoTime();
        out.put(ALIGNMENT, SampleMeasures.alignment(vectors.get(), h));
        long t3 = System.nanoTime();
        timings.add(new MeasureSeconds(layer.name(), GAIN, (t1 - t0) / 1e9));
        timings.add(new MeasureSeconds(layer.name(), LOCAL_WIDTH, (t2 - t1) / 1e9));
        timings.add(new MeasureSeconds(layer.name(), ALIGNMENT, (t3 - t2) / 1e9));
        return out;
    }

    /**
     * The alignment's vectors: the layer's top-{@code k} sequential ReLU singular vectors (definitions §2), a
     * convolution's searched among its top classical values; {@code warmSequential} and {@code warmClassical} are
     * the previous search's vectors (or null), which the result carries for the next one.
     */
    public static AlignmentVectors alignmentVectors(
            LayerOperator layer, int k, INDArray warmSequential, INDArray warmClassical) {
        SequentialReluOptions options = SequentialReluOptions.builder()
                .topK(k)
                .warmStart(warmSequential)
                .build();
        ClassicalValues sigma = ClassicalValues.of(layer, BiasMode.IGNORE, k, options.seed(), warmClassical);
        SequentialReluSpectrum spectrum =
                SequentialReluValues.compute(layer.linear(), sigma.values(), options, layer.describe());
        return new AlignmentVectors(
                spectrum.vectors(),
                spectrum.lockingOrder(),
                sigma.certified() == null ? null : sigma.certified().vectors());
    }

    /**
     * @param vectors          the top-K sequential ReLU vectors, orthonormal columns
     * @param lockingOrder     the same vectors in the order the search locked them (its next warm start)
     * @param classicalVectors a convolution's top classical vectors (its next warm start), null for a dense layer
     */
    public record AlignmentVectors(INDArray vectors, INDArray lockingOrder, INDArray classicalVectors) {}

    /** The residual of the layer's rank-k fit on {@code h} (definitions §4, {@link SampleMeasures#residual}). */
    public static double[] residual(LayerOperator layer, RankFit fit, INDArray h) {
        return SampleMeasures.residual(layer.weights(), layer.bias(), fit, h);
    }
}
