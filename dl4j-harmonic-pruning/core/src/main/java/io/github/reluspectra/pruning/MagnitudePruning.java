package io.github.reluspectra.pruning;

import io.github.reluspectra.network.LayerOperator;
import io.github.reluspectra.network.Networks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The baseline (definitions §6): global magnitude pruning of the selected layers' weights (dense layers and 2D
 * convolutions, the layers harmonic pruning rewrites), keeping the given number of largest-magnitude weights over
 * all of them (biases are kept). The network's structure is
 * unchanged; pruned weights are zero and {@link PruningResult#masks()} says which.
 */
public final class MagnitudePruning implements PruningMethod {

    private final long keep;
    private final boolean includeOutput;

    /**
     * @param keep          non-zero weights to keep over the selected layers
     * @param includeOutput whether the output layer is among them
     */
    public MagnitudePruning(long keep, boolean includeOutput) {
        if (keep < 1) {
            throw new IllegalArgumentException("weights to keep must be at least 1, got " + keep);
        }
        this.keep = keep;
        this.includeOutput = includeOutput;
    }

    /** Magnitude pruning to as many weights as a harmonic result kept (its parameters minus biases). */
    public static MagnitudePruning matching(PruningReport harmonic, boolean includeOutput) {
        long weights = harmonic.layers().stream()
                .mapToLong(l -> l.paramsAfter() - l.nOut())
                .sum();
        return new MagnitudePruning(weights, includeOutput);
    }

    @Override
    public PruningResult transform(MultiLayerNetwork network) {
        MultiLayerNetwork pruned = network.clone();
        List<LayerOperator> selected = Networks.layers(network, DataType.DOUBLE).stream()
                .filter(l -> includeOutput || !l.isOutputLayer())
                .toList();
        // The keep-th largest |w| over all selected layers is the threshold.
        INDArray all = Nd4j.concat(
                0,
                selected.stream()
                        .map(l -> Transforms.abs(weights(network, l), true)
                                .castTo(DataType.DOUBLE)
                                .reshape(-1))
                        .toArray(INDArray[]::new));
        long total = all.length();
        double threshold = keep >= total ? -1 : Nd4j.sort(all, false).getDouble(keep - 1);
        Map<Integer, INDArray> masks = new HashMap<>();
        List<LayerPruning> report = new ArrayList<>();
        for (LayerOperator layer : selected) {
            INDArray w = pruned.getLayer(layer.index()).getParam(DefaultParamInitializer.WEIGHT_KEY);
            INDArray mask = Transforms.abs(w, true).gte(threshold).castTo(w.dataType());
            w.muli(mask);
            masks.put(layer.index(), mask);
            // a convolution's kernel [c', c, kh, kw] as the map from a patch to one position's channels
            long m = layer.isConvolution() ? w.size(0) : layer.nOut();
            long n = w.length() / m;
            long bias =
                    pruned.getLayer(layer.index()).paramTable().containsKey(DefaultParamInitializer.BIAS_KEY) ? m : 0;
            long kept = mask.sumNumber().longValue();
            double energy = square(w.norm2Number().doubleValue())
                    / Math.max(square(weights(network, layer).norm2Number().doubleValue()), Double.MIN_NORMAL);
            report.add(new LayerPruning(
                    layer.index(),
                    layer.name(),
                    layer.kind(),
                    n,
                    m,
                    0,
                    n * m + bias,
                    kept + bias,
                    energy,
                    false,
                    null));
        }
        long zeros = report.stream()
                .mapToLong(l -> l.paramsBefore() - l.paramsAfter())
                .sum();
        return new PruningResult(
                pruned,
                new PruningReport(
                        "magnitude",
                        "keep " + keep + " weights",
                        report,
                        network.numParams(),
                        network.numParams() - zeros),
                masks);
    }

    /** The layer's own weights as DL4J holds them ({@code A^T}, or the kernel {@code [c', c, kh, kw]}). */
    private static INDArray weights(MultiLayerNetwork network, LayerOperator layer) {
        return network.getLayer(layer.index()).getParam(DefaultParamInitializer.WEIGHT_KEY);
    }

    private static double square(double x) {
        return x * x;
    }
}
