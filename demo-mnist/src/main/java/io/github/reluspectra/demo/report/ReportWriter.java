package io.github.reluspectra.demo.report;

import io.github.reluspectra.demo.results.DemoResult;
import io.github.reluspectra.demo.results.EpochRecord;
import io.github.reluspectra.io.AtomicFiles;
import io.github.reluspectra.pruning.report.PruningDocument;
import io.github.reluspectra.report.Documents;
import io.github.reluspectra.report.Json;
import io.github.reluspectra.report.SpectraCharts;
import io.github.reluspectra.results.Provenance;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes the report of a run into its directory: {@code index.html}, the PNG charts under {@code charts/},
 * {@code separation.json}, {@code pruning.json} and {@code training.json} (the models and {@code spectra.jsonl}
 * are already there).
 */
public final class ReportWriter {

    public static final String INDEX = "index.html";
    public static final String SEPARATION = "separation.json";
    public static final String PRUNING = "pruning.json";
    public static final String TRAINING = "training.json";
    static final String CHARTS = "charts";

    private ReportWriter() {}

    /** Writes the report; returns the path of {@code index.html}. */
    public static Path write(DemoResult result) throws IOException {
        Path dir = result.config().out();
        Path charts = dir.resolve(CHARTS);
        SpectraCharts.write(result.spectra(), charts);
        SpectraCharts.write(result.doubleSpectra(), charts);
        DemoCharts.write(result, dir);
        AtomicFiles.writeString(dir.resolve(SEPARATION), Json.pretty(separation(result)));
        AtomicFiles.writeString(dir.resolve(PRUNING), Json.pretty(pruning(result)));
        AtomicFiles.writeString(dir.resolve(TRAINING), Json.pretty(training(result)));
        Path index = dir.resolve(INDEX);
        AtomicFiles.writeString(index, HtmlReport.render(result));
        return index;
    }

    /** A layer name as a file name. */
    static String fileName(String layer) {
        return layer.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** The run's settings, the provenance of every document of the report. */
    private static Provenance provenance(DemoResult result) {
        return Provenance.of(result.config().seed(), Map.of("demo", result.config()));
    }

    /** {@code separation.json}: every epoch's separation, each in the listener line's schema. */
    record Separation(Provenance provenance, List<Documents.SeparationLine> epochs) {}

    /** {@code pruning.json}: the original network, then per pruned network the tools' pruning report and more. */
    record Pruning(Provenance provenance, Original original, List<Pruned> networks) {}

    record Original(long params, double accuracy, int testSamples, String model) {}

    /**
     * One pruned network: its setting, its file, the pruning report (the schema of {@code prune --json}), the
     * test accuracy after one epoch of fine-tuning and the pruning's wall time.
     */
    record Pruned(
            String setting,
            String model,
            PruningDocument report,
            String ranks,
            long params,
            double accuracyAfterFineTuning,
            double seconds) {}

    /** {@code training.json}: the data, both networks and per epoch their accuracy and times. */
    record Training(
            Provenance provenance,
            String data,
            int trainSamples,
            int testSamples,
            Network mlp,
            Network doubleLayers,
            List<EpochRecord> epochs,
            double seconds,
            String environment) {}

    record Network(List<Integer> widths, long params, String model) {}

    private static Separation separation(DemoResult result) {
        return new Separation(
                provenance(result),
                result.separation().stream().map(Documents.SeparationLine::of).toList());
    }

    private static Pruning pruning(DemoResult result) {
        Provenance provenance = provenance(result);
        List<Pruned> rows = result.pruning().stream()
                .map(r -> new Pruned(
                        r.setting(),
                        r.model(),
                        PruningDocument.of(
                                provenance,
                                r.report(),
                                result.pruningBaseline(),
                                r.accuracy(),
                                r.accuracyFineTuned(),
                                result.testSize()),
                        r.ranks(),
                        r.params(),
                        r.accuracyFineTuned(),
                        r.seconds()))
                .toList();
        return new Pruning(
                provenance,
                new Original(result.plainParams(), result.pruningBaseline(), result.testSize(), "model.zip"),
                rows);
    }

    private static Training training(DemoResult result) {
        return new Training(
                provenance(result),
                result.source(),
                result.trainSize(),
                result.testSize(),
                new Network(result.config().hidden(), result.plainParams(), "model.zip"),
                new Network(result.doubleWidths(), result.doubleParams(), "model-double.zip"),
                result.epochs(),
                result.seconds(),
                result.environment());
    }
}
