package io.github.reluspectra.results;

import java.io.Serializable;

/**
 * Where a separation measurement's time went: the seconds of one measure of one layer.
 *
 * @param layer   the layer's name, or {@code all} for the forward passes that every layer's measures share
 * @param measure {@code gain} (with the response that {@code activeFraction} shares), {@code localWidth},
 *                {@code alignment}, {@code residual} (its fit over the training inputs included), or
 *                {@code passes} (the held-out and training inputs through the network)
 * @param seconds wall time
 */
public record MeasureSeconds(String layer, String measure, double seconds) implements Serializable {}
