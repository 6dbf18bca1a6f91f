package io.github.reluspectra.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * A network as {@link ModelSerializer} writes it (configuration and parameters, no updater), to broadcast to the
 * executors, each of which restores one copy per partition, as DL4J's own {@code scoreExamples} does.
 */
final class NetworkCopy implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private final byte[] bytes;
    private final boolean graph;

    private NetworkCopy(byte[] bytes, boolean graph) {
        this.bytes = bytes;
        this.graph = graph;
    }

    static NetworkCopy of(Model model) {
        if (!(model instanceof MultiLayerNetwork) && !(model instanceof ComputationGraph)) {
            throw new IllegalArgumentException("only MultiLayerNetwork and ComputationGraph are supported, not "
                    + (model == null ? "null" : model.getClass().getSimpleName()));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ModelSerializer.writeModel(model, out, false);
        } catch (IOException e) {
            throw new UncheckedIOException("could not serialise the network to broadcast it", e);
        }
        return new NetworkCopy(out.toByteArray(), model instanceof ComputationGraph);
    }

    Model restore() {
        try {
            return graph
                    ? ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes), false)
                    : ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes), false);
        } catch (IOException e) {
            throw new UncheckedIOException("could not restore the broadcast network", e);
        }
    }

    long size() {
        return bytes.length;
    }
}
