package io.github.reluspectra.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.reluspectra.cli.ReluSpectraCli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole pipeline on a few hundred digits from a data directory, and the command line on bad input. */
class DemoMnistTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static Path report;
    private static int exitCode;
    private static String stdout;

    /**
     * The bundled digits as a {@code --data-dir}: training files unpacked, test files gzipped, as a user's
     * directory might hold them.
     */
    private static Path dataDir() throws IOException {
        Path data = Files.createDirectories(dir.resolve("idx"));
        for (String name : List.of(
                "train-images-idx3-ubyte",
                "train-labels-idx1-ubyte",
                "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte")) {
            try (InputStream in = DemoMnistTest.class.getResourceAsStream("/mnist-10k/" + name + ".gz")) {
                if (name.startsWith("train")) {
                    Files.copy(new GZIPInputStream(in), data.resolve(name));
                } else {
                    Files.copy(in, data.resolve(name + ".gz"));
                }
            }
        }
        return data;
    }

    @BeforeAll
    static void smokeRun() throws IOException {
        Path data = dataDir();
        report = dir.resolve("report");
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            exitCode = DemoMnist.run(new String[] {
                "--data-dir",
                data.toString(),
                "--out",
                report.toString(),
                "--epochs",
                "1",
                "--hidden",
                "32,24",
                "--train-samples",
                "300",
                "--test-samples",
                "200",
                "--energies",
                "0.6"
            });
        } finally {
            System.setOut(original);
        }
        stdout = captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyReportFileExistsAndParses() throws IOException {
        assertThat(exitCode).as(stdout).isZero();
        assertThat(stdout)
                .contains(
                        "=== demo-mnist summary ===",
                        "pruning",
                        "separation",
                        "IDX files in",
                        report.resolve("index.html")
                                .toAbsolutePath()
                                .normalize()
                                .toString());

        List<String> lines = Files.readAllLines(report.resolve("spectra.jsonl"));
        assertThat(lines).hasSize(1);
        JsonNode epoch = JSON.readTree(lines.get(0));
        assertThat(epoch.get("provenance").get("seed").asLong())
                .as("the run's seed")
                .isEqualTo(42);
        assertThat(epoch.get("layers")).hasSize(3);
        assertThat(epoch.get("layers").get(0).get("sequentialReluValues")).isNotEmpty();
        assertThat(epoch.get("layers").get(0).get("reluSingularValues").get("values"))
                .hasSize(7); // ranks 0..32: hidden1 is 32 wide
        assertThat(report.resolve("charts").resolve("hidden1-values-over-data.png"))
                .isRegularFile();

        JsonNode separation = JSON.readTree(report.resolve("separation.json").toFile());
        assertThat(separation.get("epochs")).hasSize(1);
        assertThat(separation.get("epochs").get(0).get("scores")).hasSize(10); // 2 ReLU layers x 5 measures
        assertThat(separation.get("epochs").get(0).get("msp").get("measure").asText())
                .isEqualTo("msp");
        assertThat(separation
                        .get("epochs")
                        .get(0)
                        .get("measureSeconds")
                        .get(0)
                        .get("measure")
                        .asText())
                .isEqualTo("passes");

        JsonNode pruning = JSON.readTree(report.resolve("pruning.json").toFile());
        // (energy 0.6, budget 0.25) x (SVD, ReLU, fitted, whitened, activation-scaled, magnitude)
        assertThat(pruning.get("networks")).hasSize(12);
        assertThat(pruning.get("provenance").get("seed").asLong()).isEqualTo(42);
        for (JsonNode row : pruning.get("networks")) {
            JsonNode pruned = row.get("report"); // the schema of prune --json
            assertThat(pruned.get("accuracyBefore").asDouble())
                    .isEqualTo(pruning.get("original").get("accuracy").asDouble());
            long layerSum = 0;
            for (JsonNode layer : pruned.get("layers")) {
                layerSum += layer.get("paramsAfter").asLong();
            }
            assertThat(pruned.get("paramsAfter").asLong()).isEqualTo(layerSum);
            assertThat(row.get("params").asLong())
                    .isLessThan(pruning.get("original").get("params").asLong());
            assertThat(report.resolve(row.get("model").asText())).isRegularFile();
        }

        JsonNode training = JSON.readTree(report.resolve("training.json").toFile());
        assertThat(training.get("trainSamples").asInt()).isEqualTo(300);
        assertThat(training.get("epochs")).hasSize(1);

        try (Stream<Path> files = Files.list(report.resolve("charts"))) {
            List<Path> charts = files.toList();
            assertThat(charts)
                    .extracting(p -> p.getFileName().toString())
                    .contains(
                            "hidden1-spectrum.png",
                            "hidden1-ratio.png",
                            "hidden1-widths.png",
                            "separation.png",
                            "pruning.png",
                            "plain-vs-double.png",
                            "double1-spectrum.png");
            for (Path chart : charts) {
                assertThat(ImageIO.read(chart.toFile())).as(chart.toString()).isNotNull();
            }
        }
    }

    @Test
    void indexReferencesOnlyFilesInTheReportDirectory() throws IOException {
        String html = Files.readString(report.resolve("index.html"));
        Matcher m = Pattern.compile("(?:src|href)\\s*=\\s*\"([^\"]*)\"").matcher(html);
        List<String> references = new ArrayList<>();
        while (m.find()) {
            references.add(m.group(1));
        }
        assertThat(references).isNotEmpty().contains("model.zip", "charts/pruning.png");
        assertThat(html).doesNotContain("url(", "@import", "<script", "<link");
        Path root = report.toRealPath();
        for (String ref : references) {
            if (ref.startsWith("#")) {
                assertThat(html).contains("id=\"" + ref.substring(1) + "\"");
                continue;
            }
            assertThat(ref).as("reference").doesNotContain(":").doesNotStartWith("/");
            Path target = report.resolve(ref).toRealPath();
            assertThat(target).as(ref).isRegularFile();
            assertThat(target.startsWith(root))
                    .as(ref + " inside the report directory")
                    .isTrue();
        }
    }

    @Test
    void savedModelsRestoreAndWorkWithTheTools() throws IOException {
        var mlp = ModelSerializer.restoreMultiLayerNetwork(
                report.resolve("model.zip").toFile());
        assertThat(mlp.layerInputSize(0)).isEqualTo(784);
        var graph = ModelSerializer.restoreComputationGraph(
                report.resolve("model-double.zip").toFile());
        assertThat(graph.getNumOutputArrays()).isEqualTo(1);
        try (Stream<Path> pruned = Files.list(report)) {
            for (Path p : pruned.filter(p -> p.getFileName().toString().startsWith("model-pruned-"))
                    .toList()) {
                assertThat(ModelSerializer.restoreMultiLayerNetwork(p.toFile())
                                .layerSize(ModelSerializer.restoreMultiLayerNetwork(p.toFile())
                                                .getnLayers()
                                        - 1))
                        .isEqualTo(10);
            }
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ReluSpectraCli.run(
                new String[] {
                    "analyze",
                    "--model",
                    report.resolve("model-double.zip").toString(),
                    "--top-k",
                    "2",
                    "--width-samples",
                    "0"
                },
                new PrintWriter(out),
                new PrintWriter(err));
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("double1", "DoubleLayer");
    }

    @Test
    void badInputGetsOneLineAndAnExitCode() throws IOException {
        Path untouched = dir.resolve("untouched");
        assertThat(runCapturingErr("--data-dir", dir.resolve("nowhere").toString(), "--out", untouched.toString()))
                .startsWith("3 ")
                .contains("nowhere")
                .contains("not a directory");
        assertThat(untouched).doesNotExist();
        Path bad = Files.createDirectories(dir.resolve("bad"));
        Files.write(bad.resolve("train-images-idx3-ubyte"), new byte[] {0, 0, 1, 2, 0, 0, 0, 0});
        Files.write(bad.resolve("train-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 0});
        assertThat(runCapturingErr(
                        "--data-dir", bad.toString(), "--out", dir.resolve("r2").toString()))
                .startsWith("3 ")
                .contains("train-images-idx3-ubyte")
                .contains("magic number");
        String out = untouched.toString();
        assertThat(runCapturingErr("--epochs", "0", "--out", out))
                .startsWith("2 ")
                .contains("epochs must be at least 1");
        assertThat(runCapturingErr("--energies", "1.5", "--out", out))
                .startsWith("2 ")
                .contains("(0, 1]");
        assertThat(runCapturingErr("--full", "--data-dir", "x", "--out", out))
                .startsWith("2 ")
                .contains("exclude");
        assertThat(runCapturingErr("--hidden", "abc", "--out", out)).startsWith("2 ");
        Path file = Files.writeString(dir.resolve("report.txt"), "keep");
        assertThat(runCapturingErr("--out", file.toString())).startsWith("2 ").contains("is a file; give a directory");
        assertThat(Files.readString(file)).isEqualTo("keep");
        assertThat(untouched).doesNotExist();
    }

    /** "CODE stderr" of a run. */
    private static String runCapturingErr(String... args) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = DemoMnist.run(args);
        } finally {
            System.setErr(original);
        }
        String err = captured.toString(StandardCharsets.UTF_8);
        assertThat(err.lines().filter(l -> !l.startsWith("Try ")).count())
                .as(err)
                .isEqualTo(1);
        return code + " " + err;
    }
}
