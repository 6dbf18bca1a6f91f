package io.github.reluspectra.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.reluspectra.listeners.ReluSpectraListener;
import io.github.reluspectra.listeners.SeparationListener;
import io.github.reluspectra.network.TinyNetworks;
import io.github.reluspectra.results.EpochSeparation;
import io.github.reluspectra.results.EpochSpectra;
import io.github.reluspectra.results.LayerAnalysis;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.impl.RemoteUIStatsStorageRouter;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.ui.api.UIServer;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.htmlunit.WebClient;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.DomNode;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DL4J's UI server on a free local port with an in-memory storage, records put there by both listeners during a short
 * training run: the routes answer with the records' numbers, and the page, loaded in HtmlUnit, draws them.
 */
class ReluSpectraPageTest {

    private static final String SESSION = "run-1";
    private static UIServer server;
    private static String base;
    private static ReluSpectraListener spectra;
    private static SeparationListener separation;

    @BeforeAll
    static void trainWithTheUiAttached() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        System.setProperty("org.deeplearning4j.ui.port", String.valueOf(port));
        server = UIServer.getInstance();
        InMemoryStatsStorage storage = new InMemoryStatsStorage();
        server.attach(storage);
        base = "http://localhost:" + server.getPort();

        spectra = ReluSpectraListener.builder()
                .topK(2)
                .data(TinyNetworks.train(), 48)
                .failFast(true)
                .sink(StatsStorageSink.spectra(storage, SESSION))
                .build();
        separation = SeparationListener.builder(TinyNetworks.heldOut())
                .fitData(TinyNetworks.train(), 48)
                .failFast(true)
                .sink(StatsStorageSink.separation(storage, SESSION))
                .build();
        MultiLayerNetwork net = TinyNetworks.multiLayer();
        // DL4J's own listener on the same storage: its sessions and ours side by side
        net.setListeners(new StatsListener(storage), spectra, separation);
        net.fit(TinyNetworks.train(), 2);
    }

    @AfterAll
    static void stopServer() throws Exception {
        UIServer.stopInstance();
        System.clearProperty("org.deeplearning4j.ui.port");
    }

    @Test
    void routesAnswerWithTheRecordsNumbers() throws Exception {
        JsonObject session = session(SESSION);
        assertThat((Object) session)
                .as("DL4J's StatsListener session is not listed, ours is")
                .isNotNull();
        assertThat(session.getInteger("spectra")).isEqualTo(2);
        assertThat(session.getInteger("separation")).isEqualTo(2);

        JsonObject data = new JsonObject(get("/relu-spectra/data/" + SESSION));
        JsonArray records = data.getJsonArray("spectra");
        assertThat(records).hasSize(2);
        for (int e = 0; e < 2; e++) {
            EpochSpectra expected = spectra.history().get(e);
            JsonObject record = records.getJsonObject(e);
            assertThat(record.getInteger("epoch")).isEqualTo(expected.epoch());
            LayerAnalysis hidden = expected.layers().get(0);
            JsonObject layer = record.getJsonArray("layers").getJsonObject(0);
            assertThat(layer.getString("name")).isEqualTo(hidden.name());
            assertThat(doubles(layer.getJsonArray("singularValues")))
                    .containsExactly(hidden.singularValues(), within(1e-12));
            assertThat(doubles(layer.getJsonArray("sequential")))
                    .containsExactly(hidden.sequential().values(), within(1e-12));
            assertThat(doubles(layer.getJsonObject("overData").getJsonArray("values")))
                    .containsExactly(hidden.overData().values(), within(1e-12));
            assertThat(layer.getJsonObject("width").getDouble("relu"))
                    .isCloseTo(hidden.width().relu(), within(1e-12));
        }
        JsonArray separations = data.getJsonArray("separation");
        EpochSeparation last = separation.history().get(1);
        assertThat(separations.getJsonObject(1).getDouble("msp"))
                .isCloseTo(last.msp().auroc(), within(1e-12));
        assertThat(separations.getJsonObject(1).getJsonArray("scores"))
                .hasSize(last.scores().size());
        assertThat(get("/relu-spectra/data/no-such-session")).contains("\"spectra\":[]");
        assertThat(get("/train/overview")).as("DL4J's own page beside ours").contains("<html");
    }

    @Test
    void thePageDrawsEachLayersChartsFromTheRecords() throws Exception {
        try (WebClient client = new WebClient()) {
            client.getOptions().setThrowExceptionOnScriptError(true);
            client.getOptions().setCssEnabled(false);
            HtmlPage page = client.getPage(base + "/relu-spectra?session=" + SESSION);
            client.waitForBackgroundJavaScript(2000);

            DomNode hidden = page.querySelector("section[data-layer='hidden']");
            assertThat((Object) hidden).as("the ReLU layer's section").isNotNull();
            assertThat(hidden.querySelectorAll("figure").stream().map(f -> ((DomElement) f).getAttribute("data-chart")))
                    .contains("ladder", "spectra", "ratios", "widths", "alpha", "norms", "stableRank", "auroc");
            LayerAnalysis last = spectra.history().get(1).layers().get(0);
            DomElement sigma = hidden.querySelector("figure[data-chart='spectra'] polyline[data-series='sigma_k']");
            double[] drawn = Arrays.stream(sigma.getAttribute("data-points").split(" "))
                    .mapToDouble(p -> Double.parseDouble(p.substring(p.indexOf(':') + 1)))
                    .toArray();
            assertThat(drawn).containsExactly(last.singularValues(), within(1e-12));
            DomElement msp = hidden.querySelector("figure[data-chart='auroc'] polyline[data-series='softmax (MSP)']");
            assertThat(msp.getAttribute("data-points")).startsWith("0:").contains(" 1:");
            assertThat((Object) page.querySelector("section[data-layer='out']"))
                    .as("the output layer's section")
                    .isNotNull();
            assertThat(page.getElementById("status").getTextContent()).contains("2 spectra and 2 separation records");
            DomElement stableRank = hidden.querySelector("td[data-metric='stableRank']");
            assertThat(Double.parseDouble(stableRank.getTextContent()))
                    .isCloseTo(last.spectralMetrics().stableRank(), within(0.01));
        }
    }

    @Test
    void recordsSurviveAFileStatsStorageRoundTrip(@TempDir Path dir) throws IOException {
        File file = dir.resolve("stats.dl4j").toFile();
        FileStatsStorage storage = new FileStatsStorage(file);
        StatsStorageSink.spectra(storage, "file-run").accept(spectra.history().get(1));
        StatsStorageSink.separation(storage, "file-run")
                .accept(separation.history().get(1));
        storage.close();

        FileStatsStorage reopened = new FileStatsStorage(file);
        List<Persistable> stored = reopened.getAllUpdatesAfter("file-run", RecordPersistable.SPECTRA, "driver", -1);
        assertThat(stored).hasSize(1);
        RecordPersistable record = (RecordPersistable) stored.get(0);
        assertThat(record.getSessionID()).isEqualTo("file-run");
        assertThat(record.record().encode())
                .isEqualTo(new JsonObject(RecordJson.spectra(spectra.history().get(1))).encode());
        assertThat(reopened.listTypeIDsForSession("file-run"))
                .contains(RecordPersistable.SPECTRA, RecordPersistable.SEPARATION);
        reopened.close();
    }

    @Test
    void recordsArriveThroughARemoteRouter() throws Exception {
        server.enableRemoteListener();
        RemoteUIStatsStorageRouter router = new RemoteUIStatsStorageRouter(base);
        StatsStorageSink.spectra(router, "remote-run").accept(spectra.history().get(1));
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (session("remote-run") == null && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        router.close();
        assertThat((Object) session("remote-run"))
                .as("the record posted to the UI over HTTP")
                .isNotNull();
        JsonObject layer = new JsonObject(get("/relu-spectra/data/remote-run"))
                .getJsonArray("spectra")
                .getJsonObject(0)
                .getJsonArray("layers")
                .getJsonObject(0);
        assertThat(doubles(layer.getJsonArray("singularValues")))
                .containsExactly(spectra.history().get(1).layers().get(0).singularValues(), within(1e-12));
    }

    @Test
    void aSinkWithoutSessionIsRefused() {
        assertThatThrownBy(() -> StatsStorageSink.spectra(new InMemoryStatsStorage(), " "))
                .hasMessageContaining("session id");
    }

    private static String get(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    /** Our listing of {@code id}, or null if the page does not list it. */
    private static JsonObject session(String id) throws Exception {
        JsonArray sessions = new JsonArray(get("/relu-spectra/sessions"));
        for (int i = 0; i < sessions.size(); i++) {
            if (id.equals(sessions.getJsonObject(i).getString("session"))) {
                return sessions.getJsonObject(i);
            }
        }
        return null;
    }

    private static double[] doubles(JsonArray array) {
        return array.stream().mapToDouble(x -> ((Number) x).doubleValue()).toArray();
    }
}
