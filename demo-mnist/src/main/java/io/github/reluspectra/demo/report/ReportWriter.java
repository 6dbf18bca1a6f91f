package io.github.reluspectra.demo.report;

import io.github.reluspectra.io.AtomicFiles;
import io.github.reluspectra.demo.DemoResult;
import io.github.reluspectra.demo.EpochRecord;
import io.github.reluspectra.demo.PruningRow;
import io.github.reluspectra.report.SeparationJson;
import io.github.reluspectra.report.SpectraCharts;
import java.io.IOException;
import java.nio.file.Path;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

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

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportWriter() {
    }

    /** Writes the report; returns the path of {@code index.html}. */
    public static Path write(DemoResult result) throws IOException {
        Path dir = result.config().out();
        Path charts = dir.resolve(CHARTS);
        SpectraCharts.write(result.spectra(), charts);
        SpectraCharts.write(result.doubleSpectra(), charts);
        DemoCharts.write(result, dir);
        AtomicFiles.writeString(dir.resolve(SEPARATION), MAPPER.writeValueAsString(separation(result)));
        AtomicFiles.writeString(dir.resolve(PRUNING), MAPPER.writeValueAsString(pruning(result)));
        AtomicFiles.writeString(dir.resolve(TRAINING), MAPPER.writeValueAsString(training(result)));
        Path index = dir.resolve(INDEX);
        AtomicFiles.writeString(index, HtmlReport.render(result));
        return index;
    }

    /** A layer name as a file name. */
    static String fileName(String layer) {
        return layer.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static ObjectNode separation(DemoResult result) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode epochs = root.putArray("epochs");
        result.separation().forEach(s -> epochs.add(SeparationJson.node(s)));
        return root;
    }

    private static ObjectNode pruning(DemoResult result) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode original = root.putObject("original");
        original.put("params", result.plainParams());
        original.put("accuracy", result.pruningBaseline());
        original.put("model", "model.zip");
        ArrayNode rows = root.putArray("rows");
        for (PruningRow r : result.pruning()) {
            ObjectNode row = rows.addObject();
            row.put("method", r.method());
            row.put("basis", r.basis());
            row.put("setting", r.setting());
            row.put("ranks", r.ranks());
            row.put("params", r.params());
            row.put("hiddenWeights", r.hiddenWeights());
            row.put("accuracy", r.accuracy());
            row.put("accuracyAfterFineTuning", r.accuracyFineTuned());
            row.put("seconds", r.seconds());
            row.put("model", r.model());
        }
        return root;
    }

    private static ObjectNode training(DemoResult result) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("data", result.source());
        root.put("trainSamples", result.trainSize());
        root.put("testSamples", result.testSize());
        root.put("seed", result.config().seed());
        ObjectNode plain = root.putObject("mlp");
        result.config().hidden().forEach(plain.putArray("hidden")::add);
        plain.put("params", result.plainParams());
        plain.put("model", "model.zip");
        ObjectNode doubled = root.putObject("doubleLayers");
        result.doubleWidths().forEach(doubled.putArray("widths")::add);
        doubled.put("params", result.doubleParams());
        doubled.put("model", "model-double.zip");
        ArrayNode epochs = root.putArray("epochs");
        for (EpochRecord e : result.epochs()) {
            ObjectNode node = epochs.addObject();
            node.put("epoch", e.epoch());
            node.put("mlpAccuracy", e.plainAccuracy());
            node.put("doubleAccuracy", e.doubleAccuracy());
            node.put("mlpSeconds", e.plainSeconds());
            node.put("spectraSeconds", e.analysisSeconds());
            node.put("doubleSeconds", e.doubleSeconds());
        }
        root.put("seconds", result.seconds());
        root.put("environment", result.environment());
        return root;
    }
}
