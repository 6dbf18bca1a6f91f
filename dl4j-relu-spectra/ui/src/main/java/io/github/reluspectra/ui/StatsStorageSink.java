package io.github.reluspectra.ui;

import io.github.reluspectra.results.EpochSeparation;
import io.github.reluspectra.results.EpochSpectra;
import io.github.reluspectra.results.ResultSink;
import java.io.Serial;
import java.io.Serializable;
import java.util.Map;
import java.util.function.Function;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.ui.model.storage.impl.SbeStorageMetaData;

/**
 * Hands each epoch's record to a {@link StatsStorageRouter} (an {@code InMemoryStatsStorage}, a
 * {@code FileStatsStorage}, a {@code RemoteUIStatsStorageRouter}) as a {@link RecordPersistable}, where the
 * "ReLU spectra" page of DL4J's UI finds it:
 * <pre>
 *   StatsStorage storage = new InMemoryStatsStorage();
 *   UIServer.getInstance().attach(storage);
 *   ReluSpectraListener spectra = ReluSpectraListener.builder().sink(StatsStorageSink.spectra(storage, "run-1")).build();
 * </pre>
 * One session per training run (its id is the caller's); several networks of one run are told apart by the
 * records' network number.
 */
public final class StatsStorageSink<T> implements ResultSink<T> {

    @Serial
    private static final long serialVersionUID = 1L;

    private static final String WORKER = "driver";

    private final StatsStorageRouter router;
    private final String sessionId;
    private final String typeId;
    private final SerializableConverter<T> converter;

    private StatsStorageSink(
            StatsStorageRouter router, String sessionId, String typeId, SerializableConverter<T> converter) {
        if (router == null) {
            throw new IllegalArgumentException("the StatsStorageRouter is null");
        }
        if (sessionId == null || sessionId.isBlank()) {
            throw new IllegalArgumentException("a session id is required (one per training run)");
        }
        this.router = router;
        this.sessionId = sessionId;
        this.typeId = typeId;
        this.converter = converter;
    }

    /** The spectra listener's records. */
    public static StatsStorageSink<EpochSpectra> spectra(StatsStorageRouter router, String sessionId) {
        return new StatsStorageSink<>(router, sessionId, RecordPersistable.SPECTRA, RecordJson::spectra);
    }

    /** The separation listener's records. */
    public static StatsStorageSink<EpochSeparation> separation(StatsStorageRouter router, String sessionId) {
        return new StatsStorageSink<>(router, sessionId, RecordPersistable.SEPARATION, RecordJson::separation);
    }

    /**
     * Puts the record, with the session's metadata and static info beside it: DL4J's storages list a session's
     * types from its metadata and its sessions and workers from its static info, not from the updates (both put
     * each time, so that a restored listener needs no state of its own).
     */
    @Override
    public void accept(T record) {
        long now = System.currentTimeMillis();
        router.putStorageMetaData(new SbeStorageMetaData(
                now, sessionId, typeId, WORKER, RecordPersistable.class, RecordPersistable.class));
        router.putStaticInfo(new RecordPersistable(sessionId, typeId, WORKER, now, Map.of("listener", typeId)));
        router.putUpdate(new RecordPersistable(sessionId, typeId, WORKER, now, converter.apply(record)));
    }

    /** A method reference the listener's serialisation can carry. */
    private interface SerializableConverter<T> extends Function<T, Map<String, Object>>, Serializable {}
}
