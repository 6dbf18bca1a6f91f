package io.github.reluspectra.results;

import java.io.Serializable;

/**
 * A layer of the network that the analysis (or pruning) leaves out, and why.
 *
 * @param index  the layer's position
 * @param name   the layer's name
 * @param type   its configuration class's simple name
 * @param reason why it is not analysed
 */
public record SkippedLayer(int index, String name, String type, String reason) implements Serializable {

    @Override
    public String toString() {
        return "layer '" + name + "' (index " + index + ", " + type + "): not analysed, " + reason;
    }
}
