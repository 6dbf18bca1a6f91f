package io.github.reluspectra.listeners;

import io.github.reluspectra.network.LayerOperator;
import java.io.Serializable;
import java.lang.ref.WeakReference;
import java.util.List;
import org.deeplearning4j.nn.api.Model;

/**
 * Numbers the networks a listener sees, so that one listener can serve a sweep or k-fold run: a network
 * other than the last one, or the same one with other layers or shapes, is a new network, whose state starts
 * cold. Holds the last network weakly: a listener must not keep a finished network alive. After
 * deserialisation the count goes on and the next network seen is a new one.
 */
final class NetworkTracker implements Serializable {

    private transient WeakReference<Model> last;
    private List<String> shapes = List.of();
    private int count;

    /** The 1-based number of the network {@code model} is, given the layers just read from it. */
    synchronized int observe(Model model, List<LayerOperator> layers) {
        List<String> now = layers.stream()
                .map(l -> l.name() + ":" + l.nOut() + "x" + l.nIn())
                .toList();
        if (last == null || last.get() != model || !now.equals(shapes)) {
            count++;
            last = new WeakReference<>(model);
            shapes = now;
        }
        return count;
    }

    /** The number of the network seen last (0 before the first). */
    synchronized int current() {
        return count;
    }
}
