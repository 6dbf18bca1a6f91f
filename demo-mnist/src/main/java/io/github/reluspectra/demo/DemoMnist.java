package io.github.reluspectra.demo;

import io.github.reluspectra.cli.Cli;
import io.github.reluspectra.cli.InputException;
import io.github.reluspectra.cli.ThreadPolicy;
import io.github.reluspectra.cli.ToolVersion;
import io.github.reluspectra.demo.report.ConsoleSummary;
import io.github.reluspectra.demo.report.LenetReport;
import io.github.reluspectra.demo.report.ReportWriter;
import io.github.reluspectra.demo.results.DemoConfig;
import io.github.reluspectra.demo.results.DemoResult;
import io.github.reluspectra.demo.results.LenetResult;
import io.github.reluspectra.io.Messages;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The demo's command line: trains, watches, prunes and reports on MNIST. */
@Command(
        name = "demo-mnist",
        mixinStandardHelpOptions = true,
        versionProvider = ToolVersion.class,
        sortOptions = false,
        description = {
            "Trains a ReLU MLP on MNIST while ReluSpectraListener and SeparationListener watch it, trains "
                    + "the double-layer graph with the same parameter count beside it, prunes the MLP (harmonic "
                    + "pruning in the SVD and ReLU basis, fitted pruning over data, the whitened SVD and ASVD baselines, "
                    + "magnitude pruning) and writes a report.",
            "With --model lenet it trains a LeNet CNN instead, watched by both listeners, and reports the "
                    + "spectra of its convolution layers beside the pooled kernel-slice spectrum.",
            "Without options it uses the 8,000/2,000 MNIST digits bundled in the jar and needs no network."
        })
public final class DemoMnist implements Callable<Integer> {

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "MNIST-format IDX files (gzipped or not) "
                    + "named like the originals: train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, "
                    + "t10k-labels-idx1-ubyte; any 28x28, 10-class dataset in that format works.")
    private Path dataDir;

    @Option(
            names = "--full",
            description =
                    "Use DL4J's MNIST iterator, which downloads the full 60,000/10,000 set " + "(needs the network).")
    private boolean full;

    /** The demo's networks. */
    enum Network {
        mlp,
        lenet
    }

    @Option(
            names = "--model",
            paramLabel = "mlp|lenet",
            description = "mlp: the ReLU MLP beside the double-layer "
                    + "graph, then the pruning sweep (default); lenet: a LeNet CNN (conv 5x5x20, max pool, conv 5x5x50, max "
                    + "pool, dense 500, output) and the spectra of its convolutions (--hidden, --energies and --budgets do "
                    + "not apply).")
    private Network model = Network.mlp;

    @Option(
            names = "--epochs",
            paramLabel = "N",
            description = "Training epochs (default: " + DemoConfig.DEFAULT_EPOCHS + " for the MLP, "
                    + LenetRun.DEFAULT_EPOCHS + " for LeNet).")
    private Integer epochs;

    @Option(
            names = "--hidden",
            paramLabel = "W,W,...",
            split = ",",
            description = "Hidden ReLU layer widths " + "(default: 256,256).")
    private List<Integer> hidden = DemoConfig.DEFAULT_HIDDEN;

    @Option(
            names = "--seed",
            paramLabel = "S",
            description = "Seed of weights, shuffling and analyses (default: " + "${DEFAULT-VALUE}).")
    private long seed = 42;

    /** The MLP run's report directory; the LeNet run has its own, so that neither overwrites the other. */
    static final Path MLP_REPORT = Path.of("demo-report");

    static final Path LENET_REPORT = Path.of("demo-report-lenet");

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "Report directory (default: demo-report, " + "demo-report-lenet with --model lenet).")
    private Path out;

    @Option(
            names = "--energies",
            paramLabel = "E,E,...",
            split = ",",
            description = "Energy settings of the " + "pruning sweep, each in (0, 1] (default: 0.5,0.7,0.9).")
    private List<Double> energies = DemoConfig.DEFAULT_ENERGIES;

    @Option(
            names = "--budgets",
            paramLabel = "F,F,...",
            split = ",",
            description =
                    "Global budgets (fractions of " + "the hidden weights kept) of the pruning sweep (default: 0.25).")
    private List<Double> budgets = DemoConfig.DEFAULT_BUDGETS;

    @Option(
            names = "--train-samples",
            paramLabel = "N",
            description = "Use only the first N training digits " + "(default: all).")
    private int trainSamples;

    @Option(
            names = "--test-samples",
            paramLabel = "N",
            description = "Use only the first N test digits " + "(default: all).")
    private int testSamples;

    @Option(
            names = "--ui",
            description = "Start DL4J's training UI (port 9000, or -Dorg.deeplearning4j.ui.port=P) "
                    + "and show the listeners' records on its ReLU spectra page (http://localhost:9000/relu-spectra) as "
                    + "epochs end; the page stays up after the run until you stop the demo.")
    private boolean ui;

    @Option(names = "--verbose", description = "Print stack traces of errors.")
    private boolean verbose;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (full && dataDir != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--full and --data-dir exclude each other");
        }
        if (model == Network.lenet) {
            for (String unused : List.of("--hidden", "--energies", "--budgets")) {
                if (spec.commandLine().getParseResult().hasMatchedOption(unused)) {
                    throw new CommandLine.ParameterException(
                            spec.commandLine(),
                            unused + " does not apply to "
                                    + "--model lenet (its layers and its pruning, budget " + LenetRun.PRUNING_BUDGET
                                    + " with the fitted "
                                    + "basis and the whitened SVD, are fixed)");
                }
            }
        }
        if (out == null) {
            out = model == Network.lenet ? LENET_REPORT : MLP_REPORT;
        }
        DemoConfig config;
        try {
            DemoConfig.DataSource source = full
                    ? new DemoConfig.DataSource.Full()
                    : dataDir != null ? new DemoConfig.DataSource.Directory(dataDir) : DemoConfig.DataSource.bundled();
            int epochCount = epochs != null
                    ? epochs
                    : model == Network.lenet ? LenetRun.DEFAULT_EPOCHS : DemoConfig.DEFAULT_EPOCHS;
            config = new DemoConfig(
                    source,
                    epochCount,
                    hidden,
                    seed,
                    out,
                    trainSamples,
                    testSamples,
                    64,
                    16,
                    energies,
                    budgets,
                    DemoConfig.DEFAULT_FINE_TUNE_RATE);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--out " + out + " is a file; give a directory");
        }
        PrintWriter stdout = spec.commandLine().getOut();
        DemoUi dl4jUi = ui ? DemoUi.start(stdout) : null;
        ExtraSinks extra = dl4jUi == null ? ExtraSinks.none() : dl4jUi.sinks("demo-mnist-" + model + "-seed" + seed);
        try {
            if (model == Network.lenet) {
                LenetResult result = new LenetRun(config, extra).run();
                stdout.print(ConsoleSummary.text(result, LenetReport.write(result)));
            } else {
                DemoResult result = new DemoRun(config, extra).run();
                stdout.print(ConsoleSummary.text(result, ReportWriter.write(result)));
            }
        } catch (IOException e) {
            throw new InputException("--out " + out + ": " + Messages.reason(e), e);
        }
        stdout.flush();
        if (dl4jUi != null) {
            dl4jUi.serveUntilInterrupted(stdout);
        }
        return 0;
    }

    public static void main(String[] args) {
        int relaunched = ThreadPolicy.relaunchIfNeeded(DemoMnist.class, args);
        System.exit(relaunched >= 0 ? relaunched : run(args));
    }

    static int run(String[] args) {
        DemoMnist command = new DemoMnist();
        return Cli.execute(
                new CommandLine(command),
                args,
                new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8),
                () -> command.verbose);
    }
}
