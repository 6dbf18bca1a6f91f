package io.github.reluspectra.cli;

import static io.github.reluspectra.cli.ToolRun.assertInput;
import static io.github.reluspectra.cli.ToolRun.assertUsage;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.reluspectra.network.TinyNetworks;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;

/**
 * What a careless or hostile user gives {@code analyze}: damaged and oversized data and models, options that do
 * not fit the run. Each gets one line naming the file or option and the reason, a usage (2) or input (3) exit,
 * bounded memory, and leaves the inputs as they were.
 */
class HostileInputTest {

    @TempDir
    Path dir;

    private static ToolRun run(String... args) {
        return ToolRun.of(args);
    }

    private Path model(String name, MultiLayerNetwork net) throws IOException {
        Path file = dir.resolve(name);
        ModelSerializer.writeModel(net, file.toFile(), false);
        return file;
    }

    /** A 784 -> 8 -> 3 network, as for MNIST-shaped data. */
    private Path mnistModel() throws IOException {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(1)
                .list()
                .layer(new DenseLayer.Builder()
                        .nIn(784)
                        .nOut(8)
                        .activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder()
                        .nIn(8)
                        .nOut(3)
                        .activation(Activation.SOFTMAX)
                        .build())
                .build());
        net.init();
        return model("mnist.zip", net);
    }

    /** An IDX image file's header, then {@code pixels} bytes of zeros (gzipped if asked). */
    private static void idx(Path file, int magic, int count, int rows, int cols, long pixels, boolean gzip)
            throws IOException {
        try (OutputStream raw = Files.newOutputStream(file);
                DataOutputStream out = new DataOutputStream(gzip ? new GZIPOutputStream(raw, 1 << 16) : raw)) {
            out.writeInt(magic);
            out.writeInt(count);
            if (magic == 2051) {
                out.writeInt(rows);
                out.writeInt(cols);
            }
            byte[] zeros = new byte[1 << 16];
            for (long left = pixels; left > 0; left -= zeros.length) {
                out.write(zeros, 0, (int) Math.min(left, zeros.length));
            }
        }
    }

    /** A directory of test images and labels whose headers both claim {@code count}, holding {@code held}. */
    private Path idxDir(String name, int count, int held, boolean gzip) throws IOException {
        Path d = Files.createDirectories(dir.resolve(name));
        String suffix = gzip ? ".gz" : "";
        idx(d.resolve("t10k-images-idx3-ubyte" + suffix), 2051, count, 28, 28, 784L * held, gzip);
        idx(d.resolve("t10k-labels-idx1-ubyte" + suffix), 2049, count, 0, 0, held, gzip);
        return d;
    }

    @Test
    void damagedIdxHeadersAreRefusedBeforeAnythingIsAllocated() throws Exception {
        String model = mnistModel().toString();
        assertInput(
                run(
                        "analyze",
                        "--model",
                        model,
                        "--data",
                        idxDir("zero", 0, 0, false).toString()),
                "t10k-images-idx3-ubyte holds no images");
        assertInput(
                run(
                        "analyze",
                        "--model",
                        model,
                        "--data",
                        idxDir("negative", -1, 0, false).toString()),
                "damaged header: -1 images");
        assertInput(
                run(
                        "analyze",
                        "--model",
                        model,
                        "--data",
                        idxDir("max", Integer.MAX_VALUE, 0, false).toString()),
                "is truncated: its header announces 2147483647 images");
        assertInput(
                run(
                        "analyze",
                        "--model",
                        model,
                        "--data",
                        idxDir("liar", 2_500_000, 0, false).toString()),
                "is truncated: its header announces 2500000 images of 28 x 28 pixels (1960000016 bytes), but the "
                        + "file has 16 bytes");
        Path corrupt = Files.createDirectories(dir.resolve("corrupt"));
        idx(corrupt.resolve("t10k-labels-idx1-ubyte.gz"), 2049, 3, 0, 0, 3, true);
        idx(corrupt.resolve("t10k-images-idx3-ubyte.gz"), 2051, 3, 28, 28, 3 * 784, true);
        byte[] gz = Files.readAllBytes(corrupt.resolve("t10k-images-idx3-ubyte.gz"));
        for (int i = 12; i < gz.length - 8; i++) {
            gz[i] ^= (byte) 0x5a;
        }
        Files.write(corrupt.resolve("t10k-images-idx3-ubyte.gz"), gz);
        assertInput(
                run("analyze", "--model", model, "--data", corrupt.toString()),
                "t10k-images-idx3-ubyte.gz is not valid gzip data");
    }

    /** --data-samples bounds what is read, whatever the header claims: a lying gzip costs what it holds. */
    @Test
    void aGzipHeaderClaimingMoreThanItHoldsCostsOnlyTheSamplesRead() throws Exception {
        String model = mnistModel().toString();
        Path data = idxDir("claims", 2_700_000, 40, true);
        ToolRun r = run(
                "analyze",
                "--model",
                model,
                "--data",
                data.toString(),
                "--data-samples",
                "30",
                "--top-k",
                "1",
                "--width-samples",
                "0",
                "--json",
                "-");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"samples\" : 30");
        assertInput(
                run("analyze", "--model", model, "--data", data.toString(), "--data-samples", "50"),
                "is truncated: it ends after 40 of the 50 items its header announces");
    }

    @Test
    void dataTooLargeToSquareIsBlamedOnTheData() throws Exception {
        Path csv = dir.resolve("huge.csv");
        Files.writeString(csv, "1e308,1,2,3,4,5\n1,2,3,4,5,6\n");
        ToolRun r = run(
                "analyze",
                "--model",
                model("tiny.zip", TinyNetworks.multiLayer()).toString(),
                "--data",
                csv.toString());
        assertInput(r, "--data " + csv + ": the data are too large for layer 'hidden'");
        Path matrix = dir.resolve("a.csv");
        Files.writeString(matrix, "1,2\n3,4\n");
        Path small = dir.resolve("x.csv");
        Files.writeString(small, "1e200,1\n");
        assertInput(
                run("analyze", "--matrix", matrix.toString(), "--data", small.toString()),
                "--data " + small + ": the data are too large");
    }

    @Test
    void dataOfTheWrongWidthNameTheDataFile() throws Exception {
        Path csv = dir.resolve("narrow.csv");
        Files.writeString(csv, "1,2,3\n");
        assertInput(
                run(
                        "analyze",
                        "--model",
                        model("tiny.zip", TinyNetworks.multiLayer()).toString(),
                        "--data",
                        csv.toString()),
                "--data " + csv + ": the data do not fit the network");
    }

    /** Only decimal numbers: Java's own literals are no CSV number. */
    @Test
    void csvCellsInJavaSyntaxAreNotNumbers() throws Exception {
        for (String cell : List.of("0x1p-1", "1f", "2d", "1_000", "0x10", "1e", "--1")) {
            Path csv = dir.resolve("j.csv");
            Files.writeString(csv, "1," + cell + "\n");
            assertInput(run("analyze", "--matrix", csv.toString()), "line 1 column 2: not a number: '" + cell + "'");
        }
        Path inf = dir.resolve("inf.csv");
        Files.writeString(inf, "1,-Infinity\n");
        assertInput(run("analyze", "--matrix", inf.toString()), "'-Infinity' is not a finite number");
        Path ok = dir.resolve("ok.csv");
        Files.writeString(ok, "+1.5,-2e-3\n.5,7.\n");
        ToolRun r = run("analyze", "--matrix", ok.toString(), "--json", "-");
        assertThat(r.code()).as(r.err()).isZero();
    }

    @Test
    void pathsThatAreNoFileSaySo() throws Exception {
        assertInput(run("analyze", "--model", dir.toString()), dir + " is a directory, not a model file");
        String model = mnistModel().toString();
        assertInput(
                run("analyze", "--model", model, "--data", "/dev/null"),
                "--data /dev/null is not a regular file (a device or a pipe)");
    }

    /** The coefficients are read only as far as the configuration's parameters can take, in a small heap. */
    @Test
    void aModelZipBombIsRefusedInBoundedMemory() throws Exception {
        Path good = model("tiny.zip", TinyNetworks.multiLayer());
        Path bomb = dir.resolve("bomb.zip");
        long inflated = 512L << 20; // twice the heap the tool gets below
        try (var in = new ZipInputStream(Files.newInputStream(good));
                var out = new ZipOutputStream(Files.newOutputStream(bomb))) {
            out.setLevel(Deflater.BEST_SPEED);
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                byte[] content = in.readAllBytes();
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(content);
                if (e.getName().equals(ModelSerializer.COEFFICIENTS_BIN)) {
                    byte[] zeros = new byte[1 << 20];
                    for (long left = inflated; left > 0; left -= zeros.length) {
                        out.write(zeros);
                    }
                }
            }
        }
        assertThat(Files.size(bomb)).isLessThan(4L << 20);
        assertInput(
                run("analyze", "--model", bomb.toString()),
                "bomb.zip is damaged: coefficients.bin holds more " + "than the "
                        + TinyNetworks.multiLayer().numParams() + " values its configuration needs");
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        ReluSpectraCli.class.getName(),
                        "analyze",
                        "--model",
                        bomb.toString())
                .redirectErrorStream(true);
        builder.environment().put(ThreadPolicy.VARIABLE, "passive");
        Process tool = builder.start();
        String output = new String(tool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tool.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(tool.exitValue()).as(output).isEqualTo(ExitCodes.INPUT);
        assertThat(output).contains("coefficients.bin holds more than").doesNotContain("OutOfMemoryError");
    }

    @Test
    void damagedModelsSayWhatIsWrongInWords() throws Exception {
        Path good = model("tiny.zip", TinyNetworks.multiLayer());
        Path truncated = rewrite(
                good,
                "truncated.zip",
                (name, bytes) -> name.equals(ModelSerializer.COEFFICIENTS_BIN)
                        ? java.util.Arrays.copyOf(bytes, bytes.length / 2)
                        : bytes);
        assertInput(
                run("analyze", "--model", truncated.toString()),
                "truncated.zip is damaged: coefficients.bin ends early: its header announces");
        Path garbage = rewrite(
                good,
                "garbage.zip",
                (name, bytes) -> name.equals(ModelSerializer.COEFFICIENTS_BIN)
                        ? "not an array".getBytes(StandardCharsets.UTF_8)
                        : bytes);
        assertInput(
                run("analyze", "--model", garbage.toString()),
                "garbage.zip is damaged: coefficients.bin does not start with an ND4J array header");
        Path custom = rewrite(
                good,
                "custom.zip",
                (name, bytes) -> name.equals(ModelSerializer.CONFIGURATION_JSON)
                        ? new String(bytes, StandardCharsets.UTF_8)
                                .replaceFirst(
                                        "org\\.deeplearning4j\\.nn\\.conf\\.layers\\.DenseLayer", "com.example.MyLayer")
                                .getBytes(StandardCharsets.UTF_8)
                        : bytes);
        assertInput(
                run("analyze", "--model", custom.toString()),
                "custom.zip: its configuration names the class 'com.example.MyLayer', which is not on this "
                        + "program's class path");
    }

    private interface Edit {
        byte[] apply(String entry, byte[] content);
    }

    private Path rewrite(Path model, String name, Edit edit) throws IOException {
        Path out = dir.resolve(name);
        try (var in = new ZipInputStream(Files.newInputStream(model));
                var zip = new ZipOutputStream(Files.newOutputStream(out))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                zip.putNextEntry(new ZipEntry(e.getName()));
                zip.write(edit.apply(e.getName(), in.readAllBytes()));
            }
        }
        return out;
    }

    /** A network whose input shape is known refuses --input-shape; a CNN's shape must fit its layers. */
    @Test
    void inputShapeIsRefusedWhereUnusedAndCheckedWhereUsed() throws Exception {
        String mlp = mnistModel().toString();
        assertUsage(
                run("analyze", "--model", mlp, "--input-shape", "1,28,29"),
                "--input-shape is for a network that starts with a convolution on 4D input; " + mlp
                        + " records the shape of its inputs");
        MultiLayerNetwork cnn = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(1)
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5)
                        .nOut(4)
                        .activation(Activation.RELU)
                        .build())
                .layer(new DenseLayer.Builder()
                        .nOut(6)
                        .activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder()
                        .nOut(3)
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutional(12, 12, 3))
                .build());
        cnn.init();
        String model = model("cnn.zip", cnn).toString();
        assertUsage(
                run("analyze", "--model", model, "--input-shape", "4,12,12"),
                "--input-shape 4,12,12 does not fit " + model + ": layer 0 'layer0' (ConvolutionLayer) takes 3 "
                        + "channels, but its input has 4");
        ToolRun small = run("analyze", "--model", model, "--input-shape", "3,2,2");
        assertUsage(
                small,
                "--input-shape 3,2,2 does not fit " + model + ": layer 0 'layer0' (ConvolutionLayer): its "
                        + "5x5 kernel does not fit an input of 2x2 (padding 0x0)");
        assertThat(small.err()).doesNotContain("WARN", "SkippedLayer[");
        assertUsage(
                run("analyze", "--model", model, "--input-shape", "3,13,13"),
                "layer 1 'layer1' (DenseLayer) takes 256 inputs, but gets 324");
        assertUsage(run("analyze", "--matrix", mlp, "--input-shape", "1,2,2"), "--input-shape goes with --model");
        assertThat(run("analyze", "--model", model, "--input-shape", "3,12,12", "--top-k", "1", "--width-samples", "0")
                        .code())
                .isZero();
    }

    @Test
    void optionsTheRunDoesNotUseAreRefused() throws Exception {
        Path matrix = dir.resolve("a.csv");
        Files.writeString(matrix, "1,2\n3,4\n");
        assertUsage(
                run("analyze", "--matrix", matrix.toString(), "--data-samples", "10"),
                "--data-samples goes with --data");
    }

    @Test
    void aNetworkWithNothingToAnalyseIsRefused() throws Exception {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .list()
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
                .layer(new LossLayer.Builder().activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(4))
                .build());
        net.init();
        Path model = model("empty.zip", net);
        assertInput(
                run("analyze", "--model", model.toString()),
                model + ": nothing to analyse: it has no " + "DenseLayer, OutputLayer or ConvolutionLayer");
    }

    /** The error, then the help command as a user types it. */
    @Test
    void aUsageErrorNamesTheRealHelpCommand() {
        ToolRun r = run("analyze", "--top-k", "0", "--matrix", "a.csv");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err().lines().toList())
                .containsExactly(
                        "relu-spectra: --top-k must be at least 1, got 0",
                        "Try 'java -jar relu-spectra.jar analyze --help'.");
        ToolRun parse = run("analyze", "--no-such-option");
        assertThat(parse.err().lines().toList())
                .hasSize(2)
                .last()
                .isEqualTo("Try 'java -jar relu-spectra.jar analyze --help'.");
    }

    @Test
    void theVersionComesFromTheBuild() {
        ToolRun r = run("--version");
        var built = io.github.reluspectra.results.Provenance.of(null, java.util.Map.of());
        assertThat(r.code()).isZero();
        assertThat(r.out().strip())
                .isEqualTo("relu-spectra " + built.libraryVersion() + " (DL4J " + built.dl4jVersion() + ")");
        assertThat(built.libraryVersion()).isNotBlank();
    }
}
