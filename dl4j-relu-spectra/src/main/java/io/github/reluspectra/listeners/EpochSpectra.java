package io.github.reluspectra.listeners;

import io.github.reluspectra.network.LayerAnalysis;
import java.util.List;

/**
 * The spectra of every dense layer at the end of one epoch.
 *
 * @param network   which network the listener analysed, 1 for the first it saw (a listener reused for several
 *                  networks in turn counts them)
 * @param epoch     the epoch that ended (0-based)
 * @param iteration the network's iteration count then
 * @param seconds   wall time of the whole analysis
 * @param layers    one record per analysed layer (layers whose analysis failed are absent)
 * @param failures  layer descriptions with the reason their analysis failed
 */
public record EpochSpectra(int network, int epoch, int iteration, double seconds, List<LayerAnalysis> layers,
                           List<String> failures) {
}
