package io.github.reluspectra.ui;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.core.storage.StatsStorageEvent;
import org.deeplearning4j.ui.api.HttpMethod;
import org.deeplearning4j.ui.api.Route;
import org.deeplearning4j.ui.api.UIModule;
import org.deeplearning4j.ui.i18n.I18NResource;

/**
 * The "ReLU spectra" page of DL4J's training UI, found by the UI server through {@code ServiceLoader}
 * ({@code META-INF/services/org.deeplearning4j.ui.api.UIModule}). Routes:
 * <pre>
 *   GET /relu-spectra                      the page (it polls the two below and redraws as epochs end)
 *   GET /relu-spectra/sessions             the sessions of every attached storage that hold our records
 *   GET /relu-spectra/data/:sessionId      that session's records, oldest first: {spectra: [...], separation: [...]}
 * </pre>
 * The page is served by DL4J's server beside its own; DL4J's navigation bar has no hook for other modules, so the
 * page links to {@code /train} and is opened by its address.
 */
public final class ReluSpectraModule implements UIModule {

    static final String PATH = "/relu-spectra";
    private static final String PAGE = "index.html";

    private final List<StatsStorage> storages = new CopyOnWriteArrayList<>();
    private final String page = resource(PAGE);

    @Override
    public List<String> getCallbackTypeIDs() {
        return List.of(RecordPersistable.SPECTRA, RecordPersistable.SEPARATION);
    }

    @Override
    public List<Route> getRoutes() {
        return List.of(
                new Route(PATH, HttpMethod.GET, (params, rc) -> send(rc, "text/html; charset=utf-8", page)),
                new Route(
                        PATH + "/sessions",
                        HttpMethod.GET,
                        (params, rc) -> send(rc, "application/json", sessions().encode())),
                new Route(
                        PATH + "/data/:sessionId",
                        HttpMethod.GET,
                        (params, rc) ->
                                send(rc, "application/json", data(params.get(0)).encode())));
    }

    /** The page polls; nothing to push. */
    @Override
    public void reportStorageEvents(Collection<StatsStorageEvent> events) {}

    @Override
    public void onAttach(StatsStorage storage) {
        storages.add(storage);
    }

    @Override
    public void onDetach(StatsStorage storage) {
        storages.remove(storage);
    }

    @Override
    public List<I18NResource> getInternationalizationResources() {
        return List.of();
    }

    /** Each session with records of ours: its id and how many records of each type it holds. */
    JsonArray sessions() {
        JsonArray out = new JsonArray();
        for (StatsStorage storage : storages) {
            for (String session : storage.listSessionIDs()) {
                List<String> types = storage.listTypeIDsForSession(session);
                if (types.contains(RecordPersistable.SPECTRA) || types.contains(RecordPersistable.SEPARATION)) {
                    out.add(new JsonObject()
                            .put("session", session)
                            .put(
                                    "spectra",
                                    records(storage, session, RecordPersistable.SPECTRA)
                                            .size())
                            .put(
                                    "separation",
                                    records(storage, session, RecordPersistable.SEPARATION)
                                            .size()));
                }
            }
        }
        return out;
    }

    JsonObject data(String session) {
        JsonArray spectra = new JsonArray();
        JsonArray separation = new JsonArray();
        for (StatsStorage storage : storages) {
            if (storage.sessionExists(session)) {
                records(storage, session, RecordPersistable.SPECTRA).forEach(r -> spectra.add(r.record()));
                records(storage, session, RecordPersistable.SEPARATION).forEach(r -> separation.add(r.record()));
            }
        }
        return new JsonObject().put("session", session).put("spectra", spectra).put("separation", separation);
    }

    private static List<RecordPersistable> records(StatsStorage storage, String session, String type) {
        List<RecordPersistable> out = new ArrayList<>();
        for (Persistable p : storage.getAllUpdatesAfter(session, type, -1)) {
            if (p instanceof RecordPersistable r) {
                out.add(r);
            }
        }
        out.sort(Comparator.comparingLong(RecordPersistable::getTimeStamp));
        return out;
    }

    private static void send(RoutingContext rc, String type, String body) {
        rc.response()
                .putHeader("content-type", type)
                .putHeader("cache-control", "no-store")
                .end(body);
    }

    private static String resource(String name) {
        try (InputStream in = ReluSpectraModule.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the page " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
