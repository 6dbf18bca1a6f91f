package io.github.reluspectra.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --model lenet} on a few hundred bundled digits: the report, its numbers and the saved model. */
class LenetDemoTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void lenetRunReportsTheConvolutionsBesideTheirKernelSlices() throws IOException {
        Path report = dir.resolve("lenet");
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = DemoMnist.run(new String[] {
                "--model",
                "lenet",
                "--out",
                report.toString(),
                "--epochs",
                "1",
                "--train-samples",
                "256",
                "--test-samples",
                "128"
            });
        } finally {
            System.setOut(original);
        }
        String stdout = captured.toString(StandardCharsets.UTF_8);
        assertThat(code).as(stdout).isZero();
        assertThat(stdout)
                .contains(
                        "=== demo-mnist --model lenet summary ===",
                        "conv1 (1x28x28 -> 20x24x24)",
                        "conv2 (20x12x12 -> 50x8x8)",
                        "kernel-slice");

        JsonNode lenet = JSON.readTree(report.resolve("lenet.json").toFile());
        assertThat(lenet.get("epochs")).hasSize(1);
        JsonNode epoch = lenet.get("epochs").get(0);
        assertThat(epoch.get("spectraSeconds").asDouble()).isPositive();
        assertThat(epoch.get("separationSeconds").asDouble()).isPositive();
        JsonNode convolutions = lenet.get("convolutions");
        assertThat(convolutions).extracting(c -> c.get("layer").asText()).containsExactly("conv1", "conv2");
        for (JsonNode c : convolutions) {
            assertThat(c.get("sigma")).hasSize(8);
            assertThat(c.get("pooledKernelSlices")).hasSize(8);
            assertThat(c.get("singularValuesConverged").asBoolean()).isTrue();
            double ratio = c.get("s1OverSigma1").asDouble();
            assertThat(ratio).as("F2, F3").isBetween(1 / Math.sqrt(2) - 1e-9, 1.0);
            assertThat(c.get("s1OverSigma1").asDouble())
                    .isEqualTo(c.get("sequentialRelu").get(0).asDouble()
                            / c.get("sigma").get(0).asDouble());
        }
        assertThat(lenet.get("skipped")).extracting(s -> s.get("name").asText()).containsExactly("pool1", "pool2");

        List<String> lines = Files.readAllLines(report.resolve("spectra.jsonl"));
        assertThat(lines).hasSize(1);
        JsonNode layers = JSON.readTree(lines.get(0)).get("layers");
        assertThat(layers)
                .extracting(l -> l.get("type").asText())
                .containsExactly("ConvolutionLayer", "ConvolutionLayer", "DenseLayer", "OutputLayer");
        assertThat(layers.get(1).get("inputShape")).extracting(JsonNode::asInt).containsExactly(20, 12, 12);
        JsonNode separation = JSON.readTree(
                Files.readAllLines(report.resolve("separation.jsonl")).get(0));
        assertThat(separation.get("failures")).isEmpty();
        assertThat(separation.get("scores"))
                .extracting(s -> s.get("layer").asText())
                .contains("conv1", "conv2", "dense");

        assertThat(report.resolve("charts").resolve("conv1-operator-vs-slices.png"))
                .isRegularFile();
        assertThat(report.resolve("charts").resolve("conv2-spectrum.png")).isRegularFile();
        assertThat(Files.readString(report.resolve("index.html")))
                .contains("pooled kernel-slice", "What this run shows");
        var net = ModelSerializer.restoreMultiLayerNetwork(
                report.resolve("model-lenet.zip").toFile());
        assertThat(net.getnLayers()).isEqualTo(6);

        // pruned to 4x fewer parameters in all, convolutions included, by both data-aware bases
        assertThat(stdout).contains("pruning, convolutions included", "fitted over data", "whitened SVD");
        JsonNode pruning = lenet.get("pruning");
        assertThat(pruning).extracting(r -> r.get("basis").asText()).containsExactly("FITTED", "WHITENED");
        for (JsonNode row : pruning) {
            assertThat((double) net.numParams() / row.get("params").asLong()).isGreaterThanOrEqualTo(4.0);
            JsonNode layers0 = row.get("report").get("layers");
            assertThat(layers0)
                    .extracting(l -> l.get("kind").asText())
                    .containsExactly("CONVOLUTION", "CONVOLUTION", "DENSE");
            var pruned = ModelSerializer.restoreMultiLayerNetwork(
                    report.resolve(row.get("model").asText()).toFile());
            assertThat(pruned.numParams()).isEqualTo(row.get("params").asLong());
            assertThat(row.get("accuracyFineTuned").asDouble()).isBetween(0.0, 1.0);
        }
        assertThat(Files.readString(report.resolve("index.html"))).contains("Pruning, convolutions included");
    }
}
