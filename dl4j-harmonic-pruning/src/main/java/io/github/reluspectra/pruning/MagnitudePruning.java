package io.github.reluspectra.pruning;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The baseline (SPEC §6): global magnitude pruning of the selected dense layers' weights, keeping the given
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
        List<Integer> selected = new ArrayList<>();
        Layer[] layers = pruned.getLayers();
        for (int i = 0; i < layers.length; i++) {
            Class<?> type = layers[i].conf().getLayer().getClass();
            if (type == DenseLayer.class || (includeOutput && type == OutputLayer.class)) {
                selected.add(i);
            }
        }
        // The keep-th largest |w| over all selected layers is the threshold.
        INDArray all = Nd4j.concat(0, selected.stream()
                .map(i -> Transforms.abs(layers[i].getParam("W"), true).castTo(DataType.DOUBLE).reshape(-1))
                .toArray(INDArray[]::new));
        long total = all.length();
        double threshold = keep >= total ? -1 : Nd4j.sort(all, false).getDouble(keep - 1);
        Map<Integer, INDArray> masks = new HashMap<>();
        List<LayerPruning> report = new ArrayList<>();
        for (int i : selected) {
            INDArray w = layers[i].getParam("W");
            INDArray mask = Transforms.abs(w, true).gte(threshold).castTo(w.dataType());
            w.muli(mask);
            masks.put(i, mask);
            long n = w.rows();
            long m = w.columns();
            long bias = layers[i].paramTable().containsKey("b") ? m : 0;
            long kept = mask.sumNumber().longValue();
            double energy = square(w.norm2Number().doubleValue())
                    / Math.max(square(network.getLayer(i).getParam("W").norm2Number().doubleValue()), Double.MIN_NORMAL);
            String name = layers[i].conf().getLayer().getLayerName();
            report.add(new LayerPruning(i, name == null ? "layer" + i : name, n, m, 0, n * m + bias, kept + bias,
                    energy, false));
        }
        return new PruningResult(pruned, new PruningReport("magnitude", "keep " + keep + " weights",
                List.copyOf(report)), masks);
    }

    private static double square(double x) {
        return x * x;
    }
}
