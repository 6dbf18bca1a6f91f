package io.github.reluspectra.benchmarks;

import io.github.reluspectra.cli.Cli;
import io.github.reluspectra.cli.ToolVersion;
import io.github.reluspectra.listeners.ReluSpectraListener;
import io.github.reluspectra.listeners.SeparationListener;
import io.github.reluspectra.pruning.Basis;
import io.github.reluspectra.pruning.HarmonicPruningTransform;
import io.github.reluspectra.pruning.PruningResult;
import io.github.reluspectra.pruning.RankPolicy;
import io.github.reluspectra.results.EpochSpectra;
import io.github.reluspectra.spectra.ConvolutionGeometry;
import io.github.reluspectra.spectra.ConvolutionOperator;
import io.github.reluspectra.spectra.LinearOperator;
import io.github.reluspectra.spectra.MeanWidthOptions;
import io.github.reluspectra.spectra.MeanWidths;
import io.github.reluspectra.spectra.ReluFitOptions;
import io.github.reluspectra.spectra.ReluSingularValues;
import io.github.reluspectra.spectra.ReluValuesOverData;
import io.github.reluspectra.spectra.SequentialReluOptions;
import io.github.reluspectra.spectra.SequentialReluSpectrum;
import io.github.reluspectra.spectra.SequentialReluValues;
import io.github.reluspectra.spectra.SingularValues;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs every benchmark figure (B1-B11) as ratios measured side by side in one process, prints one
 * {@code RESULT} line per figure and writes {@code benchmarks/results.md}.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar [--quick] [--out FILE] [--only B1|B5|B6|B7|B8|B9|B10|B11]</pre>
 * ({@code --only B1} runs B1-B4 and B7, which share their matrices; {@code --only B7} the memory alone). A whole
 * run starts each group in a JVM of its own (as JMH forks each benchmark): a group measured after the others
 * inherits their heap, off-heap memory and compiled code, and B11 read 0.113 in a whole run where it read 0.086-0.095
 * alone. Each figure's pairs still run side by side in that group's process.
 */
public final class Benchmarks {

    private final boolean quick;
    private final int runs;
    private final List<Result> results = new ArrayList<>();

    private Benchmarks(boolean quick) {
        this.quick = quick;
        this.runs = quick ? 3 : 5;
    }

    /** The groups {@code --only} can run. */
    enum Group {
        B1,
        B5,
        B6,
        B7,
        B8,
        B9,
        B10,
        B11
    }

    /** The command line: picocli, with the project's error policy (one line and exit 2 for a usage error). */
    @Command(
            name = "benchmarks",
            mixinStandardHelpOptions = true,
            versionProvider = ToolVersion.class,
            description = "Ratios measured side by side in this process; one RESULT line per figure and a table.")
    static final class Options implements Callable<Integer> {
        @Option(names = "--quick", description = "fewer runs and smaller sizes")
        boolean quick;

        @Option(
                names = "--out",
                paramLabel = "FILE",
                defaultValue = "benchmarks/results.md",
                description = "where the table goes (default: ${DEFAULT-VALUE})")
        Path out;

        @Option(names = "--only", paramLabel = "GROUP", description = "run one group: ${COMPLETION-CANDIDATES}")
        Group only;

        @Option(
                names = "--in-process",
                description = "run every group in this JVM, one after the other, instead of each in its own")
        boolean inProcess;

        @Option(
                names = "--rows",
                paramLabel = "FILE",
                hidden = true,
                description = "write the figures as rows here instead of a table")
        Path rows;

        @Override
        public Integer call() throws IOException, InterruptedException {
            long start = System.nanoTime();
            if (only == null && !inProcess) {
                Benchmarks b = new Benchmarks(quick);
                for (Group group : GroupProcess.WHOLE_RUN) {
                    b.results.addAll(GroupProcess.run(group, quick));
                }
                b.write(out, (System.nanoTime() - start) / 1e9, true);
                return 0;
            }
            Benchmarks b = new Benchmarks(quick);
            if (only == null || only == Group.B1) {
                b.spectralCost();
            }
            if (only == Group.B7) {
                b.peakMemory(
                        gaussian(7, 1024, 1024),
                        SequentialReluOptions.builder().topK(32).build());
            }
            if (only == null || only == Group.B5) {
                b.listenerOverhead();
                b.listenerOverheadWithBudget();
            }
            if (only == null || only == Group.B11) {
                b.bothListenersWithBudget();
            }
            if (only == null || only == Group.B6) {
                b.prunedThroughput();
            }
            if (only == null || only == Group.B8) {
                b.ladderCost();
            }
            if (only == null || only == Group.B9) {
                b.reluBasisTime();
            }
            if (only == null || only == Group.B10) {
                b.convolutionCost();
            }
            if (rows != null) {
                // a group run for a whole run: the whole run writes the table
                Files.write(rows, b.results.stream().map(Result::row).toList(), StandardCharsets.UTF_8);
                return 0;
            }
            b.write(out, (System.nanoTime() - start) / 1e9, false);
            return 0;
        }
    }

    public static void main(String[] args) {
        System.exit(Cli.execute(
                new CommandLine(new Options()),
                args,
                new PrintWriter(System.out, true),
                new PrintWriter(System.err, true),
                () -> false));
    }

    private static INDArray gaussian(long seed, int m, int n) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.DOUBLE, m, n);
    }

    private static double seconds(Runnable work) {
        long t = System.nanoTime();
        work.run();
        return (System.nanoTime() - t) / 1e9;
    }

    private void report(Result r) {
        results.add(r);
        System.out.println(r.line());
    }

    /** Ratios of paired timings: a warm-up pair, then {@code runs} pairs, each ratio from one pair. */
    private Stats ratios(Runnable numerator, Runnable denominator) {
        numerator.run();
        denominator.run();
        double[] r = new double[runs];
        for (int i = 0; i < runs; i++) {
            double den = seconds(denominator);
            r[i] = seconds(numerator) / den;
        }
        return Stats.of(r);
    }

    /**
     * B1-B4 and B7. The figures of version 0.1's search beside them (B1old, B2old, B4old, B7old, B9old, Q1) were
     * last measured at commit e6972cd and are kept in docs/performance.md.
     */
    private void spectralCost() {
        SequentialReluOptions top32 = SequentialReluOptions.builder().topK(32).build();
        int[][] shapes = quick
                ? new int[][] {{256, 256}, {512, 512}, {1024, 1024}}
                : new int[][] {{256, 256}, {512, 512}, {1024, 1024}, {784, 512}};
        for (int[] s : shapes) {
            INDArray a = gaussian(7, s[0], s[1]);
            String shape = s[0] + "x" + s[1];
            boolean headline = s[0] == 1024;
            report(new Result(
                    "B1-" + shape,
                    "top-32 sequential ReLU singular values (cold) / full SVD values",
                    ratios(() -> SequentialReluValues.compute(a, top32), () -> SingularValues.of(a)),
                    headline ? 8.0 : Double.NaN,
                    true));
        }
        int n = quick ? 512 : 1024;
        INDArray a = gaussian(7, n, n);
        // One epoch's worth of training: a perturbation of 1% of the matrix's scale.
        INDArray perturbed = a.add(gaussian(8, n, n).muli(0.01));
        SequentialReluSpectrum cold = SequentialReluValues.compute(a, top32);
        SequentialReluOptions warm = top32.withWarmStart(cold.lockingOrder());
        report(new Result(
                "B2-" + n,
                "top-32 after a 1% perturbation, warm start / cold start",
                ratios(
                        () -> SequentialReluValues.compute(perturbed, warm),
                        () -> SequentialReluValues.compute(perturbed, top32)),
                0.3,
                true));
        MeanWidthOptions widths = MeanWidthOptions.builder().samples(64).build();
        report(new Result(
                "B3-" + n,
                "Gaussian mean widths N=64 / full SVD values",
                ratios(() -> MeanWidths.of(a, widths), () -> SingularValues.of(a)),
                1.0,
                true));
        flopRate(a, top32);
        peakMemory(a, top32);
    }

    /**
     * B4: the products with the operator each iteration costs ({@code 4 m n w} flops: {@code A X} and
     * {@code A^T U} for a window of w columns) at the search's iteration rate, over ND4J's GEMM rate on the same
     * shapes.
     */
    private void flopRate(INDArray a, SequentialReluOptions top32) {
        int width = top32.blockSize() + top32.spareStarts();
        long m = a.rows();
        long n = a.columns();
        INDArray x = gaussian(9, (int) n, width).dup('f');
        INDArray y = Nd4j.create(DataType.DOUBLE, new long[] {m, width}, 'f');
        int gemms = 50;
        double[] r = new double[runs];
        for (int i = -1; i < runs; i++) {
            double[] iterations = new double[1];
            double relu = seconds(
                    () -> iterations[0] = SequentialReluValues.compute(a, top32).iterations());
            double reluRate = iterations[0] * 4.0 * m * n * width / relu;
            double gemm = seconds(() -> {
                for (int k = 0; k < gemms; k++) {
                    Nd4j.gemm(a, x, y, false, false, 1.0, 0.0);
                }
            });
            double gemmRate = gemms * 2.0 * m * n * width / gemm;
            if (i >= 0) {
                r[i] = reluRate / gemmRate;
            }
        }
        report(new Result(
                "B4-" + m,
                "flop rate of the sequential ReLU search / ND4J GEMM rate, same shapes",
                Stats.of(r),
                0.5,
                false));
    }

    /** B7: peak heap growth plus peak off-heap (JavaCPP) growth during B1, over the matrix's own bytes. */
    private void peakMemory(INDArray a, SequentialReluOptions top32) {
        double matrixBytes = a.length() * 8.0;
        double[] r = new double[runs];
        for (int i = 0; i < runs; i++) {
            System.gc();
            long heap0 = usedHeap();
            long off0 = Pointer.totalBytes();
            long[] peak = {0, 0};
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peak[0] = Math.max(peak[0], usedHeap() - heap0);
                    peak[1] = Math.max(peak[1], Pointer.totalBytes() - off0);
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.setDaemon(true);
            sampler.start();
            SequentialReluValues.compute(a, top32);
            sampler.interrupt();
            r[i] = (Math.max(peak[0], 0) + Math.max(peak[1], 0)) / matrixBytes;
        }
        report(new Result(
                "B7-" + a.rows(), "peak extra memory (heap + off-heap) of B1 / matrix bytes", Stats.of(r), 4.0, true));
    }

    /**
     * B9: seconds of the ReLU basis of harmonic pruning per setting (the sequential values of both hidden layers
     * of a trained 784-512-512-10 MLP, at each layer's rank).
     */
    private void reluBasisTime() {
        List<DataSet> data = syntheticDigits(quick ? 3_000 : 8_000);
        MultiLayerNetwork net = mlp(42);
        net.fit(new ListDataSetIterator<>(data, 64), quick ? 1 : 3);
        java.util.Map<String, RankPolicy> settings = new java.util.LinkedHashMap<>();
        settings.put("energy0.50", RankPolicy.energy(0.5));
        settings.put("energy0.90", RankPolicy.energy(0.9));
        settings.put("budget0.25", RankPolicy.budget(0.25));
        for (var setting : settings.entrySet()) {
            RankPolicy policy = setting.getValue();
            PruningResult svd = HarmonicPruningTransform.builder()
                    .basis(Basis.SVD)
                    .policy(policy)
                    .build()
                    .transform(net);
            double[] now = new double[1];
            for (var layer : svd.report().layers()) {
                INDArray a = net.getLayer(layer.index())
                        .getParam("W")
                        .transpose()
                        .castTo(DataType.DOUBLE)
                        .dup('f');
                double[] sigma = SingularValues.of(a);
                now[0] += seconds(() -> SequentialReluValues.compute(
                        a,
                        sigma,
                        SequentialReluOptions.builder().topK(layer.rank()).build()));
            }
            String ranks = svd.report().layers().stream()
                    .map(l -> String.valueOf(l.rank()))
                    .collect(java.util.stream.Collectors.joining("/"));
            report(new Result(
                    "B9-" + setting.getKey(),
                    "seconds of the ReLU pruning basis (ranks " + ranks + ")",
                    Stats.of(now),
                    10.0,
                    true));
        }
    }

    /**
     * B10: a convolution analysed matrix-free against the same operator formed as a dense matrix, on LeNet's two
     * layers (1x28x28 -> 20x24x24 and 20x12x12 -> 50x8x8, 5x5 kernels, seeded Gaussian weights): one product
     * with a 24-column block (as the searches take them) and the top 8 classical values (block Krylov, certified
     * to 1e-6, against LAPACK on the formed matrix).
     */
    private void convolutionCost() {
        int[][] layers = {{1, 28, 20}, {20, 12, 50}};
        for (int[] l : layers) {
            int c = l[0];
            int h = l[1];
            int out = l[2];
            var geometry = new ConvolutionGeometry(c, h, h, out, h - 4, h - 4, 5, 5, 1, 1, 0, 0, 1, 1, false, false);
            Nd4j.getRandom().setSeed(5);
            var conv = new ConvolutionOperator(
                    Nd4j.randn(DataType.DOUBLE, out, c, 5, 5).divi(Math.sqrt(25.0 * c)), geometry);
            INDArray matrix =
                    conv.apply(Nd4j.eye(conv.columns()).castTo(DataType.DOUBLE).dup('f'));
            LinearOperator dense = LinearOperator.dense(matrix);
            INDArray block = gaussian(9, (int) conv.columns(), 24).dup('f');
            String id = conv.rows() + "x" + conv.columns();
            report(new Result(
                    "B10-product-" + id,
                    "A X (24 columns): convolution / GEMM with the formed matrix",
                    ratios(() -> conv.apply(block), () -> dense.apply(block)),
                    Double.NaN,
                    true));
            report(new Result(
                    "B10-top8-" + id,
                    "top-8 singular values: block Krylov on the convolution / LAPACK " + "on the formed matrix",
                    ratios(() -> SingularValues.top(conv, 8, 42), () -> SingularValues.of(matrix)),
                    Double.NaN,
                    true));
            double kernelBytes = conv.kernel().length() * 8.0;
            report(new Result(
                    "B10-bytes-" + id,
                    "bytes of the formed matrix / bytes of the kernel",
                    Stats.of(new double[] {matrix.length() * 8.0 / kernelBytes}),
                    Double.NaN,
                    true));
        }
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static MultiLayerNetwork mlp(long seed) {
        return mlp(seed, 512);
    }

    /** 784-hidden-hidden-10 with ReLU, Adam 1e-3. */
    private static MultiLayerNetwork mlp(long seed, int hidden) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(1e-3))
                .weightInit(WeightInit.RELU)
                .list()
                .layer(new DenseLayer.Builder()
                        .nIn(784)
                        .nOut(hidden)
                        .activation(Activation.RELU)
                        .build())
                .layer(new DenseLayer.Builder()
                        .nIn(hidden)
                        .nOut(hidden)
                        .activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(hidden)
                        .nOut(10)
                        .activation(Activation.SOFTMAX)
                        .build())
                .build());
        net.init();
        return net;
    }

    /** Seeded MNIST-shaped data: 784 features in [0, 1] around 10 class prototypes. */
    private static List<DataSet> syntheticDigits(int samples) {
        Nd4j.getRandom().setSeed(11);
        INDArray prototypes = Nd4j.rand(DataType.FLOAT, 10, 784);
        INDArray features = Nd4j.create(DataType.FLOAT, samples, 784);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, samples, 10);
        INDArray noise = Nd4j.rand(DataType.FLOAT, samples, 784);
        for (int i = 0; i < samples; i++) {
            int c = i % 10;
            features.getRow(i)
                    .assign(prototypes.getRow(c).mul(0.6).addi(noise.getRow(i).mul(0.4)));
            labels.putScalar(i, c, 1);
        }
        return new DataSet(features, labels).asList();
    }

    /** B5: analysis time per epoch over training time per epoch, default listener, synchronous. */
    private void listenerOverhead() {
        int samples = quick ? 6_000 : 60_000;
        int epochs = quick ? 3 : 4;
        List<DataSet> data = syntheticDigits(samples);
        MultiLayerNetwork net = mlp(42);
        ReluSpectraListener listener = ReluSpectraListener.builder().build();
        EpochTimer timer = new EpochTimer();
        net.setListeners(timer, listener);
        for (int e = 0; e < epochs; e++) {
            net.fit(new ListDataSetIterator<>(data, 64));
        }
        List<EpochSpectra> history = listener.history();
        double[] r = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            r[e] = history.get(e).seconds() / timer.seconds.get(e);
        }
        report(new Result(
                "B5",
                "listener analysis / training time per " + samples + "-sample epoch (784-512-512-10)",
                Stats.of(r),
                0.05,
                true));
    }

    /** B5-budget: B5's setting with {@code costBudget(0.05)}: the listener's time over the whole run's training. */
    private void listenerOverheadWithBudget() {
        int samples = quick ? 6_000 : 60_000;
        int epochs = quick ? 6 : 8;
        List<DataSet> data = syntheticDigits(samples);
        MultiLayerNetwork net = mlp(42);
        ReluSpectraListener listener =
                ReluSpectraListener.builder().costBudget(0.05).build();
        EpochTimer timer = new EpochTimer();
        net.setListeners(timer, listener);
        double[] listenerSeconds = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            double wall = seconds(() -> net.fit(new ListDataSetIterator<>(data, 64)));
            listenerSeconds[e] = wall - timer.seconds.get(e);
        }
        double[] runningShare = runningShares(listenerSeconds, timer.seconds);
        long skipped =
                listener.history().stream().mapToLong(h -> h.skipped().size()).sum();
        report(new Result(
                "B5-budget",
                String.format(
                        Locale.ROOT,
                        "the same with costBudget(0.05): listener / "
                                + "training time over the first 4..%d epochs (%d layer parts skipped in all)",
                        epochs,
                        skipped),
                Stats.of(java.util.Arrays.copyOfRange(runningShare, 3, epochs)),
                0.25,
                true));
    }

    /** Per epoch e: the listeners' seconds over the training seconds of epochs 0..e. */
    private static double[] runningShares(double[] listenerSeconds, List<Double> trainingSeconds) {
        double[] share = new double[listenerSeconds.length];
        double listeners = 0;
        double training = 0;
        for (int e = 0; e < share.length; e++) {
            listeners += listenerSeconds[e];
            training += trainingSeconds.get(e);
            share[e] = listeners / training;
        }
        return share;
    }

    /**
     * B11: both listeners as the README sets them up (values over 2,000 training inputs, the separation measures
     * on 2,000 held-out samples with the residual fitted on 500), each with {@code costBudget(0.05)}, on an MLP
     * 784-512-512-10 with epochs of 56,000 MNIST-shaped samples (minibatch 64, Adam 1e-3). A plain network of the
     * same shape, trained alternately in this JVM, gives the training time; the listeners' time is the watched
     * epoch's wall time less its training time (data passes included).
     */
    private void bothListenersWithBudget() {
        int samples = quick ? 8_000 : 56_000;
        int epochs = quick ? 4 : 8;
        List<DataSet> data = syntheticDigits(samples);
        List<DataSet> heldOut = data.subList(0, 2_000);
        MultiLayerNetwork plain = mlp(42);
        MultiLayerNetwork watched = mlp(42);
        ReluSpectraListener spectra = ReluSpectraListener.builder()
                .topK(16)
                .data(new ListDataSetIterator<>(data, 64), 2_000)
                .costBudget(0.05)
                .build();
        SeparationListener separation = SeparationListener.builder(new ListDataSetIterator<>(heldOut, 256))
                .fitData(new ListDataSetIterator<>(data, 64), 500)
                .costBudget(0.05)
                .build();
        EpochTimer watchedTimer = new EpochTimer();
        watched.setListeners(watchedTimer, spectra, separation);
        double[] listenerSeconds = new double[epochs];
        List<Double> plainSeconds = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            plainSeconds.add(seconds(() -> plain.fit(new ListDataSetIterator<>(data, 64))));
            double wall = seconds(() -> watched.fit(new ListDataSetIterator<>(data, 64)));
            listenerSeconds[e] = wall - watchedTimer.seconds.get(e);
        }
        double[] runningShare = runningShares(listenerSeconds, plainSeconds);
        long skipped =
                spectra.history().stream().mapToLong(h -> h.skipped().size()).sum()
                        + separation.history().stream()
                                .mapToLong(h -> h.skipped().size())
                                .sum();
        long withValuesOverData = spectra.history().stream()
                .filter(h -> h.layers().stream().anyMatch(l -> l.overData() != null))
                .count();
        report(new Result(
                "B11",
                String.format(
                        Locale.ROOT,
                        "both listeners (README setup, costBudget(0.05) each) / "
                                + "plain training, %d-sample epochs, 784-512-512-10, over the first 4..%d epochs (%d parts skipped, "
                                + "values over data in %d of %d epochs)",
                        samples,
                        epochs,
                        skipped,
                        withValuesOverData,
                        epochs),
                Stats.of(java.util.Arrays.copyOfRange(runningShare, 3, epochs)),
                0.10,
                true));
        System.out.println("B11 per epoch: listeners " + java.util.Arrays.toString(listenerSeconds) + " s, plain "
                + plainSeconds + " s");
    }

    /** Training time of each epoch, ending before the listeners after it run. */
    private static final class EpochTimer extends BaseTrainingListener {
        final List<Double> seconds = new ArrayList<>();
        long start;

        @Override
        public void onEpochStart(Model model) {
            start = System.nanoTime();
        }

        @Override
        public void onEpochEnd(Model model) {
            seconds.add((System.nanoTime() - start) / 1e9);
        }
    }

    /**
     * B6: inference throughput of the MLP pruned at budget 0.25 (4x fewer hidden weights), SVD basis and fitted
     * over 2,000 training inputs, over the original's.
     */
    private void prunedThroughput() {
        List<DataSet> data = syntheticDigits(quick ? 3_000 : 8_000);
        MultiLayerNetwork net = mlp(42);
        net.fit(new ListDataSetIterator<>(data, 64), quick ? 1 : 3);
        INDArray fitInputs = DataSet.merge(data.subList(0, 2_000)).getFeatures();
        INDArray all = DataSet.merge(data.subList(0, 256)).getFeatures();
        INDArray one = all.get(NDArrayIndex.interval(0, 1), NDArrayIndex.all()).dup();
        for (Basis basis : new Basis[] {Basis.SVD, Basis.FITTED}) {
            PruningResult pruned = HarmonicPruningTransform.builder()
                    .basis(basis)
                    .budget(0.25)
                    .data(fitInputs)
                    .build()
                    .transform(net);
            for (int batch : new int[] {1, 256}) {
                INDArray x = batch == 1 ? one : all;
                int reps = batch == 1 ? 400 : 20;
                Supplier<Runnable> original = () -> () -> repeat(net, x, reps);
                Stats s = ratios(original.get(), () -> repeat(pruned.network(), x, reps));
                // ratios() gives original time / pruned time: the throughput ratio
                report(new Result(
                        "B6-" + basis.name().toLowerCase(Locale.ROOT) + "-batch" + batch,
                        String.format(
                                Locale.ROOT,
                                "throughput pruned (%s, budget 0.25, %.2fx fewer weights) / " + "original at batch %d",
                                basis,
                                pruned.report().compression(),
                                batch),
                        s,
                        2.0,
                        false));
            }
        }
        wideThroughput();
    }

    /**
     * B6-wide: the same at hidden width 4096 (784-4096-4096-10, SVD basis, budget 0.25), where the products with
     * the hidden layers outweigh ND4J's fixed cost per layer; trained one short epoch (its spectrum, not its
     * accuracy, decides the ranks, and the throughput does not depend on either).
     */
    private void wideThroughput() {
        List<DataSet> data = syntheticDigits(quick ? 1_000 : 2_000);
        MultiLayerNetwork net = mlp(42, 4096);
        net.fit(new ListDataSetIterator<>(data, 64), 1);
        INDArray all = DataSet.merge(data.subList(0, 256)).getFeatures();
        INDArray one = all.get(NDArrayIndex.interval(0, 1), NDArrayIndex.all()).dup();
        PruningResult pruned = HarmonicPruningTransform.builder()
                .basis(Basis.SVD)
                .budget(0.25)
                .build()
                .transform(net);
        for (int batch : new int[] {1, 256}) {
            INDArray x = batch == 1 ? one : all;
            int reps = batch == 1 ? 100 : 5;
            Stats s = ratios(() -> repeat(net, x, reps), () -> repeat(pruned.network(), x, reps));
            report(new Result(
                    "B6-wide-batch" + batch,
                    String.format(
                            Locale.ROOT,
                            "throughput pruned (SVD, budget "
                                    + "0.25, %.2fx fewer weights) / original at batch %d, 784-4096-4096-10",
                            pruned.report().compression(),
                            batch),
                    s,
                    2.0,
                    false));
        }
    }

    /**
     * B8: the rank ladder 0..64 of the ReLU singular values over data of a 256 x 784 ReLU layer on 2,000 inputs,
     * cold and warm-started from the previous epoch's fit, over one training epoch of the demo's MLP
     * (784-256-256-10, minibatch 64) on 8,000 MNIST-shaped digits; each run one more epoch of training.
     */
    private void ladderCost() {
        List<DataSet> data = syntheticDigits(8_000);
        MultiLayerNetwork net = mlp(42, 256);
        INDArray inputs = DataSet.merge(data.subList(0, 2_000)).getFeatures().castTo(DataType.DOUBLE);
        ReluFitOptions options = ReluFitOptions.builder().build();
        ReluValuesOverData previous = null;
        double[] cold = new double[runs];
        double[] warm = new double[runs];
        for (int i = -1; i < runs; i++) {
            double epoch = seconds(() -> net.fit(new ListDataSetIterator<>(data, 64)));
            INDArray a = net.getLayer(0)
                    .getParam("W")
                    .transpose()
                    .castTo(DataType.DOUBLE)
                    .dup();
            INDArray b = net.getLayer(0)
                    .getParam("b")
                    .reshape(-1)
                    .castTo(DataType.DOUBLE)
                    .dup();
            ReluValuesOverData[] fit = new ReluValuesOverData[1];
            double coldSeconds = seconds(() -> fit[0] = ReluSingularValues.compute(a, b, inputs, options));
            ReluValuesOverData from = previous;
            double warmSeconds = from == null
                    ? Double.NaN
                    : seconds(() -> ReluSingularValues.compute(a, b, inputs, options.withWarmStart(from)));
            previous = fit[0];
            if (i >= 0) {
                cold[i] = coldSeconds / epoch;
                warm[i] = warmSeconds / epoch;
            }
        }
        report(new Result(
                "B8-cold",
                "ReLU singular values over data, ranks 0..64, 256x784 layer, 2,000 inputs, cold / "
                        + "one training epoch (784-256-256-10, 8,000 digits)",
                Stats.of(cold),
                1.0,
                true));
        report(new Result(
                "B8-warm",
                "the same ladder warm-started from the previous epoch's fit / one training epoch",
                Stats.of(warm),
                0.2,
                true));
    }

    private static void repeat(MultiLayerNetwork net, INDArray x, int reps) {
        for (int i = 0; i < reps; i++) {
            net.output(x);
        }
    }

    private void write(Path out, double seconds, boolean groupsApart) throws IOException {
        StringBuilder b = new StringBuilder("# Benchmark results\n\n");
        Runtime rt = Runtime.getRuntime();
        b.append(String.format(
                Locale.ROOT,
                "Machine: %d cores, %.1f GiB physical memory, max heap %.1f GiB; JVM %s %s; "
                        + "mode %s (%d measured runs per figure%s); total %.0f s; OMP_WAIT_POLICY=%s.%n%n",
                rt.availableProcessors(),
                physicalMemory() / 1073741824.0,
                rt.maxMemory() / 1073741824.0,
                System.getProperty("java.vm.name"),
                System.getProperty("java.version"),
                quick ? "--quick" : "full",
                runs,
                groupsApart ? ", each group in a JVM of its own" : "",
                seconds,
                System.getenv().getOrDefault("OMP_WAIT_POLICY", "unset")));
        b.append(
                "| id | figure | median | min | max | goal | verdict |\n| --- | --- | --- | --- | --- | --- | --- |\n");
        for (Result r : results) {
            b.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %.4f | %.4f | %.4f | %s | %s |%n",
                    r.id(),
                    r.description(),
                    r.stats().median(),
                    r.stats().min(),
                    r.stats().max(),
                    r.goalText(),
                    r.verdict()));
        }
        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.writeString(out, b.toString(), StandardCharsets.UTF_8);
        System.out.println("wrote " + out);
    }

    private static long physicalMemory() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getTotalMemorySize() : -1;
    }
}
