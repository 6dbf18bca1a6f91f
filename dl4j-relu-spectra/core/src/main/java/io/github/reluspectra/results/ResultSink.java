package io.github.reluspectra.results;

import java.io.IOException;
import java.io.Serializable;

/**
 * Where a listener hands each epoch's result: a file writer, a chart writer, a dashboard, or a lambda. Sinks
 * are called on the thread that analysed the epoch, one result at a time, in epoch order. A sink that throws
 * is logged by the listener and training goes on (unless the listener fails fast); the result stays in the
 * listener's history either way. Serializable, so that the listener carrying it is.
 *
 * @param <T> {@link EpochSpectra} or {@link EpochSeparation}
 */
@FunctionalInterface
public interface ResultSink<T> extends Serializable {

    void accept(T result) throws IOException;
}
