package io.github.reluspectra.demo;

import io.github.reluspectra.demo.results.DemoConfig;
import io.github.reluspectra.demo.results.LenetEpoch;
import io.github.reluspectra.demo.results.LenetResult;
import io.github.reluspectra.demo.results.PruningRow;
import io.github.reluspectra.io.AtomicFiles;
import io.github.reluspectra.listeners.ReluSpectraListener;
import io.github.reluspectra.listeners.SeparationListener;
import io.github.reluspectra.network.AnalysisOptions;
import io.github.reluspectra.network.LayerOperators;
import io.github.reluspectra.report.JsonLinesSink;
import io.github.reluspectra.results.EpochSeparation;
import io.github.reluspectra.results.EpochSpectra;
import io.github.reluspectra.results.LayerAnalysis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code demo-mnist --model lenet}: trains {@link DemoNetworks#lenet LeNet} on the digits, watched by
 * {@link ReluSpectraListener} (every convolution and dense layer) and {@link SeparationListener}, saves the
 * model and {@code spectra.jsonl} into the report directory, then prunes it, convolutions included, to 4x fewer
 * parameters in all with the fitted basis and the whitened SVD, each fine-tuned one epoch.
 */
public final class LenetRun {

    private static final Logger log = LoggerFactory.getLogger("demo");
    static final String MODEL = "model-lenet.zip";
    static final String SEPARATION = "separation.jsonl";
    private static final int TEST_BATCH = 500;
    /** Enough for LeNet to pass 0.97 on the bundled test digits. */
    public static final int DEFAULT_EPOCHS = 5;
    /** Held-out digits the separation listener scores: its per-sample measures pass each through every layer. */
    static final int SEPARATION_SAMPLES = 1000;
    /** Sequential ReLU values per layer and epoch: the eight the report compares with sigma_1..sigma_8. */
    static final int TOP_K = 8;
    /**
     * The pruning budget: 0.24 of the weights of both convolutions and the dense layer leaves LeNet's 431,080
     * parameters at 106,880 (4.03x fewer in all, the output layer and biases counted).
     */
    static final double PRUNING_BUDGET = 0.24;
    /** The fitted basis beside the data-aware closed form it is measured against. */
    static final List<String> PRUNING_METHODS = List.of("fitted", "whitened");

    private final DemoConfig config;
    private final ExtraSinks extra;

    public LenetRun(DemoConfig config) {
        this(config, ExtraSinks.none());
    }

    /** With {@code extra} sinks for the watched network's records (DL4J's UI). */
    LenetRun(DemoConfig config, ExtraSinks extra) {
        this.config = config;
        this.extra = extra;
    }

    public LenetResult run() throws Exception {
        long start = System.nanoTime();
        Path out = config.out();
        try (Progress progress = new Progress()) {
            MnistSplits data = progress.step("loading the digits", () -> MnistSplits.load(config.data(), config.seed()))
                    .limit(config.trainSamples(), config.testSamples());
            Files.createDirectories(out);
            Files.deleteIfExists(out.resolve(DemoRun.SPECTRA));
            Files.deleteIfExists(out.resolve(SEPARATION));
            int trainSize = data.train().numExamples();
            int testSize = data.test().numExamples();
            log.info("data: {}; {} training and {} test digits", data.source(), trainSize, testSize);
            List<DataSet> examples = data.train().asList();
            List<DataSet> testBatches = data.test().batchBy(TEST_BATCH);
            List<DataSet> heldOut = data.test().asList().subList(0, Math.min(SEPARATION_SAMPLES, testSize));

            MultiLayerNetwork net = DemoNetworks.lenet(config.seed());
            var skipped = LayerOperators.read(net, DataType.DOUBLE).skipped();
            log.info("LeNet: {} parameters; not analysed: {}", net.numParams(), skipped);
            // the network's own precision: half the time of double on the convolutions, s_1 within 1e-5 of it
            ReluSpectraListener spectra = extra.addTo(ReluSpectraListener.builder()
                            .seed(config.seed())
                            .options(AnalysisOptions.builder()
                                    .dataType(DataType.FLOAT)
                                    .build())
                            .topK(TOP_K)
                            .sink(JsonLinesSink.spectra(out.resolve(DemoRun.SPECTRA), JsonLinesSink.Mode.REPLACE)))
                    .build();
            SeparationListener separation = extra.addTo(SeparationListener.builder(
                                    new ListDataSetIterator<>(heldOut, TEST_BATCH))
                            .seed(config.seed())
                            .alignmentFrom(spectra)
                            .sink(JsonLinesSink.separation(out.resolve(SEPARATION), JsonLinesSink.Mode.REPLACE)))
                    .build();
            int batches = (trainSize + config.batchSize() - 1) / config.batchSize();
            net.setListeners(Progress.batches("LeNet", batches), spectra, separation);

            List<LenetEpoch> epochs = train(net, examples, testBatches, spectra, separation);
            net.setListeners(List.of());
            AtomicFiles.write(out.resolve(MODEL), tmp -> ModelSerializer.writeModel(net, tmp.toFile(), false));
            List<PruningRow> pruning = new PruningSweep(config, examples, testBatches, progress)
                    .run(
                            net,
                            epochs.get(epochs.size() - 1).accuracy(),
                            PRUNING_METHODS,
                            List.of(PruningSweep.Setting.budget(PRUNING_BUDGET)));
            return new LenetResult(
                    config,
                    data.source(),
                    trainSize,
                    testSize,
                    net.numParams(),
                    epochs,
                    spectra.history(),
                    separation.history(),
                    skipped,
                    pruning,
                    Progress.seconds(start),
                    DemoRun.environment());
        }
    }

    private List<LenetEpoch> train(
            MultiLayerNetwork net,
            List<DataSet> examples,
            List<DataSet> testBatches,
            ReluSpectraListener spectra,
            SeparationListener separation) {
        List<LenetEpoch> records = new ArrayList<>();
        long start = System.nanoTime();
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            List<DataSet> order = new ArrayList<>(examples);
            Collections.shuffle(order, new Random(config.seed() + epoch));
            long t0 = System.nanoTime();
            net.fit(new ListDataSetIterator<>(order, config.batchSize()));
            double seconds = Progress.seconds(t0);
            EpochSpectra analysed = spectra.history().get(spectra.history().size() - 1);
            EpochSeparation separated =
                    separation.history().get(separation.history().size() - 1);
            LenetEpoch record = new LenetEpoch(
                    epoch,
                    DemoRun.accuracy(net, testBatches),
                    seconds - analysed.seconds() - separated.seconds(),
                    analysed.seconds(),
                    separated.seconds());
            records.add(record);
            log.info(String.format(
                    Locale.ROOT,
                    "epoch %d (%d of %d): test accuracy %.4f (training %.1f s, spectra "
                            + "%.1f s, separation %.1f s: analysis/training %.3f); about %s left",
                    epoch,
                    epoch + 1,
                    config.epochs(),
                    record.accuracy(),
                    record.trainingSeconds(),
                    record.spectraSeconds(),
                    record.separationSeconds(),
                    record.analysisRatio(),
                    Progress.eta(epoch + 1, config.epochs(), Progress.seconds(start))));
            for (LayerAnalysis layer : analysed.layers()) {
                log.info("  " + layer.summary());
            }
        }
        return records;
    }
}
