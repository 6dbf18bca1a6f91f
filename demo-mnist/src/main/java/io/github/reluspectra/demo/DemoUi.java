package io.github.reluspectra.demo;

import io.github.reluspectra.ui.StatsStorageSink;
import java.io.PrintWriter;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.ui.api.UIServer;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;

/**
 * {@code --ui}: DL4J's training UI with an in-memory storage, the listeners' records posted to it as the epochs end.
 * The port is DL4J's (9000, or the system property {@code org.deeplearning4j.ui.port}).
 */
final class DemoUi {

    private final UIServer server;
    private final StatsStorage storage;

    private DemoUi(UIServer server, StatsStorage storage) {
        this.server = server;
        this.storage = storage;
    }

    static DemoUi start(PrintWriter out) {
        UIServer server = UIServer.getInstance();
        StatsStorage storage = new InMemoryStatsStorage();
        server.attach(storage);
        DemoUi ui = new DemoUi(server, storage);
        out.println("DL4J's training UI: the ReLU spectra page is at " + ui.page() + " (updated as epochs end)");
        out.flush();
        return ui;
    }

    String page() {
        return "http://localhost:" + server.getPort() + "/relu-spectra";
    }

    ExtraSinks sinks(String session) {
        return new ExtraSinks(
                StatsStorageSink.spectra(storage, session), StatsStorageSink.separation(storage, session));
    }

    /** Keeps the page up after the run until the user stops the program. */
    void serveUntilInterrupted(PrintWriter out) throws InterruptedException {
        out.println("The run is over; the page stays at " + page() + " until you stop the demo (Ctrl+C).");
        out.flush();
        Thread.currentThread().join();
    }
}
