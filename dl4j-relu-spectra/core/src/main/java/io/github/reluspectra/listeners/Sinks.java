package io.github.reluspectra.listeners;

import io.github.reluspectra.results.ResultSink;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The sinks of one listener: every result goes to each in turn; a failing sink does not stop the others. */
final class Sinks<T> implements Serializable {

    private static final Logger log = LoggerFactory.getLogger(Sinks.class);

    private final List<ResultSink<T>> sinks;

    Sinks(List<ResultSink<T>> sinks) {
        this.sinks = new ArrayList<>(sinks);
    }

    /**
     * @throws UncheckedIOException or the sink's exception, if {@code failFast}; otherwise failures are logged
     */
    void deliver(T result, boolean failFast) {
        for (ResultSink<T> sink : sinks) {
            try {
                sink.accept(result);
            } catch (IOException e) {
                if (failFast) {
                    throw new UncheckedIOException(e);
                }
                log.warn("a result sink ({}) failed, training goes on: {}", sink, e.getMessage());
            } catch (RuntimeException e) {
                if (failFast) {
                    throw e;
                }
                log.warn("a result sink ({}) failed, training goes on: {}", sink, e.toString());
            }
        }
    }
}
