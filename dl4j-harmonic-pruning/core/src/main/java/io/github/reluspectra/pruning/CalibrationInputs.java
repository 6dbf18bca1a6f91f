package io.github.reluspectra.pruning;

import io.github.reluspectra.network.LayerOperator;
import io.github.reluspectra.network.Networks;
import io.github.reluspectra.spectra.ConvolutionOperator;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each selected layer is fitted on (definitions §6): a dense layer's inputs over the calibration data, one
 * per row; a convolution's receptive fields over the data, since its kernel is the map a lower rank replaces. A
 * convolution sees far more patches than there are samples (576 per digit for LeNet's first layer), so at most
 * {@link #MAX_PATCHES} of them are kept, drawn uniformly with a fixed seed: the same data give the same patches.
 */
final class CalibrationInputs {

    /**
     * Patches kept per convolution: four times the 2,000 digits a dense layer is usually fitted on, enough that
     * the whitened basis's covariance of a 500-value patch is well estimated, few enough that a fit costs about
     * what a dense layer's does.
     */
    static final int MAX_PATCHES = 8192;
    /** The seed of the patches' draw. */
    private static final long PATCH_SEED = 6;
    /** Values of one block of patches (64 MB in double): samples are unfolded a block at a time. */
    private static final long BLOCK_VALUES = 1L << 23;

    private static final Logger log = LoggerFactory.getLogger(CalibrationInputs.class);

    private CalibrationInputs() {}

    /** The calibration inputs of each layer on {@code data} (network inputs, one per row), by layer index. */
    static Map<Integer, INDArray> of(MultiLayerNetwork network, List<LayerOperator> layers, INDArray data) {
        Map<String, INDArray> byName = Networks.layerInputs(network, layers, data);
        Map<Integer, INDArray> out = new HashMap<>();
        for (LayerOperator layer : layers) {
            INDArray inputs = byName.get(layer.name()).castTo(DataType.DOUBLE);
            if (layer.linear() instanceof ConvolutionOperator conv) {
                INDArray patches = patches(conv, inputs, MAX_PATCHES);
                log.info(
                        "layer '{}': calibrated on {} of the {} patches of {} samples",
                        layer.name(),
                        patches.rows(),
                        inputs.rows()
                                * conv.geometry().outHeight()
                                * conv.geometry().outWidth(),
                        inputs.rows());
                inputs = patches;
            }
            out.put(layer.index(), inputs);
        }
        return out;
    }

    /**
     * At most {@code max} of the samples' patches ({@link ConvolutionOperator#patches}), drawn without
     * replacement with a fixed seed, in the order of the samples and positions; all of them if there are no more.
     */
    static INDArray patches(ConvolutionOperator conv, INDArray samples, int max) {
        return patches(conv, samples, max, BLOCK_VALUES);
    }

    /** As {@link #patches(ConvolutionOperator, INDArray, int)}, unfolding at most {@code blockValues} at a time. */
    static INDArray patches(ConvolutionOperator conv, INDArray samples, int max, long blockValues) {
        long perSample = (long) conv.geometry().outHeight() * conv.geometry().outWidth();
        long total = samples.rows() * perSample;
        long[] chosen = draw(total, max);
        long patchValues = conv.geometry().channels()
                * (long) conv.geometry().kernelHeight()
                * conv.geometry().kernelWidth();
        int samplesPerBlock = (int) Math.max(1, blockValues / (perSample * patchValues));
        INDArray out = Nd4j.create(samples.dataType(), chosen.length, patchValues);
        int next = 0;
        for (long first = 0; first < samples.rows() && next < chosen.length; first += samplesPerBlock) {
            long end = Math.min(samples.rows(), first + samplesPerBlock);
            long firstPatch = first * perSample;
            int from = next;
            while (next < chosen.length && chosen[next] < end * perSample) {
                next++;
            }
            if (next == from) {
                continue;
            }
            INDArray block = conv.patches(samples.get(NDArrayIndex.interval(first, end), NDArrayIndex.all()));
            int[] rows = Arrays.stream(chosen, from, next)
                    .mapToInt(p -> Math.toIntExact(p - firstPatch))
                    .toArray();
            out.get(NDArrayIndex.interval(from, next), NDArrayIndex.all()).assign(Nd4j.pullRows(block, 1, rows));
        }
        return out;
    }

    /** {@code min(max, total)} distinct indices below {@code total}, ascending. */
    private static long[] draw(long total, int max) {
        if (total <= max) {
            return java.util.stream.LongStream.range(0, total).toArray();
        }
        return new Random(PATCH_SEED)
                .longs(0, total)
                .distinct()
                .limit(max)
                .sorted()
                .toArray();
    }
}
