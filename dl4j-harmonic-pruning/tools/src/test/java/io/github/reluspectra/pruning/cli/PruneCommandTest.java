package io.github.reluspectra.pruning.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.reluspectra.cli.ExitCodes;
import java.io.DataOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The prune command on good input and on every kind of bad input the issue lists. */
class PruneCommandTest {

    @TempDir
    Path dir;

    Path model;
    byte[] modelBytes;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HarmonicPruningCli.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeEach
    void saveModel() throws Exception {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(3)
                .list()
                .layer(new DenseLayer.Builder()
                        .name("hidden")
                        .nIn(4)
                        .nOut(8)
                        .activation(Activation.RELU)
                        .build())
                .layer(new DenseLayer.Builder()
                        .nIn(8)
                        .nOut(6)
                        .activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(6)
                        .nOut(10)
                        .activation(Activation.SOFTMAX)
                        .build())
                .build());
        net.init();
        model = dir.resolve("in.zip");
        ModelSerializer.writeModel(net, model.toFile(), false);
        modelBytes = Files.readAllBytes(model);
    }

    /** Six 2x2 "images" (4 pixels, like a model with nIn 4) and their labels, raw IDX. */
    private Path evalData() throws Exception {
        return evalData("data", 2);
    }

    /** Six side x side "images" and their labels (0..5), raw IDX, in a new directory {@code name}. */
    private Path evalData(String name, int side) throws Exception {
        Path data = Files.createDirectories(dir.resolve(name));
        try (DataOutputStream images =
                        new DataOutputStream(Files.newOutputStream(data.resolve("t10k-images-idx3-ubyte")));
                DataOutputStream labels =
                        new DataOutputStream(Files.newOutputStream(data.resolve("t10k-labels-idx1-ubyte")))) {
            images.writeInt(2051);
            images.writeInt(6);
            images.writeInt(side);
            images.writeInt(side);
            labels.writeInt(2049);
            labels.writeInt(6);
            for (int i = 0; i < 6; i++) {
                byte[] pixels = new byte[side * side];
                for (int p = 0; p < pixels.length; p++) {
                    pixels[p] = (byte) (p % 2 == 0 ? 40 * i + 50 * p : 3 + 4 * p);
                }
                images.write(pixels);
                labels.writeByte(i);
            }
        }
        return data;
    }

    /** A CNN's convolution is pruned with its dense layer unless kept; the report names its kind and the totals. */
    @Test
    void prunesAConvolutionalNetworksKernels() throws Exception {
        MultiLayerNetwork cnn = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(3)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3)
                        .name("conv")
                        .nOut(6)
                        .activation(Activation.RELU)
                        .build())
                .layer(new SubsamplingLayer.Builder()
                        .kernelSize(2, 2)
                        .stride(2, 2)
                        .build())
                .layer(new DenseLayer.Builder()
                        .name("hidden")
                        .nOut(8)
                        .activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nOut(10)
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutionalFlat(6, 6, 1))
                .build());
        cnn.init();
        Path in = dir.resolve("cnn.zip");
        ModelSerializer.writeModel(cnn, in.toFile(), false);
        Path out = dir.resolve("cnn-out.zip");
        Run r = run(
                "prune",
                "--model",
                in.toString(),
                "--out",
                out.toString(),
                "--rank",
                "2",
                "--eval-data",
                evalData("cnn-data", 6).toString(),
                "--json",
                "-");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("convolution", "network");
        JsonNode report = new ObjectMapper().readTree(r.out());
        assertThat(report.get("layers")).hasSize(2);
        assertThat(report.get("layers").get(0).get("kind").asText()).isEqualTo("CONVOLUTION");
        assertThat(report.get("layers").get(0).get("split").asBoolean()).isTrue();
        MultiLayerNetwork pruned = ModelSerializer.restoreMultiLayerNetwork(out.toFile(), false);
        assertThat(report.get("networkParamsBefore").asLong()).isEqualTo(cnn.numParams());
        assertThat(report.get("networkParamsAfter").asLong()).isEqualTo(pruned.numParams());
        assertThat(pruned.getLayers()).hasSize(6);

        Run kept = run(
                "prune",
                "--model",
                in.toString(),
                "--out",
                dir.resolve("cnn-dense.zip").toString(),
                "--rank",
                "2",
                "--keep-convolutions",
                "--json",
                "-");
        assertThat(kept.code()).as(kept.err()).isZero();
        assertThat(new ObjectMapper().readTree(kept.out()).get("layers")).hasSize(1);
    }

    @Test
    void prunesWithReportAccuracyAndJson() throws Exception {
        Path out = dir.resolve("out.zip");
        Run r = run(
                "prune",
                "--model",
                model.toString(),
                "--out",
                out.toString(),
                "--rank",
                "1",
                "--eval-data",
                evalData().toString(),
                "--json",
                "-");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("harmonic (SVD basis)", "hidden", "total", "test accuracy on 6 samples");
        JsonNode report = new ObjectMapper().readTree(r.out()); // --json -: standard output is the JSON alone
        assertThat(report.get("provenance").get("library").asText()).isEqualTo("dl4j-relu-spectra");
        assertThat(report.get("provenance").get("options").get("pruning").asText())
                .isEqualTo("harmonic pruning, SVD basis, rank 1, output layer kept");
        assertThat(report.get("policy").asText()).isEqualTo("rank 1");
        assertThat(report.get("layers")).hasSize(2);
        assertThat(report.get("layers").get(0).get("rank").asInt()).isEqualTo(1);
        assertThat(report.get("testSamples").asInt()).isEqualTo(6);
        var test = io.github.reluspectra.data.IdxMnist.read(
                evalData().resolve("t10k-images-idx3-ubyte"), evalData().resolve("t10k-labels-idx1-ubyte"));
        var written = ModelSerializer.restoreMultiLayerNetwork(out.toFile(), false);
        var original = ModelSerializer.restoreMultiLayerNetwork(model.toFile(), false);
        assertThat(report.get("accuracyAfter").asDouble())
                .isEqualTo(written.evaluate(
                                new org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator<>(test.asList(), 6))
                        .accuracy());
        assertThat(report.get("accuracyBefore").asDouble())
                .isEqualTo(original.evaluate(
                                new org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator<>(test.asList(), 6))
                        .accuracy());
        MultiLayerNetwork pruned = ModelSerializer.restoreMultiLayerNetwork(out.toFile(), false);
        assertThat(pruned.getnLayers()).isEqualTo(5);
        assertThat(Files.readAllBytes(model)).as("input unchanged").isEqualTo(modelBytes);
        assertThat(Files.list(dir).filter(p -> p.getFileName().toString().endsWith(".tmp")))
                .isEmpty();

        Run relu = run(
                "prune",
                "--model",
                model.toString(),
                "--out",
                out.toString(),
                "--energy",
                "0.9",
                "--basis",
                "relu",
                "--force",
                "--include-output");
        assertThat(relu.code()).as(relu.err()).isZero();
        assertThat(relu.out()).contains("RELU basis");
        assertThat(run("analyze", "--model", out.toString()).code()).isZero();
    }

    @Test
    void badInput() throws Exception {
        String in = model.toString();
        String out = dir.resolve("new.zip").toString();
        expect(
                ExitCodes.INPUT,
                "not found",
                "prune",
                "--model",
                dir.resolve("none.zip").toString(),
                "--out",
                out,
                "--rank",
                "1");
        Path text = Files.writeString(dir.resolve("text.zip"), "hello");
        expect(ExitCodes.INPUT, "not a zip", "prune", "--model", text.toString(), "--out", out, "--rank", "1");
        Path other = dir.resolve("other.zip");
        try (var z = new java.util.zip.ZipOutputStream(Files.newOutputStream(other))) {
            z.putNextEntry(new java.util.zip.ZipEntry("a.txt"));
        }
        expect(ExitCodes.INPUT, "not a DL4J model", "prune", "--model", other.toString(), "--out", out, "--rank", "1");
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder()
                .graphBuilder()
                .addInputs("in")
                .addLayer("out", new OutputLayer.Builder().nIn(3).nOut(2).build(), "in")
                .setOutputs("out")
                .build());
        graph.init();
        Path graphFile = dir.resolve("graph.zip");
        ModelSerializer.writeModel(graph, graphFile.toFile(), false);
        expect(
                ExitCodes.INPUT,
                "ComputationGraph",
                "prune",
                "--model",
                graphFile.toString(),
                "--out",
                out,
                "--rank",
                "1");
        expect(ExitCodes.USAGE, "--energy must be in (0, 1]", "prune", "--model", in, "--out", out, "--energy", "1.5");
        expect(ExitCodes.USAGE, "--energy must be in (0, 1]", "prune", "--model", in, "--out", out, "--energy", "0");
        expect(ExitCodes.USAGE, "--rank must be at least 1", "prune", "--model", in, "--out", out, "--rank", "0");
        expect(ExitCodes.USAGE, "--budget must be in (0, 1]", "prune", "--model", in, "--out", out, "--budget", "2");
        expect(
                ExitCodes.USAGE,
                "needs --budget",
                "prune",
                "--model",
                in,
                "--out",
                out,
                "--rank",
                "1",
                "--allocation",
                "energy");
        expect(
                ExitCodes.USAGE,
                "--allocation values reads the values over data",
                "prune",
                "--model",
                in,
                "--out",
                out,
                "--budget",
                "0.5",
                "--allocation",
                "values");
        expect(
                ExitCodes.USAGE,
                "--allocation must be values, energy or uniform",
                "prune",
                "--model",
                in,
                "--out",
                out,
                "--budget",
                "0.5",
                "--allocation",
                "random");
        expect(ExitCodes.USAGE, "is the same file as --model", "prune", "--model", in, "--out", in, "--rank", "1");
        Path existing = Files.writeString(dir.resolve("existing.zip"), "keep me");
        expect(ExitCodes.USAGE, "--force", "prune", "--model", in, "--out", existing.toString(), "--rank", "1");
        assertThat(Files.readString(existing)).isEqualTo("keep me");
        expect(
                ExitCodes.INPUT,
                "no such directory",
                "prune",
                "--model",
                in,
                "--out",
                dir.resolve("no/such/dir/out.zip").toString(),
                "--rank",
                "1");
        Path readOnly = Files.createDirectories(dir.resolve("ro"));
        readOnly.toFile().setWritable(false);
        if (!Files.isWritable(readOnly)) { // root may write anywhere; then this case cannot arise
            expect(
                    ExitCodes.INPUT,
                    "permission denied",
                    "prune",
                    "--model",
                    in,
                    "--out",
                    readOnly.resolve("out.zip").toString(),
                    "--rank",
                    "1");
        }
        expect(
                ExitCodes.INPUT,
                "--eval-data",
                "prune",
                "--model",
                in,
                "--out",
                out,
                "--rank",
                "1",
                "--eval-data",
                dir.resolve("nothing").toString());
        expect(ExitCodes.USAGE, "", "prune", "--model", in, "--out", out);
        expect(ExitCodes.USAGE, "", "prune", "--model", in, "--out", out, "--rank", "1", "--energy", "0.5");
        assertThat(Files.readAllBytes(model)).isEqualTo(modelBytes);
        assertThat(Files.exists(Path.of(out))).isFalse();
    }

    private List<String> files() throws Exception {
        try (var list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void anOutputNeverLandsOnAnInputOrAnotherOutput() throws Exception {
        String in = model.toString();
        String out = dir.resolve("q.zip").toString();
        expect(
                ExitCodes.USAGE,
                "--json " + in + " is the same file as --model",
                "prune",
                "--model",
                in,
                "--out",
                out,
                "--rank",
                "1",
                "--json",
                in);
        expect(
                ExitCodes.USAGE,
                "--json " + out + " is the same file as --out",
                "prune",
                "--model",
                in,
                "--out",
                out,
                "--rank",
                "1",
                "--json",
                out);
        Files.createDirectories(dir.resolve("sub"));
        expect(
                ExitCodes.USAGE,
                "is the same file as --model",
                "prune",
                "--model",
                in,
                "--out",
                dir.resolve("sub/../in.zip").toString(),
                "--rank",
                "1",
                "--force");
        Path data = evalData();
        Path labels = data.resolve("t10k-labels-idx1-ubyte");
        byte[] labelBytes = Files.readAllBytes(labels);
        expect(
                ExitCodes.USAGE,
                "is the same file as --eval-data",
                "prune",
                "--model",
                in,
                "--out",
                out,
                "--rank",
                "1",
                "--eval-data",
                data.toString(),
                "--json",
                labels.toString());
        expect(
                ExitCodes.USAGE,
                "is a directory",
                "prune",
                "--model",
                in,
                "--out",
                out,
                "--rank",
                "1",
                "--json",
                dir.toString());
        assertThat(Files.readAllBytes(model)).isEqualTo(modelBytes);
        assertThat(Files.readAllBytes(labels)).isEqualTo(labelBytes);
        assertThat(files()).containsExactly("data", "in.zip", "sub");
    }

    /** Everything that can be checked is checked before any work; a failed run leaves no file behind. */
    @Test
    void aFailedRunWritesNothingAndCanBeRetried() throws Exception {
        String in = model.toString();
        String out = dir.resolve("q.zip").toString();
        Path json = dir.resolve("missing").resolve("r.json");
        expect(
                ExitCodes.INPUT,
                "cannot write --json " + json + ": no such directory",
                "prune",
                "--model",
                in,
                "--out",
                out,
                "--rank",
                "1",
                "--json",
                json.toString());
        expect(
                ExitCodes.INPUT,
                "images have 9 pixels but the model takes 4 inputs",
                "prune",
                "--model",
                in,
                "--out",
                out,
                "--rank",
                "1",
                "--eval-data",
                evalData("data9", 3).toString());
        assertThat(files()).containsExactly("data9", "in.zip");
        Run retry = run(
                "prune",
                "--model",
                in,
                "--out",
                out,
                "--rank",
                "1",
                "--json",
                dir.resolve("r.json").toString());
        assertThat(retry.code()).as(retry.err()).isZero();
        assertThat(files()).containsExactly("data9", "in.zip", "q.zip", "r.json");
    }

    @Test
    void aModelWithALayerNamedVerticesIsAMultiLayerNetwork() throws Exception {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(3)
                .list()
                .layer(new DenseLayer.Builder()
                        .name("vertices")
                        .nIn(4)
                        .nOut(8)
                        .activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .name("networkInputs")
                        .nIn(8)
                        .nOut(10)
                        .activation(Activation.SOFTMAX)
                        .build())
                .build());
        net.init();
        Path vertices = dir.resolve("vertices.zip");
        ModelSerializer.writeModel(net, vertices.toFile(), false);
        Run r = run(
                "prune",
                "--model",
                vertices.toString(),
                "--out",
                dir.resolve("q.zip").toString(),
                "--rank",
                "1");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("vertices");
    }

    /**
     * --fine-tune: IDX training files or a CSV whose last column is the class; the accuracy after fine-tuning in
     * the table and the JSON; the model on disk is the fine-tuned one. Bad options and data are refused before
     * anything is written.
     */
    @Test
    void fineTuningInTheTool() throws Exception {
        Path eval = evalData();
        Path train = Files.createDirectories(dir.resolve("train"));
        Files.copy(eval.resolve("t10k-images-idx3-ubyte"), train.resolve("train-images-idx3-ubyte"));
        Files.copy(eval.resolve("t10k-labels-idx1-ubyte"), train.resolve("train-labels-idx1-ubyte"));
        Path out = dir.resolve("tuned.zip");
        Run r = run(
                "prune",
                "--model",
                model.toString(),
                "--out",
                out.toString(),
                "--rank",
                "1",
                "--eval-data",
                eval.toString(),
                "--fine-tune",
                train.toString(),
                "--fine-tune-epochs",
                "3",
                "--json",
                "-");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("after 3 epoch(s) of fine-tuning");
        JsonNode report = new ObjectMapper().readTree(r.out());
        assertThat(report.get("accuracyAfterFineTune").isNumber()).isTrue();
        assertThat(report.get("provenance").get("options").get("fineTuneEpochs").asInt())
                .isEqualTo(3);
        MultiLayerNetwork tuned = ModelSerializer.restoreMultiLayerNetwork(out.toFile(), false);
        assertThat(tuned.getIterationCount()).isPositive();

        // a CSV: 4 inputs, then the class
        Path csv = Files.writeString(dir.resolve("xy.csv"), "0.1,0.2,0.3,0.4,1\n0.5,0.1,0.0,0.2,3\n");
        Run fromCsv = run(
                "prune",
                "--model",
                model.toString(),
                "--out",
                dir.resolve("csv.zip").toString(),
                "--rank",
                "1",
                "--fine-tune",
                csv.toString());
        assertThat(fromCsv.code()).as(fromCsv.err()).isZero();
        assertThat(fromCsv.out()).contains("fine-tuned 1 epoch(s)", "on 2 samples");

        Path badClass = Files.writeString(dir.resolve("bad.csv"), "0.1,0.2,0.3,0.4,10\n");
        expect(
                ExitCodes.INPUT,
                "line 1 has class 10.0; the model has 10 classes",
                "prune",
                "--model",
                model.toString(),
                "--out",
                dir.resolve("b.zip").toString(),
                "--rank",
                "1",
                "--fine-tune",
                badClass.toString());
        Path noClass = Files.writeString(dir.resolve("short.csv"), "0.1,0.2,0.3,0.4\n");
        expect(
                ExitCodes.INPUT,
                "each line needs 5 (the inputs, then the class)",
                "prune",
                "--model",
                model.toString(),
                "--out",
                dir.resolve("b.zip").toString(),
                "--rank",
                "1",
                "--fine-tune",
                noClass.toString());
        expect(
                ExitCodes.USAGE,
                "give the data with --fine-tune",
                "prune",
                "--model",
                model.toString(),
                "--out",
                dir.resolve("b.zip").toString(),
                "--rank",
                "1",
                "--fine-tune-epochs",
                "2");
        expect(
                ExitCodes.USAGE,
                "--fine-tune-epochs must be at least 1",
                "prune",
                "--model",
                model.toString(),
                "--out",
                dir.resolve("b.zip").toString(),
                "--rank",
                "1",
                "--fine-tune",
                csv.toString(),
                "--fine-tune-epochs",
                "0");
        expect(
                ExitCodes.USAGE,
                "--fine-tune-rate must be a positive number",
                "prune",
                "--model",
                model.toString(),
                "--out",
                dir.resolve("b.zip").toString(),
                "--rank",
                "1",
                "--fine-tune",
                csv.toString(),
                "--fine-tune-rate",
                "-1");
        expect(
                ExitCodes.INPUT,
                "--fine-tune",
                "prune",
                "--model",
                model.toString(),
                "--out",
                dir.resolve("b.zip").toString(),
                "--rank",
                "1",
                "--fine-tune",
                eval.toString());
        assertThat(dir.resolve("b.zip")).doesNotExist();
    }

    @Test
    void fittedBasisOnData() throws Exception {
        String in = model.toString();
        Path out = dir.resolve("q.zip");
        Path data = evalData();
        Run r = run(
                "prune",
                "--model",
                in,
                "--out",
                out.toString(),
                "--basis",
                "fitted",
                "--rank",
                "2",
                "--data",
                data.toString(),
                "--eval-data",
                data.toString(),
                "--json",
                "-");
        assertThat(r.code()).as(r.err()).isZero();
        String logits =
                "fitted (through the ReLU from the whitened SVD, calibrated layer by layer; the layer before the "
                        + "output layer to its logits)";
        assertThat(r.err()).contains(logits, "test accuracy on 6 samples");
        JsonNode fitted = new ObjectMapper().readTree(r.out());
        assertThat(fitted.get("method").asText()).isEqualTo(logits);
        // each ReLU layer's error on the calibration inputs, in the JSON and in the table
        JsonNode overData = fitted.get("layers").get(0).get("overData");
        assertThat(overData.get("value").asDouble()).isPositive();
        assertThat(overData.get("relative").asDouble()).isBetween(0.0, 1.0);
        assertThat(overData.get("rms").asDouble())
                .isLessThanOrEqualTo(overData.get("value").asDouble());
        assertThat(r.err()).contains("s_k,X", "/s_0,X", "rms");
        assertThat(ModelSerializer.restoreMultiLayerNetwork(out.toFile(), false).getnLayers())
                .isEqualTo(5);
        Run layer = run(
                "prune",
                "--model",
                in,
                "--out",
                dir.resolve("q3.zip").toString(),
                "--basis",
                "fitted",
                "--fit-target",
                "layer",
                "--rank",
                "2",
                "--data",
                data.toString(),
                "--json",
                "-");
        assertThat(layer.code()).as(layer.err()).isZero();
        assertThat(new ObjectMapper().readTree(layer.out()).get("method").asText())
                .isEqualTo("fitted (through the ReLU from the whitened SVD, calibrated layer by layer)");
        // each refused before anything is written: the same model, the same output
        String[] toQ2 = {"prune", "--model", in, "--out", dir.resolve("q2.zip").toString()};
        refused(
                toQ2,
                ExitCodes.USAGE,
                "--fit-target says what --basis fitted fits; the svd basis fits nothing",
                "--fit-target",
                "layer",
                "--rank",
                "2");
        refused(
                toQ2,
                ExitCodes.USAGE,
                "--fit-target must be logits or layer, got 'all'",
                "--basis",
                "fitted",
                "--fit-target",
                "all",
                "--rank",
                "2",
                "--data",
                data.toString());
        refused(toQ2, ExitCodes.USAGE, "--basis fitted needs --data", "--basis", "fitted", "--rank", "2");
        refused(toQ2, ExitCodes.USAGE, "--tolerance chooses ranks for --basis fitted only", "--tolerance", "0.5");
        refused(
                toQ2,
                ExitCodes.INPUT,
                "has 9 values per input, but the model takes 4",
                "--basis",
                "fitted",
                "--rank",
                "2",
                "--data",
                evalData("data9", 3).toString());
        assertThat(Files.exists(dir.resolve("q2.zip"))).isFalse();
    }

    /** {@code expect} with the command line {@code base} followed by {@code options}. */
    private static void refused(String[] base, int code, String message, String... options) {
        String[] args = java.util.Arrays.copyOf(base, base.length + options.length);
        System.arraycopy(options, 0, args, base.length, options.length);
        expect(code, message, args);
    }

    /** The closed-form baselines through the command line: same data, same rewrite, their own names. */
    @Test
    void closedFormBaselinesOnData() throws Exception {
        String in = model.toString();
        Path data = evalData();
        for (String basis : new String[] {"whitened", "activation-scaled"}) {
            Path out = dir.resolve(basis + ".zip");
            Run r = run(
                    "prune",
                    "--model",
                    in,
                    "--out",
                    out.toString(),
                    "--basis",
                    basis,
                    "--rank",
                    "2",
                    "--data",
                    data.toString(),
                    "--eval-data",
                    data.toString(),
                    "--json",
                    "-");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(new ObjectMapper().readTree(r.out()).get("method").asText())
                    .contains(basis.equals("whitened") ? "whitened SVD" : "ASVD");
            assertThat(ModelSerializer.restoreMultiLayerNetwork(out.toFile(), false)
                            .getnLayers())
                    .isEqualTo(5);
            expect(
                    ExitCodes.USAGE,
                    "--basis " + basis + " needs --data",
                    "prune",
                    "--model",
                    in,
                    "--out",
                    dir.resolve("q3.zip").toString(),
                    "--basis",
                    basis,
                    "--rank",
                    "2");
        }
        expect(
                ExitCodes.USAGE,
                "--basis must be svd, relu, fitted, whitened or activation-scaled",
                "prune",
                "--model",
                in,
                "--out",
                dir.resolve("q3.zip").toString(),
                "--basis",
                "drone",
                "--rank",
                "2");
        assertThat(Files.exists(dir.resolve("q3.zip"))).isFalse();
    }

    /** Every file the command line names is an input unless it is an output, whatever the basis. */
    @Test
    void dataNamedForAnotherBasisIsNeverOverwrittenAndIsRefused() throws Exception {
        String in = model.toString();
        Path csv = Files.writeString(dir.resolve("x.csv"), "1,2,3,4\n");
        expect(
                ExitCodes.USAGE,
                "--data is read by --basis fitted, whitened and activation-scaled only; the svd "
                        + "basis needs no data",
                "prune",
                "--model",
                in,
                "--out",
                dir.resolve("o.zip").toString(),
                "--rank",
                "1",
                "--basis",
                "svd",
                "--data",
                csv.toString(),
                "--json",
                csv.toString());
        expect(
                ExitCodes.USAGE,
                "--out " + csv + " is the same file as --data " + csv,
                "prune",
                "--model",
                in,
                "--out",
                csv.toString(),
                "--force",
                "--rank",
                "1",
                "--basis",
                "fitted",
                "--data",
                csv.toString());
        expect(
                ExitCodes.USAGE,
                "--data is read by --basis fitted, whitened and activation-scaled only; the relu "
                        + "basis needs no data",
                "prune",
                "--model",
                in,
                "--out",
                csv.toString(),
                "--force",
                "--rank",
                "1",
                "--basis",
                "relu",
                "--data",
                csv.toString());
        Path images = evalData().resolve("t10k-images-idx3-ubyte");
        byte[] imageBytes = Files.readAllBytes(images);
        expect(
                ExitCodes.USAGE,
                "is the same file as --data",
                "prune",
                "--model",
                in,
                "--out",
                dir.resolve("o.zip").toString(),
                "--rank",
                "1",
                "--basis",
                "fitted",
                "--data",
                evalData().toString(),
                "--json",
                images.toString());
        expect(
                ExitCodes.USAGE,
                "--data-samples goes with --data",
                "prune",
                "--model",
                in,
                "--out",
                dir.resolve("o.zip").toString(),
                "--rank",
                "1",
                "--data-samples",
                "5");
        assertThat(Files.readString(csv)).isEqualTo("1,2,3,4\n");
        assertThat(Files.readAllBytes(images)).isEqualTo(imageBytes);
        assertThat(files()).containsExactly("data", "in.zip", "x.csv");
    }

    @Test
    void aNetworkWithNothingToPruneIsRefused() throws Exception {
        MultiLayerNetwork outputOnly = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(3)
                .list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(4)
                        .nOut(10)
                        .activation(Activation.SOFTMAX)
                        .build())
                .build());
        outputOnly.init();
        Path file = dir.resolve("output-only.zip");
        ModelSerializer.writeModel(outputOnly, file.toFile(), false);
        expect(
                ExitCodes.INPUT,
                file + ": nothing to prune: its only dense layer is the output layer, which is pruned "
                        + "only when asked (--include-output)",
                "prune",
                "--model",
                file.toString(),
                "--out",
                dir.resolve("o.zip").toString(),
                "--rank",
                "1");
        MultiLayerNetwork none = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .list()
                .layer(new org.deeplearning4j.nn.conf.layers.ActivationLayer.Builder()
                        .activation(Activation.RELU)
                        .build())
                .layer(new org.deeplearning4j.nn.conf.layers.LossLayer.Builder()
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.feedForward(4))
                .build());
        none.init();
        Path empty = dir.resolve("empty.zip");
        ModelSerializer.writeModel(none, empty.toFile(), false);
        expect(
                ExitCodes.INPUT,
                empty + ": nothing to prune: it has no DenseLayer, OutputLayer or ConvolutionLayer",
                "prune",
                "--model",
                empty.toString(),
                "--out",
                dir.resolve("o.zip").toString(),
                "--rank",
                "1",
                "--include-output");
        assertThat(files()).containsExactly("empty.zip", "in.zip", "output-only.zip");
    }

    /** Test data whose header claims more images than the heap could hold are refused before they are read. */
    @Test
    void evaluationDataBeyondTheHeapAreRefusedBeforeReading() throws Exception {
        Path data = Files.createDirectories(dir.resolve("claims"));
        int count = (int) Math.min(Integer.MAX_VALUE / 4, Runtime.getRuntime().maxMemory() / 4 + 1);
        for (String name : List.of("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
            try (DataOutputStream out = new DataOutputStream(
                    new java.util.zip.GZIPOutputStream(Files.newOutputStream(data.resolve(name))))) {
                out.writeInt(name.startsWith("t10k-images") ? 2051 : 2049);
                out.writeInt(count);
                if (name.startsWith("t10k-images")) {
                    out.writeInt(2);
                    out.writeInt(2);
                }
            }
        }
        expect(
                ExitCodes.INPUT,
                "t10k-images-idx3-ubyte.gz: " + count + " images of 4 pixels need about",
                "prune",
                "--model",
                model.toString(),
                "--out",
                dir.resolve("o.zip").toString(),
                "--rank",
                "1",
                "--eval-data",
                data.toString());
        Path file = Files.writeString(dir.resolve("eval.txt"), "x");
        expect(
                ExitCodes.INPUT,
                "--eval-data " + file + " is a file; give the directory",
                "prune",
                "--model",
                model.toString(),
                "--out",
                dir.resolve("o.zip").toString(),
                "--rank",
                "1",
                "--eval-data",
                file.toString());
    }

    @Test
    void aUsageErrorNamesTheRealHelpCommand() {
        Run r = run(
                "prune",
                "--model",
                model.toString(),
                "--out",
                dir.resolve("o.zip").toString(),
                "--rank",
                "0");
        assertThat(r.err().lines().toList())
                .containsExactly(
                        "harmonic-pruning: --rank must be at least 1, got 0",
                        "Try 'java -jar harmonic-pruning.jar prune --help'.");
    }

    private static void expect(int code, String message, String... args) {
        Run r = run(args);
        assertThat(r.code()).as(String.join(" ", args) + " -> " + r.err()).isEqualTo(code);
        assertThat(r.err()).contains(message).doesNotContain("\tat ");
    }
}
