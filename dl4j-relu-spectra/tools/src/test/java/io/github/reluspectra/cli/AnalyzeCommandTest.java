package io.github.reluspectra.cli;

import static io.github.reluspectra.cli.ToolRun.assertInput;
import static io.github.reluspectra.cli.ToolRun.assertUsage;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The analyze command on good and bad input, in process. */
class AnalyzeCommandTest {

    @TempDir
    Path dir;

    private static ToolRun run(String... args) {
        return ToolRun.of(args);
    }

    private Path file(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void matrixToJson() throws Exception {
        Path csv = file("a.csv", "3,-4,12\n1,0,0\n");
        ToolRun r =
                run("analyze", "--matrix", csv.toString(), "--top-k", "all", "--width-samples", "16", "--json", "-");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode layer = new ObjectMapper().readTree(r.out()).get("layers").get(0);
        assertThat(layer.get("index").asInt()).isZero();
        assertThat(layer.get("activation").asText()).isEqualTo("relu");
        assertThat(layer.get("nIn").asInt()).isEqualTo(3);
        assertThat(layer.get("nOut").asInt()).isEqualTo(2);
        assertThat(layer.get("singularValues")).hasSize(2);
        assertThat(layer.get("sequentialReluValues")).hasSize(3);
        assertThat(layer.get("meanWidth").get("samples").asInt()).isEqualTo(16);
    }

    @Test
    void matrixToTableAndFile() throws Exception {
        Path csv = file("a.csv", "1,2\n3,4\n");
        ToolRun table = run("analyze", "--matrix", csv.toString());
        assertThat(table.code()).isZero();
        assertThat(table.out()).contains("sigma_k", "s_k/sigma_k", "mean width");
        Path out = dir.resolve("out.json");
        ToolRun written = run("analyze", "--matrix", csv.toString(), "--json", out.toString());
        assertThat(written.code()).isZero();
        assertThat(written.out().strip()).isEqualTo("wrote " + out);
        assertThat(new ObjectMapper().readTree(out.toFile()).get("layers")).hasSize(1);
    }

    @Test
    void savedModelsOfBothTypes() throws Exception {
        Path mln = dir.resolve("mln.zip");
        org.deeplearning4j.util.ModelSerializer.writeModel(
                io.github.reluspectra.network.TinyNetworks.multiLayer(), mln.toFile(), false);
        byte[] before = Files.readAllBytes(mln);
        ToolRun r = run("analyze", "--model", mln.toString(), "--top-k", "3", "--json", "-");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode layers = new ObjectMapper().readTree(r.out()).get("layers");
        assertThat(layers).hasSize(3);
        assertThat(layers.get(0).get("sequentialReluValues")).hasSize(3);
        assertThat(layers.get(2).get("type").asText()).isEqualTo("OutputLayer");
        assertThat(layers.get(2).get("sequentialReluValues").isNull()).isTrue();
        assertThat(layers.get(2).get("meanWidth").get("relu").isNull()).isTrue();
        // WeightWatcher's metrics of every layer (the hidden layer's 5 eigenvalues are enough for a power law)
        JsonNode metrics = layers.get(0).get("spectralMetrics");
        assertThat(metrics.get("alpha").asDouble()).isGreaterThan(1);
        assertThat(metrics.get("stableRank").asDouble()).isBetween(1.0, 5.0);
        ToolRun table = run("analyze", "--model", mln.toString(), "--top-k", "3");
        assertThat(table.out()).contains("WeightWatcher (eigenvalues sigma_k^2): alpha", "stable rank");
        assertThat(Files.readAllBytes(mln)).isEqualTo(before);

        Path graph = dir.resolve("graph.zip");
        org.deeplearning4j.util.ModelSerializer.writeModel(
                io.github.reluspectra.network.TinyNetworks.graph(), graph.toFile(), false);
        ToolRun g = run("analyze", "--model", graph.toString(), "--json", "-", "--bias-mode", "augment");
        assertThat(g.code()).as(g.err()).isZero();
        assertThat(new ObjectMapper()
                        .readTree(g.out())
                        .get("layers")
                        .get(0)
                        .get("nIn")
                        .asInt())
                .isEqualTo(7);
        assertThat(g.err()).contains("layer 'hidden': 7 sequential ReLU values, as many as its inputs (--top-k 16");
    }

    /** A saved CNN of either type: its convolutions with shapes, top values and kernel slices; pooling listed. */
    @Test
    void savedConvolutionNetworksOfBothTypes() throws Exception {
        var mln = io.github.reluspectra.network.TinyNetworks.cnn();
        mln.fit(io.github.reluspectra.network.TinyNetworks.imageTrain(), 1);
        var graph = io.github.reluspectra.network.TinyNetworks.cnnGraph();
        graph.fit(io.github.reluspectra.network.TinyNetworks.imageTrain(), 1);
        for (org.deeplearning4j.nn.api.Model network : java.util.List.<org.deeplearning4j.nn.api.Model>of(mln, graph)) {
            Path model = dir.resolve("cnn.zip");
            org.deeplearning4j.util.ModelSerializer.writeModel(network, model.toFile(), false);
            ToolRun r =
                    run("analyze", "--model", model.toString(), "--top-k", "3", "--width-samples", "8", "--json", "-");
            assertThat(r.code()).as(r.err()).isZero();
            JsonNode json = new ObjectMapper().readTree(r.out());
            JsonNode layers = json.get("layers");
            assertThat(layers).extracting(l -> l.get("name").asText()).containsExactly("conv", "conv2", "dense", "out");
            JsonNode conv = layers.get(0);
            assertThat(conv.get("type").asText()).isEqualTo("ConvolutionLayer");
            assertThat(conv.get("inputShape")).extracting(JsonNode::asInt).containsExactly(1, 6, 6);
            assertThat(conv.get("outputShape")).extracting(JsonNode::asInt).containsExactly(4, 4, 4);
            assertThat(conv.get("nIn").asInt()).isEqualTo(36);
            assertThat(conv.get("nOut").asInt()).isEqualTo(64);
            assertThat(conv.get("singularValues")).hasSize(8);
            assertThat(conv.get("sequentialReluValues")).hasSize(3);
            assertThat(conv.get("reluSingularValues").isNull()).isTrue();
            JsonNode c = conv.get("convolution");
            assertThat(c.get("kernel")).extracting(JsonNode::asInt).containsExactly(3, 3);
            assertThat(c.get("singularValuesConverged").asBoolean()).isTrue();
            assertThat(c.get("pooledKernelSliceValues")).hasSize(9);
            assertThat(layers.get(1).get("convolution").get("sameMode").asBoolean())
                    .isTrue();
            assertThat(layers.get(2).get("inputShape").isNull()).isTrue();
            assertThat(json.get("skipped")).singleElement().satisfies(l -> {
                assertThat(l.get("name").asText()).isEqualTo("pool");
                assertThat(l.get("reason").asText()).contains("no parameters");
            });
            assertThat(r.err()).contains("layer 'pool' (index ", "SubsamplingLayer): not analysed");

            ToolRun table = run("analyze", "--model", model.toString(), "--top-k", "2", "--width-samples", "4");
            assertThat(table.code()).as(table.err()).isZero();
            assertThat(table.out())
                    .contains("ConvolutionLayer 1x6x6 -> 4x4x4 = 36 -> 64", "kernel-slice", "block Krylov");
        }
    }

    /** A network that starts with a convolution on 4D input needs --input-shape; without it the layer is listed. */
    @Test
    void inputShapeForANetworkOn4dInput() throws Exception {
        var net = new org.deeplearning4j.nn.multilayer.MultiLayerNetwork(
                new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
                        .seed(1)
                        .list()
                        .layer(new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(2, 2)
                                .name("conv")
                                .nOut(3)
                                .activation(org.nd4j.linalg.activations.Activation.RELU)
                                .build())
                        .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder()
                                .name("out")
                                .nOut(2)
                                .activation(org.nd4j.linalg.activations.Activation.SOFTMAX)
                                .build())
                        .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(4, 5, 2))
                        .build());
        net.init();
        Path model = dir.resolve("conv4d.zip");
        org.deeplearning4j.util.ModelSerializer.writeModel(net, model.toFile(), false);
        ToolRun without = run("analyze", "--model", model.toString(), "--top-k", "2", "--json", "-");
        assertThat(without.code()).as(without.err()).isZero();
        assertThat(without.err()).contains("layer 'conv'", "input shape is unknown", "input type");
        ToolRun with =
                run("analyze", "--model", model.toString(), "--top-k", "2", "--input-shape", "2,4,5", "--json", "-");
        assertThat(with.code()).as(with.err()).isZero();
        JsonNode conv = new ObjectMapper().readTree(with.out()).get("layers").get(0);
        assertThat(conv.get("outputShape")).extracting(JsonNode::asInt).containsExactly(3, 3, 4);
        assertUsage(
                run("analyze", "--model", model.toString(), "--input-shape", "2,4"),
                "--input-shape needs three positive numbers C,H,W");
    }

    /** A layer that is not analysed is listed with its reason, in the JSON and on standard error. */
    @Test
    void layersLeftOutAreListed() throws Exception {
        var net = new org.deeplearning4j.nn.multilayer.MultiLayerNetwork(
                new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
                        .seed(1)
                        .list()
                        .layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder()
                                .name("dense")
                                .nIn(4)
                                .nOut(5)
                                .activation(org.nd4j.linalg.activations.Activation.RELU)
                                .build())
                        .layer(new org.deeplearning4j.nn.conf.layers.BatchNormalization.Builder()
                                .name("bn")
                                .nOut(5)
                                .build())
                        .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder()
                                .name("out")
                                .nIn(5)
                                .nOut(2)
                                .activation(org.nd4j.linalg.activations.Activation.SOFTMAX)
                                .build())
                        .build());
        net.init();
        Path model = dir.resolve("bn.zip");
        org.deeplearning4j.util.ModelSerializer.writeModel(net, model.toFile(), false);
        ToolRun r = run("analyze", "--model", model.toString(), "--top-k", "2", "--json", "-");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("layers")).extracting(l -> l.get("name").asText()).containsExactly("dense", "out");
        assertThat(json.get("skipped")).singleElement().satisfies(l -> {
            assertThat(l.get("name").asText()).isEqualTo("bn");
            assertThat(l.get("type").asText()).isEqualTo("BatchNormalization");
            assertThat(l.get("reason").asText())
                    .isEqualTo("only DenseLayer, OutputLayer and ConvolutionLayer are analysed");
        });
        assertThat(r.err()).contains("layer 'bn' (index 1, BatchNormalization): not analysed");
        assertThat(json.get("provenance")
                        .get("options")
                        .get("analysis")
                        .get("sequential")
                        .get("topK")
                        .asInt())
                .isEqualTo(2);
    }

    @Test
    void badInputGetsOneLineAndExitCode() throws Exception {
        assertInput(run("analyze", "--matrix", dir.resolve("missing.csv").toString()), "no such file or directory");
        assertInput(run("analyze", "--matrix", file("r.csv", "1,2\n3\n").toString()), "first row has 2");
        assertInput(run("analyze", "--matrix", file("x.csv", "1,a\n").toString()), "not a number");
        assertInput(run("analyze", "--matrix", file("n.csv", "1,NaN\n").toString()), "not a finite number");
        assertInput(run("analyze", "--model", file("m.zip", "not a zip").toString()), "not a zip");
        Path zip = dir.resolve("other.zip");
        try (var z = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new java.util.zip.ZipEntry("hello.txt"));
            z.write(1);
        }
        assertInput(run("analyze", "--model", zip.toString()), "not a DL4J model");
        Path csv = file("ok.csv", "1,2\n");
        ToolRun k0 = run("analyze", "--matrix", csv.toString(), "--top-k", "0");
        assertThat(k0.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(k0.err()).contains("--top-k must be at least 1");
        assertThat(run("analyze").code()).isEqualTo(ExitCodes.USAGE);
        ToolRun verbose = run(
                "analyze", "--verbose", "--matrix", dir.resolve("missing.csv").toString());
        assertThat(verbose.code()).isEqualTo(ExitCodes.INPUT);
        assertThat(verbose.err()).contains("\tat ");
    }

    @Test
    void anOutputNeverLandsOnAnInput() throws Exception {
        Path csv = file("a.csv", "1,2\n3,4\n");
        Path model = dir.resolve("in.zip");
        org.deeplearning4j.util.ModelSerializer.writeModel(
                io.github.reluspectra.network.TinyNetworks.multiLayer(), model.toFile(), false);
        byte[] modelBytes = Files.readAllBytes(model);
        Files.createDirectories(dir.resolve("sub"));
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), model);
        assertUsage(
                run("analyze", "--matrix", csv.toString(), "--json", csv.toString()), "is the same file as --matrix");
        assertUsage(run("analyze", "--model", model.toString(), "--json", model.toString()), "the input is never");
        assertUsage(
                run(
                        "analyze",
                        "--model",
                        model.toString(),
                        "--json",
                        dir.resolve("sub/../in.zip").toString()),
                "is the same file as --model");
        assertUsage(run("analyze", "--model", model.toString(), "--json", link.toString()), "is the same file");
        assertUsage(run("analyze", "--matrix", csv.toString(), "--json", dir.toString()), "is a directory");
        assertThat(Files.readString(csv)).isEqualTo("1,2\n3,4\n");
        assertThat(Files.readAllBytes(model)).isEqualTo(modelBytes);
        assertThat(Files.isSymbolicLink(link)).isTrue();
    }

    @Test
    void aMissingOutputDirectoryIsRefusedBeforeAnyWork() throws Exception {
        Path csv = file("a.csv", "1,2\n3,4\n");
        Path target = dir.resolve("missing").resolve("r.json");
        ToolRun r = run("analyze", "--matrix", csv.toString(), "--json", target.toString());
        assertInput(r, "cannot write --json " + target + ": no such directory");
        assertThat(r.err()).doesNotContain(".tmp");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("a.csv");
        }
    }

    @Test
    void messagesAreShortAndShowWhatIsWrong() throws Exception {
        ToolRun bom =
                run("analyze", "--matrix", file("bom.csv", "\uFEFF1,2\n3,4\n").toString(), "--json", "-");
        assertThat(bom.code()).as(bom.err()).isZero();
        ToolRun longCell = run(
                "analyze",
                "--matrix",
                file("long.csv", "1,2\n3," + "x".repeat(100_000) + "\n").toString());
        assertInput(longCell, "line 2 column 2: not a number: 'xxxx");
        assertThat(longCell.err())
                .contains("(100000 characters, first 40 shown)")
                .hasSizeLessThan(200);
        ToolRun invisible =
                run("analyze", "--matrix", file("zw.csv", "1,\u200B2\n").toString());
        assertInput(invisible, "'\\u200B2'");
        assertUsage(
                run("analyze", "--matrix", file("ok.csv", "1,2\n").toString(), "--width-samples", "2000000000"),
                "--width-samples must be 0 (skip) or from 2 to 100000");
    }

    /** A model is recognised by its structure, not by the text of its configuration. */
    @Test
    void aMultiLayerNetworkWithALayerNamedVertices() throws Exception {
        var net = new org.deeplearning4j.nn.multilayer.MultiLayerNetwork(
                new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
                        .list()
                        .layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder()
                                .name("vertices")
                                .nIn(3)
                                .nOut(4)
                                .activation(org.nd4j.linalg.activations.Activation.RELU)
                                .build())
                        .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder()
                                .name("networkInputs")
                                .nIn(4)
                                .nOut(2)
                                .build())
                        .build());
        net.init();
        Path model = dir.resolve("vertices.zip");
        org.deeplearning4j.util.ModelSerializer.writeModel(net, model.toFile(), false);
        ToolRun r = run("analyze", "--model", model.toString(), "--json", "-");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(new ObjectMapper()
                        .readTree(r.out())
                        .get("layers")
                        .get(0)
                        .get("name")
                        .asText())
                .isEqualTo("vertices");
    }

    /** DL4J fills parameters that a damaged file declares but does not hold with zeros; we refuse them. */
    @Test
    void aModelWithTruncatedParametersIsRefused() throws Exception {
        var net = io.github.reluspectra.network.TinyNetworks.multiLayer();
        Path good = dir.resolve("good.zip");
        org.deeplearning4j.util.ModelSerializer.writeModel(net, good.toFile(), false);
        java.io.ByteArrayOutputStream coefficients = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(coefficients)) {
            net.params().shapeInfoDataBuffer().write(out); // declares every parameter ...
            org.nd4j.linalg.factory.Nd4j.createBuffer(new float[10]).write(out); // ... holds 10
        }
        Path damaged = dir.resolve("damaged.zip");
        try (var in = new java.util.zip.ZipInputStream(Files.newInputStream(good));
                var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(damaged))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                out.write(e.getName().equals("coefficients.bin") ? coefficients.toByteArray() : in.readAllBytes());
            }
        }
        assertInput(
                run("analyze", "--model", damaged.toString()),
                "damaged.zip is damaged: coefficients.bin holds 10 " + "values, but its configuration needs "
                        + net.numParams());
    }

    /** Every quantity is positively homogeneous: results past the range of doubles are errors, not strings. */
    @Test
    void overflowingResultsAreAnErrorNamingTheLayer() throws Exception {
        Path csv = file("huge.csv", "1.5e308,1.5e308\n1.5e308,-1.5e308\n");
        assertInput(run("analyze", "--matrix", csv.toString(), "--json", "-"), "layer 'huge.csv' (index 0, Matrix)");
    }

    /** The paper's values over data: a matrix with bias and inputs from CSV; inputs in a 2-dimensional subspace. */
    @Test
    void valuesOverDataOfAMatrix() throws Exception {
        Path csv = file("a.csv", "1,2,0\n-1,1,3\n2,-2,1\n0,1,-1\n");
        Path bias = file("b.csv", "0.5,-0.25,0,1\n");
        StringBuilder inputs = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            double s = Math.sin(i);
            double c = Math.cos(1.7 * i);
            inputs.append(s).append(',').append(c).append(',').append(s - 2 * c).append('\n'); // x_3 = x_1 - 2 x_2
        }
        Path data = file("x.csv", inputs.toString());
        ToolRun r = run(
                "analyze",
                "--matrix",
                csv.toString(),
                "--bias",
                bias.toString(),
                "--data",
                data.toString(),
                "--ranks",
                "0,1,2,3,9",
                "--json",
                "-",
                "--width-samples",
                "0");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode values =
                new ObjectMapper().readTree(r.out()).get("layers").get(0).get("reluSingularValues");
        assertThat(values.get("samples").asInt()).isEqualTo(30);
        assertThat(values.get("ranks").toString()).isEqualTo("[0,1,2,3]");
        double s0 = values.get("values").get(0).asDouble();
        assertThat(s0).isPositive();
        assertThat(values.get("values").get(2).asDouble()).isLessThan(1e-4 * s0); // A4: rank 2 is exact
        assertThat(values.get("svdValues")).hasSize(4);
        assertThat(values.get("rms")).hasSize(4);
        assertThat(new ObjectMapper().readTree(r.out()).get("layers").get(0).get("sequentialReluValues"))
                .hasSize(3);

        ToolRun table = run("analyze", "--matrix", csv.toString(), "--data", data.toString(), "--data-samples", "5");
        assertThat(table.code()).as(table.err()).isZero();
        assertThat(table.out()).contains("ReLU singular values over 5 inputs", "SVD bound");
    }

    @Test
    void valuesOverDataOfAModel() throws Exception {
        Path model = dir.resolve("in.zip");
        org.deeplearning4j.util.ModelSerializer.writeModel(
                io.github.reluspectra.network.TinyNetworks.multiLayer(), model.toFile(), false);
        StringBuilder inputs = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            int row = i;
            inputs.append(String.join(
                            ",",
                            java.util.stream.IntStream.range(0, 6)
                                    .mapToObj(j -> Double.toString(Math.sin(3 * row + j)))
                                    .toList()))
                    .append('\n');
        }
        Path data = file("x.csv", inputs.toString());
        ToolRun r = run(
                "analyze",
                "--model",
                model.toString(),
                "--data",
                data.toString(),
                "--ranks",
                "0,2",
                "--json",
                "-",
                "--width-samples",
                "0",
                "--top-k",
                "2");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode layers = new ObjectMapper().readTree(r.out()).get("layers");
        assertThat(layers.get(0).get("reluSingularValues").get("ranks").toString())
                .isEqualTo("[0,2]");
        assertThat(layers.get(1).get("reluSingularValues").isNull())
                .as("tanh layer")
                .isTrue();
        assertThat(layers.get(2).get("reluSingularValues").isNull())
                .as("output layer")
                .isTrue();
        // progress on stderr, one line per layer, while standard output is the JSON alone
        assertThat(r.err()).contains("(1 of 3", "(3 of 3");
    }

    @Test
    void badDataGetsOneLineAndExitCode() throws Exception {
        Path csv = file("a.csv", "1,2,0\n-1,1,3\n");
        String a = csv.toString();
        assertInput(
                run(
                        "analyze",
                        "--matrix",
                        a,
                        "--data",
                        file("w.csv", "1,2\n3,4\n").toString()),
                "has 2 values per input, but");
        assertInput(
                run(
                        "analyze",
                        "--matrix",
                        a,
                        "--data",
                        file("r.csv", "1,2,3\n4,5\n").toString()),
                "first row has 3");
        assertInput(
                run(
                        "analyze",
                        "--matrix",
                        a,
                        "--data",
                        file("n.csv", "1,2,NaN\n").toString()),
                "not a finite number");
        assertInput(
                run("analyze", "--matrix", a, "--data", file("t.csv", "1,2,x\n").toString()), "not a number");
        assertInput(
                run("analyze", "--matrix", a, "--bias", file("b.csv", "1,2,3\n").toString()),
                "must be one line of 2 values");
        Path model = dir.resolve("in.zip");
        org.deeplearning4j.util.ModelSerializer.writeModel(
                io.github.reluspectra.network.TinyNetworks.multiLayer(), model.toFile(), false);
        assertInput(
                run(
                        "analyze",
                        "--model",
                        model.toString(),
                        "--data",
                        file("m.csv", "1,2,3\n").toString()),
                "the data do not fit the network");
        assertUsage(run("analyze", "--matrix", a, "--ranks", "0,1"), "--ranks needs --data");
        assertUsage(
                run(
                        "analyze",
                        "--matrix",
                        a,
                        "--data",
                        file("ok.csv", "1,2,3\n").toString(),
                        "--ranks",
                        "1,-2"),
                "--ranks must be whole numbers of at least 0");
        assertUsage(
                run(
                        "analyze",
                        "--model",
                        model.toString(),
                        "--bias",
                        file("b2.csv", "1\n").toString()),
                "--bias goes with --matrix");
    }
}
