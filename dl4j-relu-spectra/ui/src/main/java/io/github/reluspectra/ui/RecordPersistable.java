package io.github.reluspectra.ui;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serial;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.deeplearning4j.core.storage.Persistable;

/**
 * One epoch's record of a listener as a {@link Persistable}: what any {@code StatsStorage} keeps (in memory, in a
 * file, or behind {@code RemoteUIStatsStorageRouter}). Encoded as UTF-8 JSON carrying the session, type, worker,
 * time and the record's numbers ({@link RecordJson}), so that a file written today is read back by any later
 * version that knows the fields.
 */
public final class RecordPersistable implements Persistable {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The type of the spectra listener's records. */
    public static final String SPECTRA = "ReluSpectra";
    /** The type of the separation listener's records. */
    public static final String SEPARATION = "ReluSeparation";

    private String sessionId;
    private String typeId;
    private String workerId;
    private long timestamp;
    private String json;

    /** For the storages, which create an empty instance and {@code decode} into it. */
    public RecordPersistable() {}

    RecordPersistable(String sessionId, String typeId, String workerId, long timestamp, Map<String, Object> record) {
        this.sessionId = sessionId;
        this.typeId = typeId;
        this.workerId = workerId;
        this.timestamp = timestamp;
        this.json = new JsonObject(record).encode();
    }

    /** The record's numbers, as {@link RecordJson} wrote them. */
    public JsonObject record() {
        return new JsonObject(json);
    }

    @Override
    public String getSessionID() {
        return sessionId;
    }

    @Override
    public String getTypeID() {
        return typeId;
    }

    @Override
    public String getWorkerID() {
        return workerId;
    }

    @Override
    public long getTimeStamp() {
        return timestamp;
    }

    private byte[] bytes() {
        return new JsonObject()
                .put("session", sessionId)
                .put("type", typeId)
                .put("worker", workerId)
                .put("time", timestamp)
                .put("record", new JsonObject(json))
                .encode()
                .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public int encodingLengthBytes() {
        return bytes().length;
    }

    @Override
    public byte[] encode() {
        return bytes();
    }

    @Override
    public void encode(ByteBuffer buffer) {
        buffer.put(bytes());
    }

    @Override
    public void encode(OutputStream out) throws IOException {
        out.write(bytes());
    }

    @Override
    public void decode(byte[] bytes) {
        JsonObject o = new JsonObject(new String(bytes, StandardCharsets.UTF_8));
        sessionId = o.getString("session");
        typeId = o.getString("type");
        workerId = o.getString("worker");
        timestamp = o.getLong("time");
        json = o.getJsonObject("record").encode();
    }

    @Override
    public void decode(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        decode(bytes);
    }

    @Override
    public void decode(InputStream in) throws IOException {
        decode(in.readAllBytes());
    }
}
