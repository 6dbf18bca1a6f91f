package io.github.reluspectra.pruning;

import java.util.List;

/**
 * Per pruned layer what changed, with totals over the network's dense parameters.
 *
 * @param method what was done, for example {@code harmonic (SVD basis)} or {@code magnitude}
 * @param policy the rank policy or target, as text
 * @param layers one entry per selected layer
 */
public record PruningReport(String method, String policy, List<LayerPruning> layers) {

    public long paramsBefore() {
        return layers.stream().mapToLong(LayerPruning::paramsBefore).sum();
    }

    public long paramsAfter() {
        return layers.stream().mapToLong(LayerPruning::paramsAfter).sum();
    }

    /** Parameters before over after, over the selected layers. */
    public double compression() {
        return (double) paramsBefore() / paramsAfter();
    }
}
