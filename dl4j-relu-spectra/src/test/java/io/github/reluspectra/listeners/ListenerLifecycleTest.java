package io.github.reluspectra.listeners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reluspectra.network.TinyNetworks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** Listeners reused across networks, closed, or left with analyses pending when the program ends. */
class ListenerLifecycleTest {

    @TempDir
    Path dir;

    private static DataSetIterator train() {
        return new ListDataSetIterator<>(TinyNetworks.data(1, 96).asList(), 16);
    }

    /** The tiny network's layer names with another hidden width: what a sweep over widths trains. */
    private static MultiLayerNetwork wider() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(12)
                .updater(new Adam(1e-2)).list()
                .layer(new DenseLayer.Builder().name("hidden").nIn(6).nOut(9).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(9).nOut(4).activation(Activation.TANH).hasBias(false).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nIn(4).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    @Test
    void oneListenerForTwoNetworksInTurn() throws Exception {
        Path json = dir.resolve("logs").resolve("spectra.jsonl");
        Path charts = dir.resolve("charts");
        ReluSpectraListener spectra = ReluSpectraListener.builder().topK(3).jsonLines(json).charts(charts).build();
        SeparationListener separation = SeparationListener.builder(
                new ListDataSetIterator<>(TinyNetworks.data(2, 120).asList(), 40)).build();
        for (MultiLayerNetwork net : List.of(TinyNetworks.multiLayer(), wider())) {
            net.setListeners(spectra, separation);
            net.fit(train(), 2);
        }
        assertThat(spectra.history()).extracting(EpochSpectra::network).containsExactly(1, 1, 2, 2);
        assertThat(spectra.history()).extracting(EpochSpectra::epoch).containsExactly(0, 1, 0, 1);
        assertThat(spectra.history()).allSatisfy(e -> assertThat(e.failures()).isEmpty());
        assertThat(spectra.history().get(3).layers().get(0).nOut()).isEqualTo(9);
        assertThat(separation.history()).extracting(EpochSeparation::network).containsExactly(1, 1, 2, 2);
        assertThat(separation.history()).allSatisfy(e -> assertThat(e.scores()).hasSize(4));

        List<String> lines = Files.readAllLines(json);
        assertThat(lines).extracting(l -> new ObjectMapper().readTree(l).get("network").asInt())
                .containsExactly(1, 1, 2, 2);
        assertThat(charts.resolve("hidden-spectrum.png")).exists();
        assertThat(charts.resolve("network-2").resolve("hidden-spectrum.png")).exists();
        try (var files = Files.list(charts)) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".tmp"))).isEmpty();
        }
    }

    /** An asynchronous listener right after three epochs of training, its analyses possibly still pending. */
    private static ReluSpectraListener afterThreeAsyncEpochs(MultiLayerNetwork net) {
        ReluSpectraListener listener = ReluSpectraListener.builder().topK(2).async(true).build();
        net.setListeners(listener);
        net.fit(train(), 3);
        return listener;
    }

    @Test
    void closeCompletesPendingAnalyses() {
        MultiLayerNetwork net = TinyNetworks.multiLayer();
        ReluSpectraListener listener = afterThreeAsyncEpochs(net);
        listener.close();
        assertThat(listener.history()).extracting(EpochSpectra::epoch).containsExactly(0, 1, 2);
        net.fit(train(), 1);  // after close: logged and skipped, training goes on
        assertThat(listener.history()).hasSize(3);
    }

    @Test
    void theProgramsEndWaitsForPendingAnalyses() {
        ReluSpectraListener listener = afterThreeAsyncEpochs(TinyNetworks.multiLayer());
        listener.finishAtExit();  // what the shutdown hook runs
        assertThat(listener.history()).extracting(EpochSpectra::epoch).containsExactly(0, 1, 2);
    }

    /** The values over data per ReLU layer, warm-started epoch to epoch, equal the core API on the layer's inputs. */
    @Test
    void valuesOverDataInTheHistoryJsonAndCharts() throws Exception {
        MultiLayerNetwork net = TinyNetworks.multiLayer();
        io.github.reluspectra.spectra.ReluFitOptions fit = io.github.reluspectra.spectra.ReluFitOptions.builder()
                .ranks(0, 1, 2, 4).epochs(2).batchSize(16).polishSteps(3).build();
        Path json = dir.resolve("spectra.jsonl");
        Path charts = dir.resolve("charts");
        ReluSpectraListener listener = ReluSpectraListener.builder().topK(2).data(train(), 40).fitOptions(fit)
                .jsonLines(json).charts(charts).build();
        net.setListeners(listener);
        net.fit(train(), 2);

        List<EpochSpectra> history = listener.history();
        io.github.reluspectra.spectra.ReluValuesOverData first = history.get(0).layers().get(0).overData();
        io.github.reluspectra.spectra.ReluValuesOverData second = history.get(1).layers().get(0).overData();
        assertThat(first.samples()).isEqualTo(40);
        assertThat(second.ranks()).containsExactly(0, 1, 2, 4);
        assertThat(history.get(1).layers().get(1).overData()).as("tanh layer").isNull();
        var hidden = io.github.reluspectra.network.LayerOperators.of(net, org.nd4j.linalg.api.buffer.DataType.DOUBLE)
                .get(0);
        var features = TinyNetworks.data(1, 96).getFeatures().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 40),
                org.nd4j.linalg.indexing.NDArrayIndex.all());
        var expected = io.github.reluspectra.spectra.ReluSingularValues.compute(hidden.weights(), hidden.bias(),
                net.feedForward(features, false).get(0).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE),
                fit.withWarmStart(first));
        assertThat(second.values()).containsExactly(expected.values());

        var line = new ObjectMapper().readTree(Files.readAllLines(json).get(1));
        assertThat(line.get("layers").get(0).get("reluSingularValues").get("values")).hasSize(4);
        assertThat(line.get("layers").get(1).get("reluSingularValues").isNull()).isTrue();
        assertThat(charts.resolve("hidden-values-over-data.png")).exists();
        assertThat(charts.resolve("layer1-values-over-data.png")).doesNotExist();
    }

    /** The residual measure's AUROC equals the one of r_k(h) computed by hand from the same fit. */
    @Test
    void residualMeasureOfTheFittedApproximation() {
        MultiLayerNetwork net = TinyNetworks.multiLayer();
        net.fit(train(), 2);
        io.github.reluspectra.spectra.ReluFitOptions fit = io.github.reluspectra.spectra.ReluFitOptions.builder()
                .ranks(0, 1, 2, 4).epochs(2).batchSize(16).polishSteps(3).build();
        var heldOut = TinyNetworks.data(2, 120);
        SeparationListener listener = SeparationListener.builder(new ListDataSetIterator<>(heldOut.asList(), 40))
                .fitData(train(), 48).fitOptions(fit).build();
        EpochSeparation result = listener.measure(net, 1);
        assertThat(result.scores()).extracting(SeparationScore::measure)
                .containsExactly("gain", "activeFraction", "localWidth", "alignment", "residual");

        var hidden = io.github.reluspectra.network.LayerOperators.of(net, org.nd4j.linalg.api.buffer.DataType.DOUBLE)
                .get(0);
        var training = net.feedForward(TinyNetworks.data(1, 96).getFeatures().get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 48), org.nd4j.linalg.indexing.NDArrayIndex.all()),
                false).get(0).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        var fits = io.github.reluspectra.spectra.ReluSingularValues.compute(hidden.weights(), hidden.bias(), training, fit);
        var chosen = fits.fit(fits.smallestRankWithin(0.5));
        var h = heldOut.getFeatures().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        var b = hidden.bias().reshape(1, 5);
        var exact = org.nd4j.linalg.ops.transforms.Transforms.relu(h.mmul(hidden.weights().transpose()).addRowVector(b));
        var approx = org.nd4j.linalg.ops.transforms.Transforms.relu(
                h.mmul(chosen.m().transpose()).mmul(chosen.w().transpose()).addRowVector(b));
        double[] out = exact.norm2(1).toDoubleVector();
        double[] err = exact.sub(approx).norm2(1).toDoubleVector();
        double[] r = new double[out.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = out[i] > 0 ? err[i] / out[i] : 0;
        }
        int[] predicted = net.output(heldOut.getFeatures()).argMax(1).toIntVector();
        int[] actual = heldOut.getLabels().argMax(1).toIntVector();
        boolean[] wrong = new boolean[r.length];
        for (int i = 0; i < r.length; i++) {
            wrong[i] = predicted[i] != actual[i];
        }
        assertThat(result.scores().get(4))
                .isEqualTo(SeparationScore.of("hidden", "residual", io.github.reluspectra.report.Auroc.of(r, wrong)));
    }

    @Test
    void outputsAreCheckedWhenBuilt() throws Exception {
        Path charts = Files.createDirectories(dir.resolve("charts"));
        assertThatThrownBy(() -> ReluSpectraListener.builder().jsonLines(charts).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is a directory");
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertThatThrownBy(() -> ReluSpectraListener.builder().charts(file).build())
                .hasMessageContaining("is a file");
        Path same = dir.resolve("out");
        assertThatThrownBy(() -> ReluSpectraListener.builder().jsonLines(same).charts(same).build())
                .hasMessageContaining("the same path");
        assertThatThrownBy(() -> SeparationListener.builder(train()).jsonLines(charts).build())
                .hasMessageContaining("is a directory");
    }
}
