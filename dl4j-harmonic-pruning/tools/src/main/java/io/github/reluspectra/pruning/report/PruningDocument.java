package io.github.reluspectra.pruning.report;

import io.github.reluspectra.pruning.LayerPruning;
import io.github.reluspectra.pruning.PruningReport;
import io.github.reluspectra.results.LayerKind;
import io.github.reluspectra.results.Provenance;
import java.util.List;
import java.util.Locale;

/**
 * The pruning report's JSON schema, written by {@code prune --json} and by the demo for each pruned model.
 *
 * @param provenance      what produced it (the pruning options among it)
 * @param method          for example {@code harmonic (SVD basis)} or {@code magnitude}
 * @param policy          the rank policy or target, as text
 * @param paramsBefore    parameters of the selected layers before
 * @param paramsAfter     and after
 * @param compression     before over after
 * @param networkParamsBefore every parameter of the network before
 * @param networkParamsAfter  and after (non-zero ones for magnitude pruning)
 * @param networkCompression  before over after, over the whole network
 * @param accuracyBefore  test accuracy of the original network, or null without evaluation data
 * @param accuracyAfter   test accuracy of the pruned network, or null
 * @param accuracyAfterFineTune test accuracy after fine-tuning, or null without fine-tuning or evaluation data
 * @param testSamples     how many test samples the accuracies are over (0 without evaluation data)
 * @param layers          per selected layer
 */
public record PruningDocument(
        Provenance provenance,
        String method,
        String policy,
        long paramsBefore,
        long paramsAfter,
        double compression,
        long networkParamsBefore,
        long networkParamsAfter,
        double networkCompression,
        Double accuracyBefore,
        Double accuracyAfter,
        Double accuracyAfterFineTune,
        int testSamples,
        List<LayerPruning> layers) {

    public static PruningDocument of(
            Provenance provenance,
            PruningReport report,
            Double accuracyBefore,
            Double accuracyAfter,
            Double accuracyAfterFineTune,
            int testSamples) {
        return new PruningDocument(
                provenance,
                report.method(),
                report.policy(),
                report.paramsBefore(),
                report.paramsAfter(),
                report.compression(),
                report.networkParamsBefore(),
                report.networkParamsAfter(),
                report.networkCompression(),
                accuracyBefore,
                accuracyAfter,
                accuracyAfterFineTune,
                testSamples,
                report.layers());
    }

    /** The report as a plain-text table, one line per layer and a total. */
    public static String table(PruningReport report) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%s, %s%n", report.method(), report.policy()));
        boolean overData = report.layers().stream().anyMatch(l -> l.overData() != null);
        b.append(String.format(
                Locale.ROOT,
                "  %-16s %-12s %6s %6s %6s %10s %10s %8s %6s%s%n",
                "layer",
                "kind",
                "n",
                "m",
                "r",
                "before",
                "after",
                "energy",
                "split",
                overData ? String.format(Locale.ROOT, " %10s %9s %10s", "s_k,X", "/s_0,X", "rms") : ""));
        for (LayerPruning l : report.layers()) {
            String fit = !overData
                    ? ""
                    : l.overData() == null
                            ? String.format(Locale.ROOT, " %10s %9s %10s", "-", "-", "-")
                            : String.format(
                                    Locale.ROOT,
                                    " %10.4g %9.4f %10.4g",
                                    l.overData().value(),
                                    l.overData().relative(),
                                    l.overData().rms());
            b.append(String.format(
                    Locale.ROOT,
                    "  %-16s %-12s %6d %6d %6d %10d %10d %8.4f %6s%s%n",
                    l.name(),
                    l.kind() == LayerKind.CONVOLUTION
                            ? "convolution"
                            : l.kind() == LayerKind.OUTPUT ? "output" : "dense",
                    l.nIn(),
                    l.nOut(),
                    l.rank(),
                    l.paramsBefore(),
                    l.paramsAfter(),
                    l.energyKept(),
                    l.split() ? "yes" : "no",
                    fit));
        }
        b.append(String.format(
                Locale.ROOT,
                "  %-16s %-12s %6s %6s %6s %10d %10d   (%.2fx fewer)%n",
                "total",
                "",
                "",
                "",
                "",
                report.paramsBefore(),
                report.paramsAfter(),
                report.compression()));
        b.append(String.format(
                Locale.ROOT,
                "  %-16s %-12s %6s %6s %6s %10d %10d   (%.2fx fewer)%n",
                "network",
                "",
                "",
                "",
                "",
                report.networkParamsBefore(),
                report.networkParamsAfter(),
                report.networkCompression()));
        return b.toString();
    }
}
