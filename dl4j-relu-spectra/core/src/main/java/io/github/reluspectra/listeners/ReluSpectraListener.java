package io.github.reluspectra.listeners;

import io.github.reluspectra.network.AnalysisOptions;
import io.github.reluspectra.network.LayerOperator;
import io.github.reluspectra.network.LayerOperators;
import io.github.reluspectra.network.LayerRequest;
import io.github.reluspectra.network.NetworkAnalyzer;
import io.github.reluspectra.network.NetworkLayers;
import io.github.reluspectra.network.Networks;
import io.github.reluspectra.results.EpochSpectra;
import io.github.reluspectra.results.Failure;
import io.github.reluspectra.results.LayerAnalysis;
import io.github.reluspectra.results.Provenance;
import io.github.reluspectra.spectra.ReluFitOptions;
import java.io.Serial;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Analyses every dense and 2D convolution layer at the end of every N-th epoch (definitions §2–3): all classical
 * singular values (a convolution's top ones, certified, see {@link io.github.reluspectra.spectra.SingularValues#top}),
 * the top-K sequential ReLU singular values (ReLU layers) warm-started from the previous analysis, the mean
 * widths, and with {@link Builder#data data} the ReLU singular values over data of dense layers (definitions §2b). Logs one line per layer,
 * keeps the history and hands each epoch's {@link EpochSpectra} to its sinks (JSON lines and charts are sinks
 * of the tools module; any lambda is one).
 *
 * <pre>
 *   ReluSpectraListener spectra = ReluSpectraListener.builder().topK(16).sink(e -> log(e)).build();
 *   net.setListeners(spectra);
 * </pre>
 * The work happens in {@code onEpochEnd}, which DL4J calls from {@code fit(DataSetIterator)} and
 * {@code fit(DataSetIterator, epochs)}; a loop of {@code fit(DataSet)} calls never ends an epoch, so call
 * {@link #analyzeNow(Model)} there. At epoch end the listener copies the layers' parameters (so
 * workspaces and later updates cannot touch them) and analyses them on the training thread, or with
 * {@code async(true)} on its own daemon thread, one epoch after another. A failure is logged with the layer's
 * name, recorded in the history and training goes on, unless {@code failFast(true)}.
 *
 * <p>One listener can watch several networks in turn (a sweep, k-fold): a network other than the last one
 * seen, or one whose layers changed, starts cold and its records carry its number
 * ({@link EpochSpectra#network()}). The listener is {@link java.io.Serializable} (DL4J serialises listeners
 * with their network's training state): history, options, data and sinks are kept; warm starts and the
 * background thread are rebuilt. It owns a thread with {@code async(true)}: {@link #close()} it when training
 * ends.
 */
public class ReluSpectraListener extends EpochListener<EpochSpectra> implements AutoCloseable {

    @Serial
    private static final long serialVersionUID = 1L;

    private static final Logger log = LoggerFactory.getLogger(ReluSpectraListener.class);

    /** The pass of the data through the network for the values over data. */
    private static final CostBudget.Part DATA_PASS =
            CostBudget.Part.pass("the pass of the data for the values over data");

    /** How long a program that ends with analyses pending waits for them (see {@link #close()}). */
    private static final long EXIT_WAIT_SECONDS = 60;

    private final NetworkAnalyzer analyzer;
    private final boolean async;
    /** Where the values over data come from, or null; its first {@code dataSamples} features, read once. */
    private final DataSetIterator data;

    private final int dataSamples;
    private final int dataFrequency;

    private transient INDArray features;
    /** One analysis at a time, in epoch order, off the training thread; created on first use with async. */
    private transient ExecutorService background;
    /** Analyses submitted and not yet recorded, as "network N epoch E". */
    private transient Set<String> pending;

    private transient Thread exitHook;

    private ReluSpectraListener(Builder b, AnalysisOptions options) {
        super(b);
        this.analyzer = new NetworkAnalyzer(options);
        this.async = b.async;
        this.data = b.data;
        this.dataSamples = b.dataSamples;
        this.dataFrequency = b.dataFrequency == null ? b.frequency() : b.dataFrequency;
    }

    @Override
    void initTransients() {
        super.initTransients();
        pending = ConcurrentHashMap.newKeySet();
    }

    public static Builder builder() {
        return new Builder();
    }

    public AnalysisOptions options() {
        return analyzer.options();
    }

    @Override
    public void onEpochEnd(Model model) {
        if (!epochEnds(model)) {
            return;
        }
        int epoch = Networks.epoch(model);
        if (!async) {
            analyzeNow(model);
            return;
        }
        Snapshot snapshot;
        try {
            snapshot = charged(() -> snapshot(model, epoch));
        } catch (RuntimeException e) {
            record(failure(model, epoch, e));
            return;
        }
        String label = "network " + snapshot.network + " epoch " + epoch;
        pending.add(label);
        try {
            executor().submit(() -> {
                try {
                    charged(() -> {
                        record(analyze(snapshot));
                        return null;
                    });
                } catch (RuntimeException e) {
                    log.warn("{}: analysis failed, training goes on: {}", label, e.getMessage());
                    record(EpochSpectra.failed(
                            snapshot.network,
                            epoch,
                            snapshot.iteration,
                            Failure.ofEpoch(epoch, e),
                            provenance(snapshot.precision)));
                } finally {
                    pending.remove(label);
                }
            });
        } catch (RejectedExecutionException e) {
            pending.remove(label);
            log.warn("{}: not analysed, the listener was closed", label);
            record(EpochSpectra.failed(
                    snapshot.network,
                    epoch,
                    snapshot.iteration,
                    Failure.ofEpoch(epoch, "not analysed: the listener was closed"),
                    provenance(snapshot.precision)));
        }
    }

    /**
     * Analyses the network now, on this thread, records the result and hands it to the sinks: for training
     * loops that never end an epoch (a loop of {@code fit(DataSet)}), or for a look at any moment. The record
     * carries the network's current epoch count.
     *
     * @throws RuntimeException what failed, if {@code failFast}; otherwise failures are in the result
     */
    public EpochSpectra analyzeNow(Model model) {
        return charged(() -> {
            int epoch = Networks.epoch(model);
            EpochSpectra result;
            try {
                result = analyze(snapshot(model, epoch));
            } catch (RuntimeException e) {
                result = failure(model, epoch, e);
            }
            record(result);
            return result;
        });
    }

    /** @throws RuntimeException {@code e}, if {@code failFast} */
    private EpochSpectra failure(Model model, int epoch, RuntimeException e) {
        if (failFast) {
            throw e;
        }
        log.warn("epoch {}: analysis failed, training goes on: {}", epoch, e.getMessage());
        return EpochSpectra.failed(
                networks.current(), epoch, Networks.iteration(model), Failure.ofEpoch(epoch, e), provenance(null));
    }

    /**
     * What the analysis of one epoch needs, copied on the training thread; {@code inputFailure} says why the
     * values over data are missing when they were due, or is null.
     */
    private record Snapshot(
            int network,
            int epoch,
            int iteration,
            DataType precision,
            List<LayerOperator> layers,
            boolean dataDue,
            Map<String, INDArray> inputs,
            String inputFailure) {}

    /** @throws RuntimeException if the network cannot be read */
    private Snapshot snapshot(Model model, int epoch) {
        DataType precision = analyzer.options().dataType(model);
        NetworkLayers layers = LayerOperators.read(model, precision, inputTypes);
        int before = networks.current();
        int network = networks.observe(model, layers.layers());
        if (network != before) {
            layers.skipped().forEach(s -> log.info("network {}: {}", network, s));
        }
        Map<String, INDArray> inputs = Map.of();
        String inputFailure = null;
        boolean dataDue = data != null && (epoch + 1) % dataFrequency == 0;
        if (dataDue
                && layers.layers().stream()
                        .anyMatch(l -> hasValuesOverData(l)
                                && (budget == null
                                        || budget.refusal(overDataPart(l), DATA_PASS, spectraPart(l)) == null))) {
            long start = System.nanoTime();
            try {
                if (features == null) {
                    features = Datasets.firstFeatures(data, dataSamples);
                }
                inputs = Networks.layerInputs(model, layers.layers(), features);
                if (budget != null) {
                    budget.spent(DATA_PASS, (System.nanoTime() - start) / 1e9);
                }
            } catch (RuntimeException e) {
                if (failFast) {
                    throw e;
                }
                inputFailure = "no values over data: could not pass the data through the network: " + e.getMessage();
                log.warn("epoch {}: {}", epoch, inputFailure);
            }
        }
        return new Snapshot(
                network, epoch, Networks.iteration(model), precision, layers.layers(), dataDue, inputs, inputFailure);
    }

    /**
     * The analysis with the layer's values over data, if the cost budget lets them run now (decided only after
     * the layer's spectra were paid for, so that no two parts run on the same credit); else as it is, the reason
     * added to {@code skipped}.
     */
    private LayerAnalysis withValuesOverData(
            Snapshot s, LayerOperator layer, LayerAnalysis analysis, List<String> skipped) {
        String refusal = budget == null ? null : budget.refusal(overDataPart(layer));
        INDArray inputs = s.inputs.get(layer.name());
        if (refusal == null && inputs == null && s.inputFailure == null) {
            refusal = overDataPart(layer).label()
                    + ": skipped by the cost budget when the data were due to pass through the " + "network";
        }
        if (refusal != null) {
            skipped.add(refusal);
            return analysis;
        }
        if (inputs == null) {
            return analysis; // the data could not pass through the network: inputFailure says so
        }
        LayerAnalysis withValues = analyzer.withValuesOverData(analysis, layer, inputs, warm.fits(layer.name()));
        warm.fits(layer.name(), withValues.overData());
        if (budget != null) {
            budget.spent(overDataPart(layer), withValues.overData().seconds());
        }
        return withValues;
    }

    /** Whether the analyzer computes the layer's values over data when given its inputs. */
    private boolean hasValuesOverData(LayerOperator layer) {
        return layer.isRelu() && !layer.isConvolution() && analyzer.options().overData() != null;
    }

    private static CostBudget.Part spectraPart(LayerOperator layer) {
        return CostBudget.Part.of(layer, "spectra");
    }

    private static CostBudget.Part overDataPart(LayerOperator layer) {
        return CostBudget.Part.of(layer, "values over data");
    }

    private synchronized ExecutorService executor() {
        if (background == null) {
            background = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "relu-spectra-listener");
                t.setDaemon(true);
                return t;
            });
            exitHook = new Thread(this::finishAtExit, "relu-spectra-listener-exit");
            Runtime.getRuntime().addShutdownHook(exitHook);
        }
        return background;
    }

    /**
     * Waits until every analysis submitted so far has finished (immediate when not {@code async}); call it
     * before reading the history after training.
     */
    public void awaitAnalyses() {
        ExecutorService executor;
        synchronized (this) {
            executor = background;
        }
        if (executor == null || executor.isShutdown()) {
            return;
        }
        try {
            executor.submit(() -> {}).get();
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
        awaitAnalyses();
        synchronized (this) {
            if (background == null) {
                return;
            }
            background.shutdown();
            try {
                Runtime.getRuntime().removeShutdownHook(exitHook);
            } catch (IllegalStateException e) {
                // Already shutting down: the hook is running or done.
            }
        }
    }

    void finishAtExit() {
        if (pending.isEmpty()) {
            return;
        }
        log.warn(
                "the program is ending with {} spectra analyses pending ({}); waiting up to {} s for them "
                        + "(call close() or awaitAnalyses() when training ends)",
                pending.size(),
                sorted(pending),
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

    private EpochSpectra analyze(Snapshot s) {
        warm.forNetwork(s.network);
        long start = System.nanoTime();
        List<LayerAnalysis> layers = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        if (s.inputFailure != null) {
            failures.add(Failure.ofEpoch(s.epoch, s.inputFailure));
        }
        List<String> skipped = new ArrayList<>();
        for (LayerOperator layer : s.layers) {
            String refusal = budget == null ? null : budget.refusal(spectraPart(layer));
            if (refusal != null) {
                skipped.add(refusal);
                continue;
            }
            try {
                LayerAnalysis analysis = analyzer.analyze(LayerRequest.of(layer)
                        .withWarmStart(warm.sequential(layer.name()))
                        .withWarmClassical(warm.classical(layer.name())));
                if (budget != null) {
                    budget.spent(spectraPart(layer), analysis.seconds());
                }
                if (analysis.sequential() != null) {
                    warm.sequential(layer.name(), analysis.sequential().lockingOrder());
                }
                if (analysis.isConvolution()) {
                    warm.classical(
                            layer.name(), analysis.convolution().classical().vectors());
                }
                if (s.dataDue && hasValuesOverData(layer)) {
                    analysis = withValuesOverData(s, layer, analysis, skipped);
                }
                layers.add(analysis);
                log.info("epoch {} {}", s.epoch, analysis.summary());
            } catch (RuntimeException e) {
                if (failFast) {
                    throw e;
                }
                failures.add(Failure.ofLayer(layer.name(), s.epoch, e));
                log.warn(
                        "epoch {}: analysis of {} failed, training goes on: {}",
                        s.epoch,
                        layer.describe(),
                        e.getMessage());
            }
        }
        if (!skipped.isEmpty()) {
            log.info("epoch {}: {}", s.epoch, String.join("; ", skipped));
        }
        return new EpochSpectra(
                s.network,
                s.epoch,
                s.iteration,
                (System.nanoTime() - start) / 1e9,
                layers,
                failures,
                skipped,
                provenance(s.precision));
    }

    /**
     * The listener's settings as of now: analysis options (with the precision the network was analysed in, if it
     * was read) and, with data, the sample count and frequency.
     */
    private Provenance provenance(DataType precision) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(
                "analysis",
                precision == null
                        ? analyzer.options()
                        : analyzer.options().toBuilder().dataType(precision).build());
        settings.put("frequency", frequency);
        if (data != null) {
            settings.put("dataSamples", dataSamples);
            settings.put("dataFrequency", dataFrequency);
        }
        if (budget != null) {
            settings.put("costBudget", budget.fraction());
        }
        return Provenance.of(seed, settings);
    }

    /**
     * Options are checked by {@link #build()}, whatever order they were set in. Defaults: every epoch, top 16
     * sequential ReLU values, 64 width samples, bias ignored, double precision, no data, no sinks, synchronous.
     */
    public static final class Builder extends ListenerBuilder<EpochSpectra, Builder> {
        private AnalysisOptions options = AnalysisOptions.builder().build();
        private Integer topK;
        private ReluFitOptions fitOptions;
        private boolean async;
        private DataSetIterator data;
        private int dataSamples;
        private Integer dataFrequency;

        @Override
        Builder self() {
            return this;
        }

        /** All analysis options; {@link #topK} and {@link #fitOptions}, if set, override theirs. */
        public Builder options(AnalysisOptions options) {
            this.options = options;
            return this;
        }

        /** The number of sequential ReLU singular values per layer (at least 1). */
        public Builder topK(int k) {
            this.topK = k;
            return this;
        }

        /**
         * Adds the ReLU singular values over data (definitions §2b) of every ReLU layer, on the inputs that reach it
         * when the first {@code samples} examples of {@code iterator} (for example training data) go through
         * the network; each epoch's fits start from the previous epoch's.
         */
        public Builder data(DataSetIterator iterator, int samples) {
            this.data = iterator;
            this.dataSamples = samples;
            return this;
        }

        /** Compute the values over data at every {@code n}-th epoch only (default: at every analysis). */
        public Builder dataFrequency(int n) {
            this.dataFrequency = n;
            return this;
        }

        /** Options of the fits over data (ranks, epochs, ...). */
        public Builder fitOptions(ReluFitOptions fit) {
            this.fitOptions = fit;
            return this;
        }

        /**
         * Analyse on a background daemon thread; the training thread only copies the parameters. Off by default:
         * ND4J already uses every core for training, and on 2 cores a concurrent analysis slowed training by
         * 47-62% and itself by 4x (measured on MNIST, 784-512-512-10), against about 6% when the analysis
         * runs at epoch end on the training thread. Worth it where cores are spare. Cannot be combined with
         * {@link #failFast}.
         */
        public Builder async(boolean async) {
            this.async = async;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the option that is out of range
         * @throws IllegalStateException    for {@code async(true)} with {@code failFast(true)}
         */
        public ReluSpectraListener build() {
            requireShared();
            if (dataFrequency != null) {
                Datasets.requireAtLeast("dataFrequency", dataFrequency, 1);
            }
            if (data != null || dataSamples != 0) {
                Datasets.requireSample(data, dataSamples);
            }
            if (options == null) {
                throw new IllegalArgumentException("options are null");
            }
            if (async && failFast()) {
                throw new IllegalStateException("failFast(true) rethrows on the training thread, async(true) analyses "
                        + "on another one: choose one of them");
            }
            AnalysisOptions.Builder composed = options.toBuilder();
            if (topK != null) {
                composed.sequential(options.sequential().toBuilder().topK(topK).build());
            }
            if (fitOptions != null) {
                composed.overData(fitOptions);
            }
            return new ReluSpectraListener(this, composed.build());
        }
    }
}
