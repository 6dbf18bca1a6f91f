package io.github.reluspectra.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.reluspectra.listeners.ReluSpectraListener;
import io.github.reluspectra.listeners.SeparationListener;
import io.github.reluspectra.network.TinyNetworks;
import io.github.reluspectra.results.EpochSpectra;
import io.github.reluspectra.results.SeparationScore;
import io.github.reluspectra.spectra.ReluFitOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON lines and chart sinks on the listeners, and the JSON writer's rules. */
class SinksTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Lines per epoch with the record's numbers and provenance; charts per network. */
    @Test
    void spectraLinesAndChartsForTwoNetworks() throws Exception {
        Path json = dir.resolve("logs").resolve("spectra.jsonl");
        Path charts = dir.resolve("charts");
        ReluFitOptions fit = ReluFitOptions.builder()
                .ranks(0, 1, 2)
                .rounds(2)
                .stepsPerRound(3)
                .build();
        ReluSpectraListener spectra = ReluSpectraListener.builder()
                .topK(3)
                .data(TinyNetworks.train(), 40)
                .fitOptions(fit)
                .sink(JsonLinesSink.spectra(json, JsonLinesSink.Mode.REPLACE))
                .sink(new ChartsSink(charts))
                .build();
        for (MultiLayerNetwork net : List.of(TinyNetworks.multiLayer(), TinyNetworks.wider())) {
            net.setListeners(spectra);
            net.fit(TinyNetworks.train(), 2);
        }
        List<JsonNode> lines =
                Files.readAllLines(json).stream().map(SinksTest::parse).toList();
        assertThat(lines).extracting(l -> l.get("network").asInt()).containsExactly(1, 1, 2, 2);
        assertThat(lines).extracting(l -> l.get("epoch").asInt()).containsExactly(0, 1, 0, 1);
        EpochSpectra second = spectra.history().get(1);
        JsonNode hidden = lines.get(1).get("layers").get(0);
        assertThat(hidden.get("sequentialReluValues").get(0).asDouble())
                .isEqualTo(second.layers().get(0).sequential().values()[0]);
        assertThat(hidden.get("reluRatios").get(0).asDouble())
                .isEqualTo(second.layers().get(0).reluRatios()[0]);
        assertThat(hidden.get("reluSingularValues").get("values")).hasSize(3);
        JsonNode search = hidden.get("sequentialReluSearch");
        assertThat(search.get("converged").asBoolean())
                .isEqualTo(second.layers().get(0).sequential().converged());
        assertThat(search.get("residuals")).hasSize(3);
        assertThat(search.get("residuals").get(0).asDouble())
                .isEqualTo(second.layers().get(0).sequential().residuals()[0]);
        assertThat(search.get("valueIterations")).hasSize(3);
        assertThat(search.get("valueConverged")).hasSize(3);
        assertThat(search.get("tolerance").asDouble()).isEqualTo(1e-4);
        assertThat(lines.get(1).get("layers").get(1).get("reluSingularValues").isNull())
                .as("tanh layer")
                .isTrue();
        assertThat(lines.get(1)
                        .get("layers")
                        .get(1)
                        .get("meanWidth")
                        .get("relu")
                        .isNull())
                .isTrue();
        JsonNode provenance = lines.get(0).get("provenance");
        assertThat(provenance.get("library").asText()).isEqualTo("dl4j-relu-spectra");
        assertThat(provenance.get("libraryVersion").asText()).isEqualTo("0.1.0-SNAPSHOT");
        assertThat(provenance.get("dl4jVersion").asText()).isEqualTo("1.0.0-M2.1");
        assertThat(provenance
                        .get("options")
                        .get("analysis")
                        .get("sequential")
                        .get("topK")
                        .asInt())
                .isEqualTo(3);
        assertThat(provenance.get("options").get("analysis").get("sequential").has("warmStart"))
                .isFalse();
        assertThat(provenance.get("options").get("analysis").get("dataType").asText())
                .as("the precision the float network was analysed in")
                .isEqualTo("FLOAT");
        assertThat(provenance.get("options").get("dataSamples").asInt()).isEqualTo(40);

        assertThat(charts.resolve("hidden-spectrum.png")).isRegularFile();
        assertThat(charts.resolve("hidden-values-over-data.png")).isRegularFile();
        assertThat(charts.resolve("hidden-alpha.png")).isRegularFile();
        assertThat(charts.resolve("layer1-values-over-data.png")).doesNotExist();
        assertThat(charts.resolve("network-2").resolve("hidden-spectrum.png")).isRegularFile();
        byte[] png = Files.readAllBytes(charts.resolve("hidden-widths.png"));
        assertThat(java.util.Arrays.copyOf(png, 4)).containsExactly(0x89, 'P', 'N', 'G');
        try (var files = Files.list(charts)) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".tmp")))
                    .isEmpty();
        }
    }

    @Test
    void replaceEmptiesTheFileOnceAppendKeepsIt() throws Exception {
        Path json = Files.writeString(dir.resolve("old.jsonl"), "{\"old\":1}\n");
        JsonLinesSink<EpochSpectra> replace = JsonLinesSink.spectra(json, JsonLinesSink.Mode.REPLACE);
        EpochSpectra record = EpochSpectra.failed(
                1,
                0,
                0,
                io.github.reluspectra.results.Failure.ofEpoch(0, "test"),
                io.github.reluspectra.results.Provenance.of(null, Map.of()));
        replace.accept(record);
        replace.accept(record);
        assertThat(Files.readAllLines(json))
                .hasSize(2)
                .allSatisfy(l -> assertThat(l)
                        .contains(
                                "\"failures\":[{\"layer\":null,\"epoch\":0,\"exception\":null,\"message\":\"test\"}]"));
        JsonLinesSink.spectra(json, JsonLinesSink.Mode.APPEND).accept(record);
        assertThat(Files.readAllLines(json)).hasSize(3);
        assertThatThrownBy(() -> JsonLinesSink.spectra(dir, JsonLinesSink.Mode.APPEND))
                .hasMessageContaining("is a directory");
        assertThatThrownBy(() -> new ChartsSink(json)).hasMessageContaining("is a file");
    }

    @Test
    void separationLines() throws Exception {
        Path json = dir.resolve("separation.jsonl");
        SeparationListener listener = SeparationListener.builder(TinyNetworks.heldOut())
                .sink(JsonLinesSink.separation(json, JsonLinesSink.Mode.REPLACE))
                .build();
        MultiLayerNetwork net = TinyNetworks.multiLayer();
        net.setListeners(listener);
        net.fit(TinyNetworks.train(), 1);
        JsonNode line = parse(Files.readAllLines(json).get(0));
        assertThat(line.get("scores")).hasSize(4);
        assertThat(line.get("msp").get("auroc").asDouble())
                .isEqualTo(listener.history().get(0).msp().auroc());
        assertThat(line.get("provenance").get("options").get("alignmentK").asInt())
                .isEqualTo(8);
    }

    /** NaN means "does not apply" and is written as null; an infinite number is an error, never a string. */
    @Test
    void numbersJsonCannotCarry() {
        assertThat(Json.line(new SeparationScore("x", "gain", Double.NaN, "higher")))
                .contains("\"auroc\":null");
        assertThat(Json.line(new double[] {1, Double.NaN})).isEqualTo("[1.0,null]");
        assertThatThrownBy(() -> Json.line(new double[] {Double.POSITIVE_INFINITY}))
                .hasMessageContaining("not a number JSON can carry");
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError(line, e);
        }
    }
}
