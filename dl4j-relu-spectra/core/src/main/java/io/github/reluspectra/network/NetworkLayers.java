package io.github.reluspectra.network;

import io.github.reluspectra.results.SkippedLayer;
import java.util.List;

/**
 * The layers of a network as the library reads them.
 *
 * @param dense   the dense layers (and double layers), detached copies, in order
 * @param skipped the other layers, with the reason each is left out
 */
public record NetworkLayers(List<LayerOperator> dense, List<SkippedLayer> skipped) {

    public NetworkLayers {
        dense = List.copyOf(dense);
        skipped = List.copyOf(skipped);
    }
}
