package io.github.reluspectra.pruning;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import io.github.reluspectra.network.LayerOperator;
import io.github.reluspectra.network.LayerOperators;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The baseline (definitions §6): global magnitude pruning of the selected dense layers' weights, keeping the given
 * number of largest-magnitude weights over all of them (biases are kept). The network's structure is
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
        long weights = harmonic.layers().stream().mapToLong(l -> l.paramsAfter() - l.nOut()).sum();
        return new MagnitudePruning(weights, includeOutput);
    }

    @Override
    public PruningResult transform(MultiLayerNetwork network) {
        MultiLayerNetwork pruned = network.clone();
        List<LayerOperator> selected = LayerOperators.of(network, DataType.DOUBLE).stream()
                .filter(l -> includeOutput || !l.isOutputLayer()).toList();
        // The keep-th largest |w| over all selected layers is the threshold.
        INDArray all = Nd4j.concat(0, selected.stream().map(l -> Transforms.abs(l.weights(), true).reshape(-1))
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
            long n = layer.nIn();
            long m = layer.nOut();
            long bias = layer.bias() == null ? 0 : m;
            long kept = mask.sumNumber().longValue();
            double energy = square(w.norm2Number().doubleValue())
                    / Math.max(square(layer.weights().norm2Number().doubleValue()), Double.MIN_NORMAL);
            report.add(new LayerPruning(layer.index(), layer.name(), n, m, 0, n * m + bias, kept + bias, energy,
                    false, null));
        }
        return new PruningResult(pruned, new PruningReport("magnitude", "keep " + keep + " weights",
                List.copyOf(report)), masks);
    }

    private static double square(double x) {
        return x * x;
    }
}
