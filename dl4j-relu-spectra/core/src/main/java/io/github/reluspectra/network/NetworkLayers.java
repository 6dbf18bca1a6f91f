package io.github.reluspectra.network;

import io.github.reluspectra.results.SkippedLayer;
import java.util.List;

/**
 * The layers of a network as the library reads them.
 *
 * @param layers  the analysed layers: dense (and double) layers and 2D convolutions, detached copies, in order
 * @param skipped the other layers, with the reason each is left out
 */
public record NetworkLayers(List<LayerOperator> layers, List<SkippedLayer> skipped) {

    public NetworkLayers {
        layers = List.copyOf(layers);
        skipped = List.copyOf(skipped);
    }

    /** The dense (and double) layers alone: what the pruning methods rewrite. */
    public List<LayerOperator> dense() {
        return layers.stream().filter(l -> !l.isConvolution()).toList();
    }
}
