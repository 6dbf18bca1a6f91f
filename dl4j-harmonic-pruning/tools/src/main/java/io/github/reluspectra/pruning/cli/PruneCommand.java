package io.github.reluspectra.pruning.cli;

import io.github.reluspectra.cli.DataFiles;
import io.github.reluspectra.cli.ExitCodes;
import io.github.reluspectra.cli.InputException;
import io.github.reluspectra.cli.MatrixCsv;
import io.github.reluspectra.cli.ModelFiles;
import io.github.reluspectra.cli.RunFiles;
import io.github.reluspectra.data.IdxMnist;
import io.github.reluspectra.io.AtomicFiles;
import io.github.reluspectra.network.Networks;
import io.github.reluspectra.pruning.Basis;
import io.github.reluspectra.pruning.FineTuning;
import io.github.reluspectra.pruning.FitTarget;
import io.github.reluspectra.pruning.HarmonicPruningTransform;
import io.github.reluspectra.pruning.PruningResult;
import io.github.reluspectra.pruning.RankAllocation;
import io.github.reluspectra.pruning.RankPolicy;
import io.github.reluspectra.pruning.report.PruningDocument;
import io.github.reluspectra.report.Json;
import io.github.reluspectra.results.Provenance;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code prune}: rewrite a saved MultiLayerNetwork with harmonic pruning; the input file is only read. */
@Command(
        name = "prune",
        mixinStandardHelpOptions = true,
        description = "Keep the leading harmonics of each hidden dense layer and 2D convolution of a saved "
                + "MultiLayerNetwork, or replace it by a low-rank layer fitted through its ReLU over training data "
                + "(a convolution: a convolution to r channels, then a 1x1 one; fitted on its input patches).")
public final class PruneCommand implements Callable<Integer> {

    static final class Policy {
        @Option(names = "--energy", paramLabel = "E", description = "keep this fraction (0, 1] of each layer's energy")
        Double energy;

        @Option(names = "--rank", paramLabel = "R", description = "keep R harmonics per layer")
        Integer rank;

        @Option(
                names = "--budget",
                paramLabel = "F",
                description = "keep this fraction (0, 1] of the pruned layers' weights (dense and convolution kernels)")
        Double budget;

        @Option(
                names = "--tolerance",
                paramLabel = "T",
                description = "fitted basis: per layer the smallest rank with s_k,X <= T s_0,X, T in (0, 1)")
        Double tolerance;
    }

    private static final String IMAGES = "t10k-images-idx3-ubyte";
    private static final String LABELS = "t10k-labels-idx1-ubyte";
    private static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    private static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    /** Fine-tuning's minibatch: the demo's training batch. */
    private static final int FINE_TUNE_BATCH = 64;
    /** Adam at the training rate takes large first steps from a fresh updater state (see FineTuning). */
    private static final double DEFAULT_FINE_TUNE_RATE = 3e-4;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "IN.zip", description = "the model to prune (read only)")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "OUT.zip", description = "where the pruned model goes")
    Path out;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Policy policy;

    @Option(
            names = "--basis",
            paramLabel = "svd|relu|fitted|whitened|activation-scaled",
            defaultValue = "svd",
            description = "right singular vectors, sequential ReLU singular vectors, the rank-r layer fitted "
                    + "through the ReLU over --data (from the whitened SVD, layer by layer), or the closed-form "
                    + "baselines over --data: whitened SVD (DRONE, "
                    + "SVD-LLM) and activation-scaled SVD (ASVD) (default: ${DEFAULT-VALUE})")
    String basis;

    @Mixin
    DataFiles data;

    @Option(
            names = "--allocation",
            paramLabel = "values|energy|uniform",
            description = "with --budget: share the weights among the layers from the values over data (the "
                    + "default of the bases fitted on data), by singular-value energy (the default of the others) "
                    + "or as one rank for all")
    String allocation;

    @Option(
            names = "--fit-target",
            paramLabel = "logits|layer",
            description = "with --basis fitted: what the layer before the output layer is fitted to, the logits the "
                    + "output layer computes from it (the default) or its own outputs, as every other layer")
    String fitTarget;

    @Option(names = "--include-output", description = "prune the output layer too")
    boolean includeOutput;

    @Option(names = "--keep-convolutions", description = "leave the convolutions as they are (pruned by default)")
    boolean keepConvolutions;

    @Option(
            names = "--eval-data",
            paramLabel = "DIR",
            description = "MNIST-format IDX files (t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]) "
                    + "to report test accuracy before and after")
    Path evalData;

    @Option(
            names = "--fine-tune",
            paramLabel = "DIR|XY.csv",
            description = "fine-tune the pruned network on labelled training data: MNIST-format IDX files "
                    + "(train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz]) or a CSV with one input per line "
                    + "and its class (0, 1, ...) as the last column")
    Path fineTune;

    @Option(names = "--fine-tune-epochs", paramLabel = "N", description = "epochs of fine-tuning (default 1)")
    Integer fineTuneEpochs;

    @Option(
            names = "--fine-tune-rate",
            paramLabel = "R",
            description = "learning rate of fine-tuning (default 3e-4: the pruned network starts a fresh updater)")
    Double fineTuneRate;

    @Option(names = "--force", description = "replace OUT if it exists")
    boolean force;

    @Option(names = "--json", paramLabel = "REPORT|-", description = "write the report as JSON to REPORT or stdout")
    String json;

    /**
     * Checks everything that can be checked, computes everything (pruned model, accuracies, report), and only
     * then writes: both outputs to temporary files first, then renamed into place, so a failed run leaves
     * neither behind.
     */
    @Override
    public Integer call() throws IOException {
        RankPolicy rankPolicy = rankPolicy();
        Basis chosenBasis = switch (basis.toLowerCase(Locale.ROOT)) {
            case "svd" -> Basis.SVD;
            case "relu" -> Basis.RELU;
            case "fitted" -> Basis.FITTED;
            case "whitened" -> Basis.WHITENED;
            case "activation-scaled" -> Basis.ACTIVATION_SCALED;
            default ->
                throw usage("--basis must be svd, relu, fitted, whitened or activation-scaled, got '" + basis + "'");
        };
        if (chosenBasis.needsData() && data.path() == null) {
            throw usage("--basis " + basis.toLowerCase(Locale.ROOT) + " needs --data: the layers are fitted on "
                    + "training inputs");
        }
        if (!chosenBasis.needsData() && data.path() != null) {
            throw usage("--data is read by --basis fitted, whitened and activation-scaled only; the "
                    + chosenBasis.name().toLowerCase(Locale.ROOT) + " basis needs no data");
        }
        if (rankPolicy instanceof RankPolicy.Tolerance && chosenBasis != Basis.FITTED) {
            throw usage("--tolerance chooses ranks for --basis fitted only");
        }
        if (allocation != null) {
            rankPolicy = RankPolicy.budget(requireBudget(), allocation(chosenBasis));
        }
        FitTarget target = fitTarget(chosenBasis);
        checkFineTuneOptions();
        data.validate(spec);
        Path jsonFile = json == null || json.equals("-") ? null : Path.of(json);
        RunFiles files =
                RunFiles.of(spec).input("--model", model).output("--out", out).output("--json", jsonFile);
        if (evalData != null) {
            files.input("--eval-data", evalFile(IMAGES)).input("--eval-data", evalFile(LABELS));
        }
        data.files().forEach(file -> files.input("--data", file));
        fineTuneFiles().forEach(file -> files.input("--fine-tune", file));
        files.check();
        if (Files.exists(out) && !force) {
            throw usage(out + " exists; pass --force to replace it");
        }
        ModelFiles.Model restored = ModelFiles.read(model);
        if (restored.multiLayer() == null) {
            throw new InputException(model + " is a ComputationGraph; prune supports MultiLayerNetwork models");
        }
        MultiLayerNetwork original = restored.multiLayer();
        DataSet test = evalData == null ? null : readEvalData(original);
        DataSet tuning = fineTune == null ? null : readFineTuneData(original);
        INDArray inputs = chosenBasis.needsData() ? data.read() : null;
        if (inputs != null && inputs.columns() != Networks.inputSize(original)) {
            throw new InputException("--data " + data.path() + " has " + inputs.columns()
                    + " values per input, but the " + "model takes " + Networks.inputSize(original));
        }
        HarmonicPruningTransform transform = HarmonicPruningTransform.builder()
                .basis(chosenBasis)
                .policy(rankPolicy)
                .data(inputs)
                .fitTarget(target)
                .includeOutput(includeOutput)
                .convolutions(!keepConvolutions)
                .build();
        PruningResult result;
        try {
            result = transform.transform(original);
        } catch (IllegalArgumentException e) {
            boolean onlyOutput = e.getMessage() != null
                    && e.getMessage().startsWith(HarmonicPruningTransform.NOTHING_TO_PRUNE)
                    && !includeOutput;
            throw new InputException(model + ": " + e.getMessage() + (onlyOutput ? " (--include-output)" : ""), e);
        }
        Double before = test == null ? null : accuracy(original, test);
        Double after = test == null ? null : accuracy(result.network(), test);
        Double tuned = null;
        if (tuning != null) {
            FineTuning.fineTune(result, new ListDataSetIterator<>(tuning.asList(), FINE_TUNE_BATCH), epochs(), rate());
            tuned = test == null ? null : accuracy(result.network(), test);
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("pruning", transform.toString());
        settings.put("model", model.getFileName().toString());
        if (inputs != null) {
            settings.put("dataSamples", inputs.rows());
        }
        if (tuning != null) {
            settings.put("fineTuneSamples", tuning.numExamples());
            settings.put("fineTuneEpochs", epochs());
            settings.put("fineTuneRate", rate());
            settings.put("fineTuneBatch", FINE_TUNE_BATCH);
        }
        String report = json == null
                ? null
                : Json.pretty(PruningDocument.of(
                        Provenance.of(null, settings),
                        result.report(),
                        before,
                        after,
                        tuned,
                        test == null ? 0 : test.numExamples()));
        write(result.network(), jsonFile == null ? null : report);
        // With --json - standard output carries the JSON alone; the table goes to standard error.
        PrintWriter table = report != null && jsonFile == null
                ? spec.commandLine().getErr()
                : spec.commandLine().getOut();
        table.print(PruningDocument.table(result.report()));
        if (test != null) {
            table.printf(
                    Locale.ROOT,
                    "test accuracy on %d samples: %.4f before, %.4f after%s%n",
                    test.numExamples(),
                    before,
                    after,
                    tuned == null
                            ? ""
                            : String.format(
                                    Locale.ROOT,
                                    ", %.4f after %d epoch(s) of " + "fine-tuning at %.1e on %d samples",
                                    tuned,
                                    epochs(),
                                    rate(),
                                    tuning.numExamples()));
        } else if (tuning != null) {
            table.printf(
                    Locale.ROOT,
                    "fine-tuned %d epoch(s) at %.1e on %d samples (no --eval-data: no accuracy)%n",
                    epochs(),
                    rate(),
                    tuning.numExamples());
        }
        table.println("wrote " + out);
        table.flush();
        if (report != null && jsonFile == null) {
            spec.commandLine().getOut().println(report);
            spec.commandLine().getOut().flush();
        }
        return ExitCodes.OK;
    }

    /**
     * Both outputs complete in temporary files, then renamed as one step (a shutdown does not come between
     * them); a rename that fails takes back the other.
     */
    private void write(MultiLayerNetwork pruned, String report) {
        Path jsonFile = report == null ? null : Path.of(json);
        try (AtomicFiles.Staged staged =
                        AtomicFiles.stage(out, tmp -> ModelSerializer.writeModel(pruned, tmp.toFile(), false));
                AtomicFiles.Staged reportFile = report == null
                        ? null
                        : AtomicFiles.stage(jsonFile, tmp -> Files.writeString(tmp, report, StandardCharsets.UTF_8))) {
            AtomicFiles.publishing(() -> {
                try {
                    staged.publish(force);
                } catch (FileAlreadyExistsException e) {
                    throw usage(out + " appeared while this run was working (another run?); pass --force to "
                            + "replace it");
                }
                if (reportFile != null) {
                    try {
                        reportFile.publish(true);
                    } catch (IOException e) {
                        staged.retract();
                        throw e;
                    }
                }
            });
        } catch (IOException e) {
            throw new InputException(e.getMessage(), e);
        }
    }

    private RankPolicy rankPolicy() {
        if (policy.rank != null) {
            if (policy.rank < 1) {
                throw usage("--rank must be at least 1, got " + policy.rank);
            }
            return RankPolicy.rank(policy.rank);
        }
        if (policy.energy != null) {
            if (!(policy.energy > 0 && policy.energy <= 1)) {
                throw usage("--energy must be in (0, 1], got " + policy.energy);
            }
            return RankPolicy.energy(policy.energy);
        }
        if (policy.tolerance != null) {
            if (!(policy.tolerance > 0 && policy.tolerance < 1)) {
                throw usage("--tolerance must be in (0, 1), got " + policy.tolerance);
            }
            return RankPolicy.tolerance(policy.tolerance);
        }
        if (!(policy.budget > 0 && policy.budget <= 1)) {
            throw usage("--budget must be in (0, 1], got " + policy.budget);
        }
        return RankPolicy.budget(policy.budget);
    }

    private double requireBudget() {
        if (policy.budget == null) {
            throw usage("--allocation shares a --budget among the layers; it needs --budget");
        }
        return policy.budget;
    }

    private RankAllocation allocation(Basis chosen) {
        return switch (allocation.toLowerCase(Locale.ROOT)) {
            case "energy" -> RankAllocation.ENERGY;
            case "uniform" -> RankAllocation.UNIFORM;
            case "values" -> {
                if (!chosen.needsData()) {
                    throw usage("--allocation values reads the values over data: it needs --basis fitted, whitened "
                            + "or activation-scaled");
                }
                yield RankAllocation.VALUES_OVER_DATA;
            }
            default -> throw usage("--allocation must be values, energy or uniform, got '" + allocation + "'");
        };
    }

    private FitTarget fitTarget(Basis chosen) {
        if (fitTarget == null) {
            return FitTarget.LOGITS;
        }
        if (chosen != Basis.FITTED) {
            throw usage("--fit-target says what --basis fitted fits; the "
                    + chosen.name().toLowerCase(Locale.ROOT) + " basis fits nothing");
        }
        return switch (fitTarget.toLowerCase(Locale.ROOT)) {
            case "logits" -> FitTarget.LOGITS;
            case "layer" -> FitTarget.LAYER_OUTPUTS;
            default -> throw usage("--fit-target must be logits or layer, got '" + fitTarget + "'");
        };
    }

    private Path evalFile(String name) {
        if (Files.exists(evalData) && !Files.isDirectory(evalData)) {
            throw new InputException("--eval-data " + evalData + " is a file; give the directory that holds " + IMAGES
                    + "[.gz] and " + LABELS + "[.gz]");
        }
        try {
            return IdxMnist.find(evalData, name);
        } catch (IOException e) {
            throw new InputException("--eval-data: " + e.getMessage(), e);
        }
    }

    /** The test images and labels, refused unless they fit the model's input and output widths. */
    private DataSet readEvalData(MultiLayerNetwork net) {
        DataSet test;
        try {
            test = IdxMnist.read(evalFile(IMAGES), evalFile(LABELS));
        } catch (IOException e) {
            throw new InputException("--eval-data: " + e.getMessage(), e);
        }
        long inputs = Networks.inputSize(net);
        long outputs = net.layerSize(net.getnLayers() - 1);
        if (test.getFeatures().columns() != inputs) {
            throw new InputException("--eval-data " + evalData + ": images have "
                    + test.getFeatures().columns() + " pixels but the model takes " + inputs + " inputs");
        }
        if (outputs != test.getLabels().columns()) {
            throw new InputException("--eval-data " + evalData + ": labels have "
                    + test.getLabels().columns() + " classes but the model has " + outputs + " outputs");
        }
        return test;
    }

    private void checkFineTuneOptions() {
        if (fineTune == null && (fineTuneEpochs != null || fineTuneRate != null)) {
            throw usage("--fine-tune-epochs and --fine-tune-rate set the fine-tuning of --fine-tune DIR|XY.csv; "
                    + "give the data with --fine-tune");
        }
        if (fineTuneEpochs != null && fineTuneEpochs < 1) {
            throw usage("--fine-tune-epochs must be at least 1, got " + fineTuneEpochs);
        }
        if (fineTuneRate != null && !(fineTuneRate > 0 && Double.isFinite(fineTuneRate))) {
            throw usage("--fine-tune-rate must be a positive number, got " + fineTuneRate);
        }
    }

    private int epochs() {
        return fineTuneEpochs == null ? 1 : fineTuneEpochs;
    }

    private double rate() {
        return fineTuneRate == null ? DEFAULT_FINE_TUNE_RATE : fineTuneRate;
    }

    /** The files --fine-tune reads (checked with the other inputs before anything is computed). */
    private List<Path> fineTuneFiles() {
        if (fineTune == null) {
            return List.of();
        }
        if (!Files.isDirectory(fineTune)) {
            return List.of(fineTune);
        }
        try {
            return List.of(IdxMnist.find(fineTune, TRAIN_IMAGES), IdxMnist.find(fineTune, TRAIN_LABELS));
        } catch (IOException e) {
            throw new InputException("--fine-tune: " + e.getMessage(), e);
        }
    }

    /**
     * The labelled training data, refused unless it fits the model: IDX training files, or a CSV whose last
     * column is the class.
     */
    private DataSet readFineTuneData(MultiLayerNetwork net) {
        long inputs = Networks.inputSize(net);
        int classes = Math.toIntExact(net.layerSize(net.getnLayers() - 1));
        DataSet tuning;
        if (Files.isDirectory(fineTune)) {
            try {
                tuning = IdxMnist.read(IdxMnist.find(fineTune, TRAIN_IMAGES), IdxMnist.find(fineTune, TRAIN_LABELS));
            } catch (IOException e) {
                throw new InputException("--fine-tune: " + e.getMessage(), e);
            }
            if (tuning.getLabels().columns() != classes) {
                throw new InputException("--fine-tune " + fineTune + ": labels have "
                        + tuning.getLabels().columns() + " classes but the model has " + classes + " outputs");
            }
        } else {
            INDArray table = MatrixCsv.read(fineTune);
            if (table.columns() != inputs + 1) {
                throw new InputException("--fine-tune " + fineTune + ": lines have " + table.columns() + " numbers; "
                        + "the model takes " + inputs + " inputs, so each line needs " + (inputs + 1)
                        + " (the inputs, then the class)");
            }
            INDArray labels = Nd4j.zeros(DataType.FLOAT, table.rows(), classes);
            double[] column = table.getColumn(inputs).toDoubleVector();
            for (int i = 0; i < column.length; i++) {
                double c = column[i];
                if (c != Math.rint(c) || c < 0 || c >= classes) {
                    throw new InputException("--fine-tune " + fineTune + ": line " + (i + 1) + " has class " + c
                            + "; the model has " + classes + " classes, 0 to " + (classes - 1));
                }
                labels.putScalar(i, (int) c, 1);
            }
            INDArray features = table.get(NDArrayIndex.all(), NDArrayIndex.interval(0, inputs))
                    .castTo(DataType.FLOAT);
            tuning = new DataSet(features, labels);
        }
        if (tuning.getFeatures().columns() != inputs) {
            throw new InputException("--fine-tune " + fineTune + ": inputs have "
                    + tuning.getFeatures().columns() + " values but the model takes " + inputs);
        }
        return tuning;
    }

    private static double accuracy(MultiLayerNetwork net, DataSet test) {
        return net.evaluate(new ListDataSetIterator<>(test.asList(), 256)).accuracy();
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
