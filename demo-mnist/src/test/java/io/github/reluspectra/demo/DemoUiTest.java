package io.github.reluspectra.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reluspectra.demo.results.DemoConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.deeplearning4j.ui.api.UIServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --ui}: the LeNet run posts both listeners' records to DL4J's UI as epochs end. */
class DemoUiTest {

    @TempDir
    Path dir;

    @Test
    void theRunsRecordsReachTheReluSpectraPage() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        System.setProperty("org.deeplearning4j.ui.port", String.valueOf(port));
        StringWriter console = new StringWriter();
        try {
            DemoUi ui = DemoUi.start(new PrintWriter(console));
            assertThat(console.toString()).contains("http://localhost:" + port + "/relu-spectra");
            DemoConfig config = new DemoConfig(
                    DemoConfig.DataSource.bundled(),
                    1,
                    DemoConfig.DEFAULT_HIDDEN,
                    42,
                    dir.resolve("lenet"),
                    256,
                    128,
                    64,
                    16,
                    DemoConfig.DEFAULT_ENERGIES,
                    DemoConfig.DEFAULT_BUDGETS,
                    DemoConfig.DEFAULT_FINE_TUNE_RATE);
            new LenetRun(config, ui.sinks("lenet-test")).run();

            String sessions = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/relu-spectra/sessions"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(sessions).contains("\"session\":\"lenet-test\"", "\"spectra\":1", "\"separation\":1");
        } finally {
            UIServer.stopInstance();
            System.clearProperty("org.deeplearning4j.ui.port");
        }
    }
}
