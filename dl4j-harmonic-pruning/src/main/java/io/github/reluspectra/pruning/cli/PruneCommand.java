package io.github.reluspectra.pruning.cli;

import io.github.reluspectra.cli.AtomicFiles;
import io.github.reluspectra.cli.ExitCodes;
import io.github.reluspectra.cli.InputException;
import io.github.reluspectra.cli.ModelFiles;
import io.github.reluspectra.data.IdxMnist;
import io.github.reluspectra.pruning.Basis;
import io.github.reluspectra.pruning.HarmonicPruningTransform;
import io.github.reluspectra.pruning.LayerPruning;
import io.github.reluspectra.pruning.PruningReport;
import io.github.reluspectra.pruning.PruningResult;
import io.github.reluspectra.pruning.RankPolicy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code prune}: rewrite a saved MultiLayerNetwork with harmonic pruning; the input file is only read. */
@Command(name = "prune", mixinStandardHelpOptions = true,
        description = "Keep the leading harmonics of each hidden dense layer of a saved MultiLayerNetwork.")
public final class PruneCommand implements Callable<Integer> {

    static final class Policy {
        @Option(names = "--energy", paramLabel = "E", description = "keep this fraction (0, 1] of each layer's energy")
        Double energy;

        @Option(names = "--rank", paramLabel = "R", description = "keep R harmonics per layer")
        Integer rank;

        @Option(names = "--budget", paramLabel = "F", description = "keep this fraction (0, 1] of the dense weights")
        Double budget;
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "IN.zip", description = "the model to prune (read only)")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "OUT.zip", description = "where the pruned model goes")
    Path out;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Policy policy;

    @Option(names = "--basis", paramLabel = "svd|relu", defaultValue = "svd",
            description = "harmonics: right singular vectors or ReLU singular vectors (default: ${DEFAULT-VALUE})")
    String basis;

    @Option(names = "--include-output", description = "prune the output layer too")
    boolean includeOutput;

    @Option(names = "--eval-data", paramLabel = "DIR",
            description = "MNIST-format IDX files (t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]) "
                    + "to report test accuracy before and after")
    Path evalData;

    @Option(names = "--force", description = "replace OUT if it exists")
    boolean force;

    @Option(names = "--json", paramLabel = "REPORT|-", description = "write the report as JSON to REPORT or stdout")
    String json;

    @Override
    public Integer call() throws IOException {
        RankPolicy rankPolicy = rankPolicy();
        Basis chosenBasis = switch (basis.toLowerCase(Locale.ROOT)) {
            case "svd" -> Basis.SVD;
            case "relu" -> Basis.RELU;
            default -> throw usage("--basis must be svd or relu, got '" + basis + "'");
        };
        checkOutput();
        ModelFiles.Model restored = ModelFiles.read(model);
        if (restored.multiLayer() == null) {
            throw new InputException(model + " is a ComputationGraph; prune supports MultiLayerNetwork models");
        }
        DataSet test = evalData == null ? null : readEvalData();
        MultiLayerNetwork original = restored.multiLayer();
        PruningResult result;
        try {
            result = HarmonicPruningTransform.builder().basis(chosenBasis).policy(rankPolicy)
                    .includeOutput(includeOutput).build().transform(original);
        } catch (IllegalArgumentException e) {
            throw new InputException(model + ": " + e.getMessage(), e);
        }
        AtomicFiles.write(out, tmp -> ModelSerializer.writeModel(result.network(), tmp.toFile(), false));
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.print(table(result.report()));
        Double before = null;
        Double after = null;
        if (test != null) {
            before = accuracy(original, test);
            after = accuracy(result.network(), test);
            stdout.printf(Locale.ROOT, "test accuracy on %d samples: %.4f before, %.4f after%n", test.numExamples(),
                    before, after);
        }
        stdout.println("wrote " + out);
        if (json != null) {
            String text = toJson(result.report(), before, after);
            if (json.equals("-")) {
                stdout.println(text);
            } else {
                AtomicFiles.writeString(Path.of(json), text);
            }
        }
        stdout.flush();
        return ExitCodes.OK;
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
        if (!(policy.budget > 0 && policy.budget <= 1)) {
            throw usage("--budget must be in (0, 1], got " + policy.budget);
        }
        return RankPolicy.budget(policy.budget);
    }

    /** Refuses OUT = IN, an existing OUT without --force and an unwritable directory, before any work. */
    private void checkOutput() throws IOException {
        Path in = model.toAbsolutePath().normalize();
        Path target = out.toAbsolutePath().normalize();
        if (in.equals(target) || (Files.exists(target) && Files.exists(in) && Files.isSameFile(in, target))) {
            throw usage("--out must differ from --model (the input model is never modified)");
        }
        if (Files.exists(target) && !force) {
            throw usage(out + " exists; pass --force to replace it");
        }
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new InputException("cannot write " + out + ": directory " + dir + " does not exist");
        }
        if (!Files.isWritable(dir)) {
            throw new InputException("cannot write " + out + ": directory " + dir + " is not writable");
        }
    }

    private DataSet readEvalData() {
        try {
            return IdxMnist.test(evalData);
        } catch (IOException e) {
            throw new InputException("--eval-data: " + e.getMessage(), e);
        }
    }

    private static double accuracy(MultiLayerNetwork net, DataSet test) {
        return net.evaluate(new ListDataSetIterator<>(test.asList(), 256)).accuracy();
    }

    static String table(PruningReport report) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%s, %s%n", report.method(), report.policy()));
        b.append(String.format(Locale.ROOT, "  %-16s %6s %6s %6s %10s %10s %8s %6s%n", "layer", "n", "m", "r",
                "before", "after", "energy", "split"));
        for (LayerPruning l : report.layers()) {
            b.append(String.format(Locale.ROOT, "  %-16s %6d %6d %6d %10d %10d %8.4f %6s%n", l.name(), l.nIn(),
                    l.nOut(), l.rank(), l.paramsBefore(), l.paramsAfter(), l.energyKept(), l.split() ? "yes" : "no"));
        }
        b.append(String.format(Locale.ROOT, "  %-16s %6s %6s %6s %10d %10d   (%.2fx fewer)%n", "total", "", "", "",
                report.paramsBefore(), report.paramsAfter(), report.compression()));
        return b.toString();
    }

    static String toJson(PruningReport report, Double before, Double after) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("method", report.method());
        root.put("policy", report.policy());
        root.put("paramsBefore", report.paramsBefore());
        root.put("paramsAfter", report.paramsAfter());
        if (before != null) {
            root.put("accuracyBefore", before);
            root.put("accuracyAfter", after);
        }
        ArrayNode layers = root.putArray("layers");
        for (LayerPruning l : report.layers()) {
            ObjectNode node = layers.addObject();
            node.put("index", l.index());
            node.put("name", l.name());
            node.put("nIn", l.nIn());
            node.put("nOut", l.nOut());
            node.put("rank", l.rank());
            node.put("paramsBefore", l.paramsBefore());
            node.put("paramsAfter", l.paramsAfter());
            node.put("energyKept", l.energyKept());
            node.put("split", l.split());
        }
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
