package io.github.reluspectra.results;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * The separation of misclassified from correctly classified held-out samples at the end of one epoch.
 *
 * @param network       which network the listener measured, 1 for the first it saw
 * @param epoch         the epoch that ended, counted from 0 as DL4J counts them
 * @param samples       held-out samples (0 if the measurement failed)
 * @param misclassified how many of them the network got wrong
 * @param msp           the baseline: AUROC of the maximum softmax probability, or null if the measurement failed
 * @param scores        per ReLU layer and measure
 * @param failures      why the measurement (no layer), or a layer's part of it, failed (empty when all went well)
 * @param skipped       parts left for a later epoch by the listener's cost budget, each with its reason; when
 *                      every part waits, nothing is measured ({@code samples} 0, {@code msp} null)
 * @param seconds       wall time of the measurement
 * @param measureSeconds where that time went, per layer and measure, the shared forward passes first
 * @param provenance    what produced the record (the listener's options among it)
 */
public record EpochSeparation(
        int network,
        int epoch,
        int samples,
        int misclassified,
        SeparationScore msp,
        List<SeparationScore> scores,
        List<Failure> failures,
        List<String> skipped,
        double seconds,
        List<MeasureSeconds> measureSeconds,
        Provenance provenance)
        implements Serializable {

    public EpochSeparation {
        scores = List.copyOf(scores);
        failures = List.copyOf(failures);
        skipped = List.copyOf(skipped);
        measureSeconds = List.copyOf(measureSeconds);
    }

    /** The record of an epoch whose measurement failed as a whole. */
    public static EpochSeparation failed(
            int network, int epoch, Failure failure, double seconds, Provenance provenance) {
        return new EpochSeparation(
                network, epoch, 0, 0, null, List.of(), List.of(failure), List.of(), seconds, List.of(), provenance);
    }

    /** The record of an epoch whose every part waits for a later one (cost budget). */
    public static EpochSeparation skipped(
            int network, int epoch, List<String> reasons, double seconds, Provenance provenance) {
        return new EpochSeparation(
                network, epoch, 0, 0, null, List.of(), List.of(), reasons, seconds, List.of(), provenance);
    }

    /** A table: the misclassification count, the baseline, then one line per layer and measure. */
    public String table() {
        if (msp == null) {
            return failures.isEmpty()
                    ? String.format(Locale.ROOT, "epoch %d separation skipped: %s%n", epoch, String.join("; ", skipped))
                    : String.format(
                            Locale.ROOT,
                            "epoch %d separation failed: %s%n",
                            epoch,
                            failures.stream()
                                    .map(Failure::toString)
                                    .collect(java.util.stream.Collectors.joining("; ")));
        }
        StringBuilder b = new StringBuilder(String.format(
                Locale.ROOT,
                "epoch %d separation: %d of %d held-out samples misclassified; MSP AUROC %.3f (%s)%n",
                epoch,
                misclassified,
                samples,
                msp.auroc(),
                msp.direction()));
        b.append(String.format(
                Locale.ROOT, "  %-16s %-15s %7s %s%n", "layer", "measure", "AUROC", "misclassified when"));
        for (SeparationScore score : scores) {
            b.append(String.format(
                    Locale.ROOT,
                    "  %-16s %-15s %7.3f %s%n",
                    score.layer(),
                    score.measure(),
                    score.auroc(),
                    score.direction()));
        }
        failures.forEach(f -> b.append("  failed: ").append(f).append(System.lineSeparator()));
        skipped.forEach(f -> b.append("  skipped: ").append(f).append(System.lineSeparator()));
        return b.toString();
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "EpochSeparation[network %d, epoch %d, %d of %d misclassified, %d scores%s]",
                network,
                epoch,
                misclassified,
                samples,
                scores.size(),
                failures.isEmpty() ? "" : ", " + failures.size() + " failures");
    }
}
