package io.github.reluspectra.demo;

import io.github.reluspectra.demo.results.DemoConfig;
import io.github.reluspectra.demo.results.DemoResult;
import io.github.reluspectra.demo.results.EpochRecord;
import io.github.reluspectra.demo.results.PruningRow;
import io.github.reluspectra.io.AtomicFiles;
import io.github.reluspectra.listeners.ReluSpectraListener;
import io.github.reluspectra.listeners.SeparationListener;
import io.github.reluspectra.report.JsonLinesSink;
import io.github.reluspectra.results.EpochSeparation;
import io.github.reluspectra.results.EpochSpectra;
import io.github.reluspectra.results.LayerAnalysis;
import io.github.reluspectra.results.SeparationScore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's pipeline: load the digits, train the MLP (watched by {@link ReluSpectraListener} and
 * {@link SeparationListener}) beside the double-layer graph, save both, run the pruning sweep. Writes the models
 * and {@code spectra.jsonl} into the report directory; the rest of the report is {@code ReportWriter}'s.
 */
public final class DemoRun {

    private static final Logger log = LoggerFactory.getLogger("demo");
    static final String SPECTRA = "spectra.jsonl";
    static final String MODEL = "model.zip";
    static final String DOUBLE_MODEL = "model-double.zip";
    private static final int TEST_BATCH = 500;

    private final DemoConfig config;
    private final ExtraSinks extra;

    public DemoRun(DemoConfig config) {
        this(config, ExtraSinks.none());
    }

    /** With {@code extra} sinks for the watched network's records (DL4J's UI). */
    DemoRun(DemoConfig config, ExtraSinks extra) {
        this.config = config;
        this.extra = extra;
    }

    public DemoResult run() throws Exception {
        long start = System.nanoTime();
        Path out = config.out();
        try (Progress progress = new Progress()) {
            MnistSplits data = progress.step("loading the digits", () -> MnistSplits.load(config.data(), config.seed()))
                    .limit(config.trainSamples(), config.testSamples());
            // Only once the input is known to be good.
            clearPreviousRun(out);
            int trainSize = data.train().numExamples();
            int testSize = data.test().numExamples();
            log.info("data: {}; {} training and {} test digits", data.source(), trainSize, testSize);
            List<DataSet> examples = data.train().asList();
            List<DataSet> testBatches = data.test().batchBy(TEST_BATCH);

            MultiLayerNetwork plain = DemoNetworks.mlp(config.hidden(), config.seed());
            List<Integer> doubleWidths = DemoNetworks.matchingDoubleWidths(config.hidden());
            ComputationGraph doubled = DemoNetworks.doubleMlp(doubleWidths, config.seed());
            log.info(
                    "MLP 784-{}-10: {} parameters; double-layer graph 784-{}-10 (each double layer emits "
                            + "2x its width): {} parameters",
                    DemoConfig.describe(config.hidden()),
                    plain.numParams(),
                    DemoConfig.describe(doubleWidths),
                    doubled.numParams());

            ReluSpectraListener spectra = extra.addTo(ReluSpectraListener.builder()
                            .seed(config.seed())
                            .topK(config.topK())
                            .data(new ListDataSetIterator<>(examples, TEST_BATCH), DemoConfig.LISTENER_FIT_SAMPLES)
                            .sink(JsonLinesSink.spectra(out.resolve(SPECTRA), JsonLinesSink.Mode.REPLACE)))
                    .build();
            // the separation listener takes the alignment's vectors and the residual's fit from the spectra listener
            SeparationListener separation = extra.addTo(
                            SeparationListener.builder(new ListDataSetIterator<>(testBatches))
                                    .seed(config.seed())
                                    .alignmentFrom(spectra)
                                    .fitFrom(spectra))
                    .build();
            int batches = (trainSize + config.batchSize() - 1) / config.batchSize();
            plain.setListeners(Progress.batches("MLP", batches), spectra, separation);
            ReluSpectraListener doubleSpectra = ReluSpectraListener.builder()
                    .seed(config.seed())
                    .topK(config.topK())
                    .frequency(config.epochs())
                    .build();
            doubled.setListeners(Progress.batches("double-layer graph", batches), doubleSpectra);

            List<EpochRecord> epochs = train(plain, doubled, examples, testBatches, spectra, separation);
            AtomicFiles.write(out.resolve(MODEL), tmp -> ModelSerializer.writeModel(plain, tmp.toFile(), false));
            AtomicFiles.write(
                    out.resolve(DOUBLE_MODEL), tmp -> ModelSerializer.writeModel(doubled, tmp.toFile(), false));
            plain.setListeners(List.of());

            PruningSweep sweep = new PruningSweep(config, examples, testBatches, progress);
            double baseline = accuracy(plain, testBatches);
            List<PruningRow> rows = sweep.run(plain, baseline);
            return new DemoResult(
                    config,
                    data.source(),
                    trainSize,
                    testSize,
                    plain.numParams(),
                    doubleWidths,
                    doubled.numParams(),
                    epochs,
                    spectra.history(),
                    doubleSpectra.history(),
                    separation.history(),
                    baseline,
                    rows,
                    Progress.seconds(start),
                    environment());
        }
    }

    private List<EpochRecord> train(
            MultiLayerNetwork plain,
            ComputationGraph doubled,
            List<DataSet> examples,
            List<DataSet> testBatches,
            ReluSpectraListener spectra,
            SeparationListener separation) {
        List<EpochRecord> records = new ArrayList<>();
        long start = System.nanoTime();
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            // Both networks see the same shuffled order, so they differ only in their layers.
            List<DataSet> order = new ArrayList<>(examples);
            Collections.shuffle(order, new Random(config.seed() + epoch));
            long t0 = System.nanoTime();
            plain.fit(new ListDataSetIterator<>(order, config.batchSize()));
            double plainSeconds = Progress.seconds(t0);
            long t1 = System.nanoTime();
            doubled.fit(new ListDataSetIterator<>(order, config.batchSize()));
            double doubleSeconds = Progress.seconds(t1);
            EpochSpectra analysed = last(spectra.history());
            EpochRecord record = new EpochRecord(
                    epoch,
                    accuracy(plain, testBatches),
                    accuracy(doubled, testBatches),
                    plainSeconds,
                    analysed == null ? 0 : analysed.seconds(),
                    doubleSeconds);
            records.add(record);
            log.info(String.format(
                    Locale.ROOT,
                    "epoch %d (%d of %d): test accuracy MLP %.4f, double layers %.4f "
                            + "(MLP %.1f s with %.1f s of spectra, double %.1f s); training about %s left",
                    epoch,
                    epoch + 1,
                    config.epochs(),
                    record.plainAccuracy(),
                    record.doubleAccuracy(),
                    plainSeconds,
                    record.analysisSeconds(),
                    doubleSeconds,
                    Progress.eta(epoch + 1, config.epochs(), Progress.seconds(start))));
            if (analysed != null) {
                log.info("  spectra: " + spectraLine(analysed));
            }
            EpochSeparation separated = last(separation.history());
            if (separated != null) {
                log.info("  separation: " + separationLine(separated));
            }
        }
        return records;
    }

    /** Per ReLU layer {@code s_1/sigma_1}, {@code s_K/sigma_K} and {@code w_relu/w_lin}. */
    private static String spectraLine(EpochSpectra spectra) {
        List<String> parts = new ArrayList<>();
        for (LayerAnalysis a : spectra.layers()) {
            if (a.sequential() == null) {
                continue;
            }
            double[] r = a.reluRatios();
            parts.add(String.format(
                    Locale.ROOT,
                    "%s s_1/sigma_1 %.3f s_%d/sigma_%d %.3f w_relu/w_lin %.3f",
                    a.name(),
                    r[0],
                    r.length,
                    r.length,
                    r[r.length - 1],
                    a.width() == null ? Double.NaN : a.width().reluToLinear()));
        }
        return String.join("; ", parts);
    }

    /** The MSP's AUROC and the best layer measure's. */
    private static String separationLine(EpochSeparation s) {
        SeparationScore best = s.scores().stream()
                .filter(x -> !Double.isNaN(x.auroc()))
                .max(Comparator.comparingDouble(SeparationScore::auroc))
                .orElse(null);
        return String.format(
                        Locale.ROOT,
                        "%d of %d test digits misclassified; AUROC MSP %.3f",
                        s.misclassified(),
                        s.samples(),
                        s.msp().auroc())
                + (best == null
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                ", best layer measure %s %s %.3f (%s)",
                                best.layer(),
                                best.measure(),
                                best.auroc(),
                                best.direction()));
    }

    private static <T> T last(List<T> list) {
        return list.isEmpty() ? null : list.get(list.size() - 1);
    }

    static double accuracy(Model model, List<DataSet> testBatches) {
        DataSetIterator it = new ListDataSetIterator<>(testBatches);
        if (model instanceof MultiLayerNetwork net) {
            return net.evaluate(it).accuracy();
        }
        return ((ComputationGraph) model).evaluate(it).accuracy();
    }

    /** Removes what an earlier run into the same directory left and this run might not overwrite. */
    private static void clearPreviousRun(Path out) throws IOException {
        Files.createDirectories(out);
        Files.deleteIfExists(out.resolve(SPECTRA));
        try (DirectoryStream<Path> old = Files.newDirectoryStream(out, "model-pruned-*.zip")) {
            for (Path p : old) {
                Files.delete(p);
            }
        }
    }

    static String environment() {
        Runtime rt = Runtime.getRuntime();
        long physical =
                ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                        ? os.getTotalMemorySize()
                        : -1;
        return String.format(
                Locale.ROOT,
                "%d cores, %.1f GiB memory, max heap %.1f GiB, %s %s, OMP_WAIT_POLICY=%s",
                rt.availableProcessors(),
                physical / Math.pow(2, 30),
                rt.maxMemory() / Math.pow(2, 30),
                System.getProperty("java.vm.name"),
                System.getProperty("java.version"),
                System.getenv().getOrDefault("OMP_WAIT_POLICY", "unset"));
    }
}
