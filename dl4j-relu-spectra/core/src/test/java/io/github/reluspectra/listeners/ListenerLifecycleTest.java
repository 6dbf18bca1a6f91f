package io.github.reluspectra.listeners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reluspectra.measures.Auroc;
import io.github.reluspectra.network.TinyNetworks;
import io.github.reluspectra.results.EpochSeparation;
import io.github.reluspectra.results.EpochSpectra;
import io.github.reluspectra.results.SeparationScore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

/** Listeners reused across networks, closed, or left with analyses pending when the program ends. */
class ListenerLifecycleTest {

    @Test
    void oneListenerForTwoNetworksInTurn() {
        List<EpochSpectra> handed = new CopyOnWriteArrayList<>();
        ReluSpectraListener spectra =
                ReluSpectraListener.builder().topK(3).sink(handed::add).build();
        SeparationListener separation =
                SeparationListener.builder(TinyNetworks.heldOut()).build();
        for (MultiLayerNetwork net : List.of(TinyNetworks.multiLayer(), TinyNetworks.wider())) {
            net.setListeners(spectra, separation);
            net.fit(TinyNetworks.train(), 2);
        }
        assertThat(spectra.history()).extracting(EpochSpectra::network).containsExactly(1, 1, 2, 2);
        assertThat(spectra.history()).extracting(EpochSpectra::epoch).containsExactly(0, 1, 0, 1);
        assertThat(spectra.history()).allSatisfy(e -> assertThat(e.failures()).isEmpty());
        assertThat(spectra.history().get(3).layers().get(0).nOut()).isEqualTo(9);
        assertThat(separation.history()).extracting(EpochSeparation::network).containsExactly(1, 1, 2, 2);
        assertThat(separation.history()).allSatisfy(e -> assertThat(e.scores()).hasSize(4));

        assertThat(handed).as("each record handed to the sink once").isEqualTo(spectra.history());
    }

    /** An asynchronous listener right after three epochs of training, its analyses possibly still pending. */
    private static ReluSpectraListener afterThreeAsyncEpochs(MultiLayerNetwork net) {
        ReluSpectraListener listener =
                ReluSpectraListener.builder().topK(2).async(true).build();
        net.setListeners(listener);
        net.fit(TinyNetworks.train(), 3);
        return listener;
    }

    @Test
    void closeCompletesPendingAnalyses() {
        MultiLayerNetwork net = TinyNetworks.multiLayer();
        ReluSpectraListener listener = afterThreeAsyncEpochs(net);
        listener.close();
        assertThat(listener.history()).extracting(EpochSpectra::epoch).containsExactly(0, 1, 2);
        net.fit(TinyNetworks.train(), 1); // after close: logged, recorded as not analysed, training goes on
        assertThat(listener.history()).hasSize(4);
        assertThat(listener.history().get(3).failures())
                .singleElement()
                .asString()
                .contains("listener was closed");
    }

    @Test
    void theProgramsEndWaitsForPendingAnalyses() {
        ReluSpectraListener listener = afterThreeAsyncEpochs(TinyNetworks.multiLayer());
        listener.finishAtExit(); // what the shutdown hook runs
        assertThat(listener.history()).extracting(EpochSpectra::epoch).containsExactly(0, 1, 2);
    }

    /** The values over data per ReLU layer, warm-started epoch to epoch, equal the core API on the layer's inputs. */
    @Test
    void valuesOverDataInTheHistory() {
        MultiLayerNetwork net = TinyNetworks.multiLayer();
        io.github.reluspectra.spectra.ReluFitOptions fit = io.github.reluspectra.spectra.ReluFitOptions.builder()
                .ranks(0, 1, 2, 4)
                .rounds(2)
                .stepsPerRound(3)
                .build();
        ReluSpectraListener listener = ReluSpectraListener.builder()
                .topK(2)
                .data(TinyNetworks.train(), 40)
                .fitOptions(fit)
                .build();
        net.setListeners(listener);
        net.fit(TinyNetworks.train(), 2);

        List<EpochSpectra> history = listener.history();
        io.github.reluspectra.spectra.ReluValuesOverData first =
                history.get(0).layers().get(0).overData();
        io.github.reluspectra.spectra.ReluValuesOverData second =
                history.get(1).layers().get(0).overData();
        assertThat(first.samples()).isEqualTo(40);
        assertThat(second.ranks()).containsExactly(0, 1, 2, 4);
        assertThat(history.get(1).layers().get(1).overData()).as("tanh layer").isNull();
        var hidden = io.github.reluspectra.network.LayerOperators.of(net, org.nd4j.linalg.api.buffer.DataType.FLOAT)
                .get(0);
        var features = TinyNetworks.data(1, 96)
                .getFeatures()
                .get(
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 40),
                        org.nd4j.linalg.indexing.NDArrayIndex.all());
        var expected = io.github.reluspectra.spectra.ReluSingularValues.compute(
                hidden.weights(),
                hidden.bias(),
                net.feedForward(features, false).get(0),
                fit.withWarmStart(first));
        assertThat(second.values()).containsExactly(expected.values());
    }

    /** The residual measure's AUROC equals the one of r_k(h) computed by hand from the same fit. */
    @Test
    void residualMeasureOfTheFittedApproximation() {
        MultiLayerNetwork net = TinyNetworks.multiLayer();
        net.fit(TinyNetworks.train(), 2);
        io.github.reluspectra.spectra.ReluFitOptions fit = io.github.reluspectra.spectra.ReluFitOptions.builder()
                .ranks(0, 1, 2, 4)
                .rounds(2)
                .stepsPerRound(3)
                .build();
        var heldOut = TinyNetworks.data(2, 120);
        SeparationListener listener = SeparationListener.builder(new ListDataSetIterator<>(heldOut.asList(), 40))
                .fitData(TinyNetworks.train(), 48)
                .fitOptions(fit)
                .build();
        EpochSeparation result = listener.measureNow(net);
        assertThat(result.scores())
                .extracting(SeparationScore::measure)
                .containsExactly("gain", "activeFraction", "localWidth", "alignment", "residual");

        var hidden = io.github.reluspectra.network.LayerOperators.of(net, org.nd4j.linalg.api.buffer.DataType.DOUBLE)
                .get(0);
        var training = net.feedForward(
                        TinyNetworks.data(1, 96)
                                .getFeatures()
                                .get(
                                        org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 48),
                                        org.nd4j.linalg.indexing.NDArrayIndex.all()),
                        false)
                .get(0)
                .castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        var fits = io.github.reluspectra.spectra.ReluSingularValues.compute(
                hidden.weights(), hidden.bias(), training, fit);
        var chosen = fits.fit(fits.smallestRankWithin(0.5));
        var h = heldOut.getFeatures().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        var b = hidden.bias().reshape(1, 5);
        var exact = org.nd4j.linalg.ops.transforms.Transforms.relu(
                h.mmul(hidden.weights().transpose()).addRowVector(b));
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
        assertThat(result.scores().get(4)).isEqualTo(SeparationScore.of("hidden", "residual", Auroc.of(r, wrong)));
    }

    @Test
    void optionsAreCheckedWhenBuiltWhateverTheirOrder() {
        assertThatThrownBy(() ->
                        ReluSpectraListener.builder().async(true).failFast(true).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("choose one");
        assertThatThrownBy(() -> ReluSpectraListener.builder().frequency(0).build())
                .hasMessageContaining("frequency must be at least 1, got 0");
        assertThatThrownBy(() -> SeparationListener.builder(null).build()).hasMessageContaining("held-out");
        assertThatThrownBy(() -> SeparationListener.builder(TinyNetworks.train())
                        .alignmentK(0)
                        .build())
                .hasMessageContaining("alignmentK");
        var options = io.github.reluspectra.network.AnalysisOptions.builder().build();
        assertThat(ReluSpectraListener.builder()
                        .topK(3)
                        .options(options)
                        .build()
                        .options()
                        .sequential()
                        .topK())
                .isEqualTo(ReluSpectraListener.builder()
                        .options(options)
                        .topK(3)
                        .build()
                        .options()
                        .sequential()
                        .topK())
                .isEqualTo(3);
    }

    /** A sink that throws is logged; the record stays in the history and training goes on (unless failFast). */
    @Test
    void aFailingSinkDoesNotStopTraining() {
        MultiLayerNetwork net = TinyNetworks.multiLayer();
        ReluSpectraListener listener = ReluSpectraListener.builder()
                .topK(2)
                .sink(e -> {
                    throw new java.io.IOException("disk full");
                })
                .build();
        net.setListeners(listener);
        net.fit(TinyNetworks.train(), 2);
        assertThat(listener.history()).hasSize(2);

        MultiLayerNetwork strict = TinyNetworks.multiLayer();
        strict.setListeners(ReluSpectraListener.builder()
                .topK(2)
                .failFast(true)
                .sink(e -> {
                    throw new java.io.IOException("disk full");
                })
                .build());
        assertThatThrownBy(() -> strict.fit(TinyNetworks.train(), 1)).hasMessageContaining("disk full");
    }

    /** An asynchronous failure is recorded in the history as a synchronous one is. */
    @Test
    void asyncFailuresAreRecorded() {
        MultiLayerNetwork net = TinyNetworks.multiLayer();
        try (ReluSpectraListener listener =
                ReluSpectraListener.builder().topK(2).async(true).build()) {
            net.setListeners(new ListenersTest.Poison(), listener);
            net.fit(TinyNetworks.train(), 1);
            listener.awaitAnalyses();
            assertThat(listener.history())
                    .singleElement()
                    .satisfies(e -> assertThat(e.failures())
                            .singleElement()
                            .asString()
                            .contains("layer 'out'")
                            .contains("NaN"));
        }
    }

    /** On demand: a loop of fit(DataSet) never ends an epoch; analyzeNow and measureNow record all the same. */
    @Test
    void analysesOnDemand() {
        MultiLayerNetwork net = TinyNetworks.multiLayer();
        ReluSpectraListener spectra = ReluSpectraListener.builder().topK(2).build();
        SeparationListener separation =
                SeparationListener.builder(TinyNetworks.heldOut()).build();
        net.setListeners(spectra, separation);
        for (var batch : TinyNetworks.data(1, 96).batchBy(16)) {
            net.fit(batch);
        }
        assertThat(spectra.history()).isEmpty();
        EpochSpectra now = spectra.analyzeNow(net);
        EpochSeparation measured = separation.measureNow(net);
        assertThat(spectra.history()).containsExactly(now);
        assertThat(separation.history()).containsExactly(measured);
        assertThat(now.epoch()).isZero();
        assertThat(now.iteration()).isEqualTo(6);
    }

    /** DL4J serialises listeners: both come back with history and options, and go on working. */
    @Test
    void bothListenersSerialiseAndRestore() throws Exception {
        MultiLayerNetwork net = TinyNetworks.multiLayer();
        ReluSpectraListener spectra = ReluSpectraListener.builder()
                .topK(2)
                .data(TinyNetworks.train(), 40)
                .sink(e -> {})
                .build();
        SeparationListener separation =
                SeparationListener.builder(TinyNetworks.heldOut()).alignmentK(2).build();
        net.setListeners(spectra, separation);
        net.fit(TinyNetworks.train(), 1);

        ReluSpectraListener spectraBack = roundTrip(spectra);
        SeparationListener separationBack = roundTrip(separation);
        assertThat(spectraBack.history()).hasSize(1);
        assertThat(spectraBack.history().get(0).layers().get(0).singularValues())
                .isEqualTo(spectra.history().get(0).layers().get(0).singularValues());
        assertThat(spectraBack.options()).isEqualTo(spectra.options());
        assertThat(separationBack.history().get(0).scores())
                .isEqualTo(separation.history().get(0).scores());

        net.setListeners(spectraBack, separationBack);
        net.fit(TinyNetworks.train(), 1);
        assertThat(spectraBack.history()).extracting(EpochSpectra::epoch).containsExactly(0, 1);
        assertThat(spectraBack.history().get(1).failures()).isEmpty();
        assertThat(spectraBack.history().get(1).network())
                .as("a restored listener counts on")
                .isEqualTo(2);
        assertThat(separationBack.history()).hasSize(2);
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T object) throws Exception {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(object);
        }
        try (var in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
