package io.github.reluspectra.listeners;

import io.github.reluspectra.io.FilePaths;
import io.github.reluspectra.io.Messages;
import io.github.reluspectra.network.AnalysisOptions;
import io.github.reluspectra.network.LayerAnalysis;
import io.github.reluspectra.network.LayerOperator;
import io.github.reluspectra.network.NetworkAnalyzer;
import io.github.reluspectra.network.Networks;
import io.github.reluspectra.report.AnalysisJson;
import io.github.reluspectra.report.JsonLines;
import io.github.reluspectra.report.SpectraCharts;
import io.github.reluspectra.spectra.MeanWidth;
import io.github.reluspectra.spectra.RankFit;
import io.github.reluspectra.spectra.ReluFitOptions;
import io.github.reluspectra.spectra.ReluValuesOverData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Analyses every dense layer at the end of every N-th epoch (SPEC §2–3): all classical singular values, the
 * top-K ReLU singular values (ReLU layers) warm-started from the previous analysis, and the mean widths.
 * Logs one line per layer, keeps the history, optionally appends one JSON line per epoch to a file and
 * writes PNG charts to a directory.
 *
 * <pre>
 *   net.setListeners(ReluSpectraListener.builder().topK(16).jsonLines(Path.of("spectra.jsonl")).build());
 * </pre>
 * At epoch end the listener copies the dense layers' parameters (so workspaces and later updates cannot
 * touch them) and analyses them on the training thread, or with {@code async(true)} on a background thread,
 * one epoch after another. An analysis that fails is logged with the layer's name
 * and training goes on, unless {@code failFast(true)}.
 *
 * <p>One listener can watch several networks in turn (a sweep, k-fold): a network other than the last one
 * seen, or one whose layers changed, starts cold, its records carry its number ({@link EpochSpectra#network()},
 * {@code "network"} in the JSON lines), and its charts go to {@code network-N/} in the charts directory.
 */
public class ReluSpectraListener extends BaseTrainingListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReluSpectraListener.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** How long a program that ends with analyses pending waits for them (see {@link #close()}). */
    private static final long EXIT_WAIT_SECONDS = 60;

    private final int frequency;
    private final NetworkAnalyzer analyzer;
    private final Path jsonLines;
    private final Path charts;
    private final boolean failFast;
    private final List<EpochSpectra> history = new CopyOnWriteArrayList<>();
    private final NetworkTracker networks = new NetworkTracker();
    /** Touched only by the analysis, which runs one epoch at a time. */
    private final Map<String, INDArray> warmStarts = new HashMap<>();
    private final Map<String, ReluValuesOverData> warmFits = new HashMap<>();
    /** Where the values over data come from, or null; its first {@code dataSamples} features, read once. */
    private final DataSetIterator data;
    private final int dataSamples;
    private final int dataFrequency;
    private INDArray features;
    private int warmNetwork;
    /** One analysis at a time, in epoch order, off the training thread; null when synchronous. */
    private final ExecutorService background;
    /** Analyses submitted and not yet recorded, as "network N epoch E". */
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final Thread exitHook;

    private ReluSpectraListener(Builder b) {
        this.frequency = b.frequency;
        this.analyzer = new NetworkAnalyzer(b.options);
        this.jsonLines = b.jsonLines;
        this.charts = b.charts;
        this.failFast = b.failFast;
        this.data = b.data;
        this.dataSamples = b.dataSamples;
        this.dataFrequency = b.dataFrequency == 0 ? b.frequency : b.dataFrequency;
        this.background = b.async && !b.failFast ? Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "relu-spectra-listener");
            t.setDaemon(true);
            return t;
        }) : null;
        this.exitHook = background == null ? null : new Thread(this::finishAtExit, "relu-spectra-listener-exit");
        if (exitHook != null) {
            Runtime.getRuntime().addShutdownHook(exitHook);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The analyses finished so far, oldest first (see {@link #awaitAnalyses()}). */
    public List<EpochSpectra> history() {
        return Collections.unmodifiableList(history);
    }

    @Override
    public void onEpochEnd(Model model) {
        int epoch = Networks.epoch(model);
        if ((epoch + 1) % frequency != 0) {
            return;
        }
        int iteration = Networks.iteration(model);
        List<LayerOperator> operators;
        try {
            // Copies, taken on the training thread: later updates and workspaces cannot reach them.
            operators = Networks.denseLayers(model, analyzer.options().dataType());
        } catch (RuntimeException e) {
            if (failFast) {
                throw e;
            }
            log.warn("epoch {}: could not read the network, training goes on: {}", epoch, e.getMessage());
            return;
        }
        int network = networks.observe(model, operators);
        Map<String, INDArray> inputs = layerInputs(model, operators, epoch);
        if (background == null) {
            record(analyze(operators, inputs, network, epoch, iteration));
            return;
        }
        String label = "network " + network + " epoch " + epoch;
        pending.add(label);
        try {
            background.submit(() -> {
                try {
                    record(analyze(operators, inputs, network, epoch, iteration));
                } catch (RuntimeException e) {
                    log.warn("{}: analysis failed: {}", label, e.getMessage());
                } finally {
                    pending.remove(label);
                }
            });
        } catch (RejectedExecutionException e) {
            pending.remove(label);
            log.warn("{}: not analysed, the listener was closed", label);
        }
    }

    /**
     * Waits until every analysis submitted so far has finished (immediate when not {@code async}); call it
     * before reading the history after training.
     */
    public void awaitAnalyses() {
        if (background == null || background.isShutdown()) {
            return;
        }
        try {
            background.submit(() -> { }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Finishes the analyses still pending and stops the background thread of {@code async(true)}; the history
     * stays readable. Without it, a program that ends with analyses pending waits up to a minute for them at
     * exit and logs a WARN naming the epochs it had to drop.
     */
    @Override
    public void close() {
        if (background == null) {
            return;
        }
        awaitAnalyses();
        background.shutdown();
        try {
            Runtime.getRuntime().removeShutdownHook(exitHook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook is running or done.
        }
    }

    void finishAtExit() {
        if (pending.isEmpty()) {
            return;
        }
        log.warn("the program is ending with {} spectra analyses pending ({}); waiting up to {} s for them "
                + "(call close() or awaitAnalyses() when training ends)", pending.size(), sorted(pending),
                EXIT_WAIT_SECONDS);
        background.shutdown();
        try {
            background.awaitTermination(EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!pending.isEmpty()) {
            log.warn("lost the spectra analyses of {}: the program ended before they finished", sorted(pending));
        }
    }

    private static List<String> sorted(Set<String> labels) {
        return labels.stream().sorted().toList();
    }

    private synchronized void record(EpochSpectra result) {
        history.add(result);
        if (jsonLines != null) {
            appendJson(result);
        }
        if (charts != null) {
            writeCharts(result.network());
        }
    }

    /** Charts of the current network only: the first in the charts directory, the N-th in network-N/ in it. */
    private void writeCharts(int network) {
        Path dir = network == 1 ? charts : charts.resolve("network-" + network);
        try {
            SpectraCharts.write(history.stream().filter(e -> e.network() == network).toList(), dir);
        } catch (IOException | RuntimeException e) {
            if (failFast) {
                throw new IllegalStateException("could not write charts to " + dir, e);
            }
            log.warn("could not write charts to {}: {}", dir, e.getMessage());
        }
    }

    /**
     * The inputs of every layer on the data, at the epochs the values over data are due (empty otherwise): a
     * forward pass on the training thread, whose results are detached copies.
     */
    private Map<String, INDArray> layerInputs(Model model, List<LayerOperator> operators, int epoch) {
        if (data == null || (epoch + 1) % dataFrequency != 0) {
            return Map.of();
        }
        try {
            if (features == null) {
                features = Datasets.firstFeatures(data, dataSamples);
            }
            return Networks.layerInputs(model, operators, features);
        } catch (RuntimeException e) {
            if (failFast) {
                throw e;
            }
            log.warn("epoch {}: could not pass the data through the network, no values over data: {}", epoch,
                    e.getMessage());
            return Map.of();
        }
    }

    private EpochSpectra analyze(List<LayerOperator> operators, Map<String, INDArray> inputs, int network,
                                 int epoch, int iteration) {
        if (network != warmNetwork) {
            // another network: its layers start cold, whatever their names
            warmStarts.clear();
            warmFits.clear();
            warmNetwork = network;
        }
        long start = System.nanoTime();
        List<LayerAnalysis> layers = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (LayerOperator layer : operators) {
            try {
                LayerAnalysis analysis = analyzer.analyze(layer, warmStarts.get(layer.name()),
                        inputs.get(layer.name()), warmFits.get(layer.name()));
                if (analysis.sequential() != null) {
                    warmStarts.put(layer.name(), analysis.sequential().vectors());
                }
                if (analysis.overData() != null) {
                    warmFits.put(layer.name(), analysis.overData());
                }
                layers.add(analysis);
                log.info(line(epoch, analysis));
            } catch (RuntimeException e) {
                if (failFast) {
                    throw e;
                }
                failures.add(e.getMessage());
                log.warn("epoch {}: analysis of {} failed, training goes on: {}", epoch, layer.describe(),
                        e.getMessage());
            }
        }
        return new EpochSpectra(network, epoch, iteration, (System.nanoTime() - start) / 1e9, List.copyOf(layers),
                List.copyOf(failures));
    }

    static String line(int epoch, LayerAnalysis a) {
        double sigma1 = a.singularValues()[0];
        String relu = "";
        if (a.sequential() != null) {
            double[] ratios = a.sequential().ratios();
            relu = String.format(Locale.ROOT, " s_1=%.4g s_%d/sigma_%d=%.4f", a.sequential().values()[0], ratios.length,
                    ratios.length, ratios[ratios.length - 1]);
        }
        ReluValuesOverData overData = a.overData();
        if (overData != null && overData.fits().size() > 1) {
            RankFit last = overData.fits().get(overData.fits().size() - 1);
            relu += String.format(Locale.ROOT, " s_%d,X/s_0,X=%.4f", last.rank(), last.value() / overData.values()[0]);
        }
        MeanWidth w = a.width();
        String width = w == null || Double.isNaN(w.relu()) ? "" : String.format(Locale.ROOT, " w_relu/w_lin=%.4f",
                w.reluToLinear());
        return String.format(Locale.ROOT, "epoch %d layer %s (%s %dx%d, %s): sigma_1=%.4g%s%s (%.2f s)", epoch,
                a.name(), a.type(), a.nOut(), a.nIn(), a.activation(), sigma1, relu, width, a.seconds());
    }

    private void appendJson(EpochSpectra result) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("network", result.network());
        node.put("epoch", result.epoch());
        node.put("iteration", result.iteration());
        node.put("seconds", result.seconds());
        ArrayNode layers = node.putArray("layers");
        result.layers().forEach(l -> layers.add(AnalysisJson.layerNode(l)));
        ArrayNode failures = node.putArray("failures");
        result.failures().forEach(failures::add);
        try {
            JsonLines.append(jsonLines, node);
        } catch (IOException e) {
            if (failFast) {
                throw new UncheckedIOException(e);
            }
            log.warn("could not append to {}: {}", jsonLines, Messages.reason(e));
        }
    }

    /** Defaults: every epoch, top 16 ReLU values, 64 width samples, bias ignored, double precision. */
    public static final class Builder {
        private int frequency = 1;
        private AnalysisOptions options = AnalysisOptions.builder().build();
        private Path jsonLines;
        private Path charts;
        private boolean failFast;
        private boolean async;
        private DataSetIterator data;
        private int dataSamples;
        private int dataFrequency;

        /** Analyse at the end of every {@code n}-th epoch. */
        public Builder frequency(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("frequency must be at least 1, got " + n);
            }
            this.frequency = n;
            return this;
        }

        public Builder options(AnalysisOptions options) {
            this.options = options;
            return this;
        }

        /** Shorthand for the number of sequential ReLU singular values per layer. */
        public Builder topK(int k) {
            this.options = options.toBuilder().sequential(options.sequential().toBuilder().topK(k).build()).build();
            return this;
        }

        /**
         * Adds the ReLU singular values over data (SPEC §2b) of every ReLU layer, on the inputs that reach it
         * when the first {@code samples} examples of {@code iterator} (for example training data) go through
         * the network; each epoch's fits start from the previous epoch's.
         */
        public Builder data(DataSetIterator iterator, int samples) {
            Datasets.requireSample(iterator, samples);
            this.data = iterator;
            this.dataSamples = samples;
            return this;
        }

        /** Compute the values over data at every {@code n}-th epoch only (default: at every analysis). */
        public Builder dataFrequency(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("dataFrequency must be at least 1, got " + n);
            }
            this.dataFrequency = n;
            return this;
        }

        /** Options of the fits over data (ranks, epochs, ...). */
        public Builder fitOptions(ReluFitOptions fit) {
            this.options = options.toBuilder().overData(fit).build();
            return this;
        }

        /** Append one JSON line per analysed epoch to this file. */
        public Builder jsonLines(Path file) {
            this.jsonLines = file;
            return this;
        }

        /**
         * Write PNG charts per layer into this directory at every analysed epoch: singular values against k
         * (one curve per epoch) and mean widths over epochs.
         */
        public Builder charts(Path dir) {
            this.charts = dir;
            return this;
        }

        /**
         * Analyse on a background thread; the training thread only copies the parameters. Off by default:
         * ND4J already uses every core for training, and on 2 cores a concurrent analysis slowed training by
         * 47-62% and itself by 4x (measured on MNIST, 784-512-512-10), against about 6% when the analysis
         * runs at epoch end on the training thread. Worth it where cores are spare.
         */
        public Builder async(boolean async) {
            this.async = async;
            return this;
        }

        /**
         * Rethrow analysis failures instead of logging them (they then stop training); implies a synchronous
         * analysis.
         */
        public Builder failFast(boolean failFast) {
            this.failFast = failFast;
            return this;
        }

        /**
         * @throws IllegalArgumentException if the JSON-lines file is a directory or the charts directory, or
         *                                  the charts directory is a file
         */
        public ReluSpectraListener build() {
            if (jsonLines != null && Files.isDirectory(jsonLines)) {
                throw new IllegalArgumentException("jsonLines " + jsonLines + " is a directory; give a file");
            }
            if (charts != null && Files.exists(charts) && !Files.isDirectory(charts)) {
                throw new IllegalArgumentException("charts " + charts + " is a file; give a directory");
            }
            if (jsonLines != null && charts != null && FilePaths.same(jsonLines, charts)) {
                throw new IllegalArgumentException("jsonLines and charts are the same path: " + charts);
            }
            return new ReluSpectraListener(this);
        }
    }
}
