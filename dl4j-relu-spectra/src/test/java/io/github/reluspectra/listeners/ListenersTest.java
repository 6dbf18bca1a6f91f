package io.github.reluspectra.listeners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reluspectra.network.AnalysisOptions;
import io.github.reluspectra.network.LayerAnalysis;
import io.github.reluspectra.network.LayerOperator;
import io.github.reluspectra.network.LayerOperators;
import io.github.reluspectra.network.NetworkAnalyzer;
import io.github.reluspectra.network.TinyNetworks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** Both listeners on tiny networks of both types, with and without workspaces. */
class ListenersTest {

    @TempDir
    Path dir;

    private static DataSetIterator train() {
        return new ListDataSetIterator<>(TinyNetworks.data(1, 96).asList(), 16);
    }

    private static DataSetIterator heldOut() {
        return new ListDataSetIterator<>(TinyNetworks.data(2, 120).asList(), 40);
    }

    @ParameterizedTest
    @EnumSource(value = WorkspaceMode.class, names = {"ENABLED", "NONE"})
    void historyMatchesTheCoreApi(WorkspaceMode workspaces) throws Exception {
        MultiLayerNetwork net = TinyNetworks.multiLayer(workspaces);
        Path json = dir.resolve("spectra.jsonl");
        ReluSpectraListener listener = ReluSpectraListener.builder().topK(3).jsonLines(json).async(true).build();
        net.setListeners(listener);
        net.fit(train(), 2);
        listener.awaitAnalyses();

        List<EpochSpectra> history = listener.history();
        assertThat(history).extracting(EpochSpectra::epoch).containsExactly(0, 1);
        assertThat(history).allSatisfy(e -> {
            assertThat(e.layers()).extracting(LayerAnalysis::name).containsExactly("hidden", "layer1", "out");
            assertThat(e.failures()).isEmpty();
        });
        // The last analysis equals the core API on the final parameters, warm-started as the listener was.
        NetworkAnalyzer analyzer = new NetworkAnalyzer(AnalysisOptions.builder()
                .sequential(io.github.reluspectra.spectra.SequentialReluOptions.builder().topK(3).build()).build());
        LayerOperator hidden = LayerOperators.of(net, DataType.DOUBLE).get(0);
        LayerAnalysis expected = analyzer.analyze(hidden, history.get(0).layers().get(0).sequential().vectors());
        LayerAnalysis actual = history.get(1).layers().get(0);
        assertThat(actual.singularValues()).isEqualTo(expected.singularValues());
        assertThat(actual.sequential().values()).isEqualTo(expected.sequential().values());
        assertThat(actual.width()).isEqualTo(expected.width());
        assertThat(actual.sequential().values()).hasSize(3);
        assertThat(history.get(1).layers().get(1).sequential()).as("tanh layer").isNull();

        List<String> lines = Files.readAllLines(json);
        assertThat(lines).hasSize(2);
        JsonNode second = new ObjectMapper().readTree(lines.get(1));
        assertThat(second.get("epoch").asInt()).isEqualTo(1);
        assertThat(second.get("layers").get(0).get("sequentialReluValues").get(0).asDouble())
                .isEqualTo(actual.sequential().values()[0]);
    }

    @Test
    void handWrittenEpochLoopsAndGraphs() throws Exception {
        ComputationGraph graph = TinyNetworks.graph();
        Path charts = dir.resolve("charts");
        ReluSpectraListener listener = ReluSpectraListener.builder().topK(2).frequency(2).charts(charts).build();
        graph.setListeners(listener);
        for (int epoch = 0; epoch < 4; epoch++) {
            graph.fit(train());
        }
        listener.awaitAnalyses();
        assertThat(listener.history()).extracting(EpochSpectra::epoch).containsExactly(1, 3);
        assertThat(listener.history().get(0).layers()).extracting(LayerAnalysis::name)
                .containsExactly("hidden", "out");
        for (String file : new String[] {"hidden-spectrum.png", "hidden-widths.png", "out-spectrum.png"}) {
            byte[] png = Files.readAllBytes(charts.resolve(file));
            assertThat(png).hasSizeGreaterThan(1000);
            assertThat(java.util.Arrays.copyOf(png, 4)).containsExactly(0x89, 'P', 'N', 'G');
        }
    }

    /** Poisons the output layer's weights at the end of every epoch, before the spectra listener runs. */
    private static final class Poison extends BaseTrainingListener {
        @Override
        public void onEpochEnd(Model model) {
            ((MultiLayerNetwork) model).getLayer(2).getParam("W").putScalar(0, 0, Double.NaN);
        }
    }

    @Test
    void aFailedAnalysisDoesNotStopTraining() {
        MultiLayerNetwork net = TinyNetworks.multiLayer();
        ReluSpectraListener listener = ReluSpectraListener.builder().topK(2).build();
        net.setListeners(new Poison(), listener);
        net.fit(train(), 2);
        assertThat(listener.history()).hasSize(2);
        EpochSpectra first = listener.history().get(0);
        assertThat(first.layers()).extracting(LayerAnalysis::name).containsExactly("hidden", "layer1");
        assertThat(first.failures()).singleElement().asString().contains("layer 'out'").contains("NaN");

        MultiLayerNetwork strict = TinyNetworks.multiLayer();
        strict.setListeners(new Poison(), ReluSpectraListener.builder().failFast(true).build());
        assertThatThrownBy(() -> strict.fit(train(), 1)).hasMessageContaining("layer 'out'");
    }

    @ParameterizedTest
    @EnumSource(value = WorkspaceMode.class, names = {"ENABLED", "NONE"})
    void separationScoresPerReluLayer(WorkspaceMode workspaces) throws Exception {
        MultiLayerNetwork net = TinyNetworks.multiLayer(workspaces);
        Path json = dir.resolve("separation.jsonl");
        SeparationListener listener = SeparationListener.builder(heldOut()).jsonLines(json).build();
        net.setListeners(listener);
        net.fit(train(), 2);
        assertThat(listener.history()).hasSize(2);
        EpochSeparation last = listener.history().get(1);
        assertThat(last.samples()).isEqualTo(120);
        assertThat(last.misclassified()).isBetween(1, 119);
        assertThat(last.scores()).extracting(SeparationScore::layer).containsOnly("hidden");
        assertThat(last.scores()).extracting(SeparationScore::measure)
                .containsExactly("gain", "activeFraction", "localWidth", "alignment");
        assertThat(last.scores()).allSatisfy(s -> assertThat(s.auroc()).isBetween(0.5, 1.0));
        assertThat(last.msp().auroc()).isBetween(0.5, 1.0);
        JsonNode line = new ObjectMapper().readTree(Files.readAllLines(json).get(1));
        assertThat(line.get("scores")).hasSize(4);
        assertThat(line.get("msp").get("auroc").asDouble()).isEqualTo(last.msp().auroc());
    }

    @Test
    void separationOnAGraph() {
        ComputationGraph graph = TinyNetworks.graph();
        SeparationListener listener = SeparationListener.builder(heldOut()).build();
        graph.setListeners(listener);
        graph.fit(train(), 1);
        DataSet data = TinyNetworks.data(2, 120);
        assertThat(listener.history().get(0).scores()).hasSize(4);
        assertThat(listener.history().get(0).samples()).isEqualTo(data.numExamples());
    }
}
