package io.github.reluspectra.results;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * The spectra of every analysed layer at the end of one epoch.
 *
 * @param network   which network the listener analysed, 1 for the first it saw (a listener reused for several
 *                  networks in turn counts them)
 * @param epoch     the epoch that ended, counted from 0 as DL4J counts them
 * @param iteration the network's iteration count then
 * @param seconds   wall time of the whole analysis
 * @param layers    one record per analysed layer (layers whose analysis failed are absent)
 * @param failures  each layer whose analysis failed (its name, the exception, the message), or why the epoch
 *                  could not be analysed at all (no layer)
 * @param skipped   parts of the analysis left for a later epoch by the listener's cost budget, each with its
 *                  reason (a layer whose spectra were skipped is absent from {@code layers}; one whose values over
 *                  data were skipped has none)
 * @param provenance what produced the record (the listener's options among it)
 */
public record EpochSpectra(
        int network,
        int epoch,
        int iteration,
        double seconds,
        List<LayerAnalysis> layers,
        List<Failure> failures,
        List<String> skipped,
        Provenance provenance)
        implements Serializable {

    public EpochSpectra {
        layers = List.copyOf(layers);
        failures = List.copyOf(failures);
        skipped = List.copyOf(skipped);
    }

    /** The record of an epoch that could not be analysed at all. */
    public static EpochSpectra failed(int network, int epoch, int iteration, Failure failure, Provenance provenance) {
        return new EpochSpectra(network, epoch, iteration, 0, List.of(), List.of(failure), List.of(), provenance);
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "EpochSpectra[network %d, epoch %d, iteration %d, %d layers%s%s, %.2f s]",
                network,
                epoch,
                iteration,
                layers.size(),
                failures.isEmpty() ? "" : ", " + failures.size() + " failures",
                skipped.isEmpty() ? "" : ", " + skipped.size() + " parts skipped",
                seconds);
    }
}
