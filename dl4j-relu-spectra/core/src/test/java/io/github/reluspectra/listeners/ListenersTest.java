package io.github.reluspectra.listeners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reluspectra.measures.Auroc;
import io.github.reluspectra.measures.SampleMeasures;
import io.github.reluspectra.network.AnalysisOptions;
import io.github.reluspectra.network.LayerOperator;
import io.github.reluspectra.network.LayerOperators;
import io.github.reluspectra.network.NetworkAnalyzer;
import io.github.reluspectra.network.TinyNetworks;
import io.github.reluspectra.results.EpochSeparation;
import io.github.reluspectra.results.EpochSpectra;
import io.github.reluspectra.results.LayerAnalysis;
import io.github.reluspectra.results.SeparationScore;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

/** Both listeners on tiny networks of both types, with and without workspaces. */
class ListenersTest {

    @ParameterizedTest
    @EnumSource(
            value = WorkspaceMode.class,
            names = {"ENABLED", "NONE"})
    void historyMatchesTheCoreApi(WorkspaceMode workspaces) {
        MultiLayerNetwork net = TinyNetworks.multiLayer(workspaces);
        ReluSpectraListener listener =
                ReluSpectraListener.builder().topK(3).async(true).build();
        net.setListeners(listener);
        net.fit(TinyNetworks.train(), 2);
        listener.awaitAnalyses();

        List<EpochSpectra> history = listener.history();
        assertThat(history).extracting(EpochSpectra::epoch).containsExactly(0, 1);
        assertThat(history).allSatisfy(e -> {
            assertThat(e.layers()).extracting(LayerAnalysis::name).containsExactly("hidden", "layer1", "out");
            assertThat(e.failures()).isEmpty();
        });
        // The last analysis equals the core API on the final parameters (in the network's precision, float),
        // warm-started as the listener was.
        NetworkAnalyzer analyzer = new NetworkAnalyzer(AnalysisOptions.builder()
                .sequential(io.github.reluspectra.spectra.SequentialReluOptions.builder()
                        .topK(3)
                        .build())
                .build());
        LayerOperator hidden = LayerOperators.of(net, DataType.FLOAT).get(0);
        LayerAnalysis expected = analyzer.analyze(io.github.reluspectra.network.LayerRequest.of(hidden)
                .withWarmStart(history.get(0).layers().get(0).sequential().vectors()));
        LayerAnalysis actual = history.get(1).layers().get(0);
        assertThat(actual.singularValues()).isEqualTo(expected.singularValues());
        assertThat(actual.sequential().values()).isEqualTo(expected.sequential().values());
        assertThat(actual.width()).isEqualTo(expected.width());
        assertThat(actual.sequential().values()).hasSize(3);
        assertThat(history.get(1).layers().get(1).sequential()).as("tanh layer").isNull();

        listener.close();
    }

    @Test
    void handWrittenEpochLoopsAndGraphs() {
        ComputationGraph graph = TinyNetworks.graph();
        ReluSpectraListener listener =
                ReluSpectraListener.builder().topK(2).frequency(2).build();
        graph.setListeners(listener);
        for (int epoch = 0; epoch < 4; epoch++) {
            graph.fit(TinyNetworks.train());
        }
        listener.awaitAnalyses();
        assertThat(listener.history()).extracting(EpochSpectra::epoch).containsExactly(1, 3);
        assertThat(listener.history().get(0).layers())
                .extracting(LayerAnalysis::name)
                .containsExactly("hidden", "out");
    }

    /** Poisons the output layer's weights at the end of every epoch, before the spectra listener runs. */
    static final class Poison extends BaseTrainingListener {
        @Override
        public void onEpochEnd(Model model) {
            ((MultiLayerNetwork) model).getLayer(2).getParam("W").putScalar(0, 0, Double.NaN);
        }
    }

    @Test
    void theRunsSeedIsRecordedInTheProvenance() {
        MultiLayerNetwork net = TinyNetworks.multiLayer();
        ReluSpectraListener seeded =
                ReluSpectraListener.builder().topK(2).seed(7).build();
        ReluSpectraListener unseeded = ReluSpectraListener.builder().topK(2).build();
        net.setListeners(seeded, unseeded);
        net.fit(TinyNetworks.train());
        assertThat(seeded.history().get(0).provenance().seed()).isEqualTo(7L);
        assertThat(unseeded.history().get(0).provenance().seed()).isNull();
    }

    @Test
    void aFailedAnalysisDoesNotStopTraining() {
        MultiLayerNetwork net = TinyNetworks.multiLayer();
        ReluSpectraListener listener = ReluSpectraListener.builder().topK(2).build();
        net.setListeners(new Poison(), listener);
        net.fit(TinyNetworks.train(), 2);
        assertThat(listener.history()).hasSize(2);
        EpochSpectra first = listener.history().get(0);
        assertThat(first.layers()).extracting(LayerAnalysis::name).containsExactly("hidden", "layer1");
        assertThat(first.failures())
                .singleElement()
                .asString()
                .contains("layer 'out'")
                .contains("NaN");
        assertThat(first.failures().get(0).layer()).isEqualTo("out");
        assertThat(first.failures().get(0).epoch()).isEqualTo(first.epoch());
        assertThat(first.failures().get(0).exception()).isEqualTo("IllegalArgumentException");

        MultiLayerNetwork strict = TinyNetworks.multiLayer();
        strict.setListeners(
                new Poison(), ReluSpectraListener.builder().failFast(true).build());
        assertThatThrownBy(() -> strict.fit(TinyNetworks.train(), 1)).hasMessageContaining("layer 'out'");
    }

    @ParameterizedTest
    @EnumSource(
            value = WorkspaceMode.class,
            names = {"ENABLED", "NONE"})
    void separationScoresPerReluLayer(WorkspaceMode workspaces) {
        MultiLayerNetwork net = TinyNetworks.multiLayer(workspaces);
        SeparationListener listener =
                SeparationListener.builder(TinyNetworks.heldOut()).build();
        net.setListeners(listener);
        net.fit(TinyNetworks.train(), 2);
        assertThat(listener.history()).hasSize(2);
        EpochSeparation last = listener.history().get(1);
        assertThat(last.scores()).extracting(SeparationScore::layer).containsOnly("hidden");
        assertThat(last.scores())
                .extracting(SeparationScore::measure)
                .containsExactly("gain", "activeFraction", "localWidth", "alignment");

        // The oracle: the same measures and AUROCs computed here from the final network.
        DataSet data = TinyNetworks.data(2, 120);
        int[] predicted = net.output(data.getFeatures()).argMax(1).toIntVector();
        int[] actual = data.getLabels().argMax(1).toIntVector();
        boolean[] wrong = new boolean[predicted.length];
        int misclassified = 0;
        for (int i = 0; i < wrong.length; i++) {
            wrong[i] = predicted[i] != actual[i];
            misclassified += wrong[i] ? 1 : 0;
        }
        assertThat(last.samples()).isEqualTo(120);
        assertThat(last.misclassified()).isEqualTo(misclassified);
        LayerOperator hidden = LayerOperators.of(net, DataType.DOUBLE).get(0);
        var h = data.getFeatures().castTo(DataType.DOUBLE);
        assertThat(last.scores().get(0))
                .isEqualTo(SeparationScore.of(
                        "hidden", "gain", Auroc.of(SampleMeasures.gain(hidden.weights(), hidden.bias(), h), wrong)));
        assertThat(last.scores().get(1))
                .isEqualTo(SeparationScore.of(
                        "hidden",
                        "activeFraction",
                        Auroc.of(SampleMeasures.activeFraction(hidden.weights(), hidden.bias(), h), wrong)));
        double[] msp =
                net.output(data.getFeatures()).max(1).castTo(DataType.DOUBLE).toDoubleVector();
        assertThat(last.msp()).isEqualTo(SeparationScore.of("output", "msp", Auroc.of(msp, wrong)));
        // where the time went: the shared passes, then each measure of each layer, within the record's seconds
        assertThat(last.measureSeconds())
                .extracting(m -> m.layer() + " " + m.measure())
                .containsSubsequence("all passes", "hidden gain", "hidden localWidth", "hidden alignment");
        assertThat(last.measureSeconds().stream().mapToDouble(m -> m.seconds()).sum())
                .isPositive()
                .isLessThanOrEqualTo(last.seconds());
    }

    /** A search that stops at its iteration cap is a WARN naming the layer, and the record says so per value. */
    @Test
    void unconvergedValuesAreReported() {
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(NetworkAnalyzer.class);
        var appender = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        appender.start();
        logger.addAppender(appender);
        try {
            MultiLayerNetwork net = TinyNetworks.multiLayer();
            ReluSpectraListener listener = ReluSpectraListener.builder()
                    .options(AnalysisOptions.builder()
                            .sequential(io.github.reluspectra.spectra.SequentialReluOptions.builder()
                                    .topK(3)
                                    .tolerance(1e-14)
                                    .maxIterationsPerValue(1)
                                    .build())
                            .build())
                    .build();
            net.setListeners(listener);
            net.fit(TinyNetworks.train(), 1);
            var hidden = listener.history().get(0).layers().get(0).sequential();
            assertThat(hidden.converged()).isFalse();
            assertThat(hidden.valueConverged()).contains(false);
            assertThat(appender.list).anySatisfy(event -> {
                assertThat(event.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
                assertThat(event.getFormattedMessage())
                        .contains("layer 'hidden'")
                        .contains("did not converge");
            });
        } finally {
            logger.detachAppender(appender);
        }
    }

    @Test
    void separationOnAGraph() {
        ComputationGraph graph = TinyNetworks.graph();
        SeparationListener listener =
                SeparationListener.builder(TinyNetworks.heldOut()).build();
        graph.setListeners(listener);
        graph.fit(TinyNetworks.train(), 1);
        DataSet data = TinyNetworks.data(2, 120);
        assertThat(listener.history().get(0).scores()).hasSize(4);
        assertThat(listener.history().get(0).samples()).isEqualTo(data.numExamples());
    }
}
