package io.github.reluspectra.results;

import java.io.Serializable;

/**
 * What failed in a listener's epoch: a layer's part of it, or the whole epoch.
 *
 * @param layer     the layer's name, or null where the epoch as a whole failed (the network could not be read,
 *                  the data could not pass through it, the listener was closed)
 * @param epoch     the epoch, counted from 0
 * @param exception the simple name of the exception's class, or null where nothing was thrown
 * @param message   what went wrong, for a person to read
 */
public record Failure(String layer, int epoch, String exception, String message) implements Serializable {

    /** The failure of a layer's part of the epoch. */
    public static Failure ofLayer(String layer, int epoch, RuntimeException e) {
        return new Failure(layer, epoch, e.getClass().getSimpleName(), messageOf(e));
    }

    /** The failure of the whole epoch. */
    public static Failure ofEpoch(int epoch, RuntimeException e) {
        return new Failure(null, epoch, e.getClass().getSimpleName(), messageOf(e));
    }

    /** The whole epoch did not happen, for {@code reason}, with no exception behind it. */
    public static Failure ofEpoch(int epoch, String reason) {
        return new Failure(null, epoch, null, reason);
    }

    private static String messageOf(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** As the log says it: the layer (if any), then the message. */
    @Override
    public String toString() {
        return (layer == null ? "" : "layer '" + layer + "': ")
                + message
                + (exception == null ? "" : " (" + exception + ")");
    }
}
