package io.github.reluspectra.pruning;

import java.util.List;

/**
 * Per pruned layer what changed, with totals over the pruned layers and over the whole network.
 *
 * @param method              what was done, for example {@code harmonic (SVD basis)} or {@code magnitude}
 * @param policy              the rank policy or target, as text
 * @param layers              one entry per selected layer
 * @param networkParamsBefore every parameter of the original network
 * @param networkParamsAfter  every non-zero parameter of the new one (magnitude pruning keeps zeros in place)
 */
public record PruningReport(
        String method, String policy, List<LayerPruning> layers, long networkParamsBefore, long networkParamsAfter) {

    public PruningReport {
        layers = List.copyOf(layers);
    }

    /** Parameters of the selected layers before. */
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

    /** Parameters before over after, over the whole network. */
    public double networkCompression() {
        return (double) networkParamsBefore / networkParamsAfter;
    }
}
