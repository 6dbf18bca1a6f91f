package io.github.reluspectra.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.reluspectra.io.Messages;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.BaseDataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.exc.InvalidTypeIdException;

/**
 * Reads DL4J model zips written by {@code ModelSerializer}, telling the two network types apart, in memory
 * bounded by what the configuration implies.
 *
 * <p>{@code ModelSerializer} inflates every entry of the zip into memory before it looks at any (a small zip
 * whose coefficients inflate to gigabytes exhausts the heap), trusts the parameter header, and deserialises
 * Java objects from {@code preprocessor.bin}. This reader takes only the two entries a network needs: the
 * configuration (at most {@value #CONFIGURATION_LIMIT} bytes), then the coefficients, read no further than the
 * parameters the configuration needs can take, their header checked before ND4J allocates anything. The updater
 * state and the normaliser are never read.
 */
public final class ModelFiles {

    /** 64 MiB: a configuration of thousands of layers takes a few megabytes. */
    static final int CONFIGURATION_LIMIT = 64 << 20;
    /** ND4J's array header (allocation mode, length, type, and the shape of rank at most 32) takes less. */
    private static final int HEADER_LIMIT = 4096;
    /** A Java array, and so ModelSerializer's copy of the coefficients, holds at most this many bytes. */
    private static final long ARRAY_LIMIT = Integer.MAX_VALUE - 8;
    /** The widest parameter type, DOUBLE. */
    private static final int MAX_VALUE_BYTES = 8;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ModelFiles() {}

    /** A restored network: exactly one of the two fields is set. */
    public record Model(MultiLayerNetwork multiLayer, ComputationGraph graph) {}

    /**
     * Restores the model in {@code file} without its updater state; the file is only read.
     *
     * @throws InputException naming the file if it is missing, a directory, not a zip, not a DL4J model, names
     *                        a class this program does not have, or is damaged (coefficients that hold more or
     *                        fewer values than the configuration needs, or end early)
     */
    public static Model read(Path file) {
        requireReadableFile(file);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String json = new String(
                    entry(
                            file,
                            zip,
                            ModelSerializer.CONFIGURATION_JSON,
                            CONFIGURATION_LIMIT,
                            "configuration.json takes more than " + CONFIGURATION_LIMIT + " bytes"),
                    StandardCharsets.UTF_8);
            if (zip.getEntry(ModelSerializer.COEFFICIENTS_BIN) == null) {
                throw notAModel(file);
            }
            return isGraph(file, json) ? graph(file, zip, json) : multiLayer(file, zip, json);
        } catch (ZipException e) {
            throw new InputException(file + " is not a zip file (a DL4J model saved by ModelSerializer is one)");
        } catch (IOException e) {
            throw new InputException("could not read " + file + ": " + Messages.reason(e), e);
        }
    }

    private static void requireReadableFile(Path file) {
        if (Files.isDirectory(file)) {
            throw new InputException(file + " is a directory, not a model file");
        }
        if (!Files.exists(file)) {
            throw new InputException("model file not found: " + file);
        }
        if (!Files.isRegularFile(file)) {
            throw new InputException(file + " is not a regular file (a DL4J model is a zip file)");
        }
        if (!Files.isReadable(file)) {
            throw new InputException("model file is not readable: " + file + ": permission denied");
        }
    }

    private static Model multiLayer(Path file, ZipFile zip, String json) throws IOException {
        MultiLayerConfiguration conf = configuration(file, () -> MultiLayerConfiguration.fromJson(json));
        long needed = 0;
        for (NeuralNetConfiguration layer : conf.getConfs()) {
            needed += layer.getLayer().initializer().numParams(layer);
        }
        INDArray params = parameters(file, zip, needed);
        if (params != null) {
            conf.setDataType(params.dataType()); // as ModelSerializer: configurations before 1.0.0-beta4 lack it
        }
        MultiLayerNetwork network = new MultiLayerNetwork(conf);
        network.init(params, false);
        return new Model(network, null);
    }

    private static Model graph(Path file, ZipFile zip, String json) throws IOException {
        ComputationGraphConfiguration conf = configuration(file, () -> ComputationGraphConfiguration.fromJson(json));
        long needed = 0;
        for (GraphVertex vertex : conf.getVertices().values()) {
            needed += vertex.numParams(true);
        }
        INDArray params = parameters(file, zip, needed);
        if (params != null) {
            conf.setDataType(params.dataType());
        }
        ComputationGraph network = new ComputationGraph(conf);
        network.init(params, false);
        return new Model(null, network);
    }

    /**
     * The network type, from the configuration's structure: a MultiLayerNetwork's lists {@code confs}, a
     * ComputationGraph's {@code vertices} and {@code networkInputs} (whatever the layers are called).
     */
    private static boolean isGraph(Path file, String json) {
        JsonNode configuration;
        try {
            configuration = MAPPER.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InputException(file + ": configuration.json is not valid JSON");
        }
        if (configuration != null && configuration.has("confs")) {
            return false;
        }
        if (configuration != null && configuration.has("vertices") && configuration.has("networkInputs")) {
            return true;
        }
        throw new InputException(file + ": configuration.json is neither a MultiLayerNetwork's (no 'confs') nor "
                + "a ComputationGraph's (no 'vertices' and 'networkInputs')");
    }

    private interface Parse<T> {
        T parse();
    }

    /** DL4J's parse of the configuration, its failures in words: above all, a class this program lacks. */
    private static <T> T configuration(Path file, Parse<T> parse) {
        try {
            return parse.parse();
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof InvalidTypeIdException unknown) {
                    throw new InputException(
                            file + ": its configuration names the class '" + unknown.getTypeId()
                                    + "', which is not on this program's class path (a custom layer, vertex or "
                                    + "preprocessor?)",
                            e);
                }
            }
            throw new InputException(
                    file + ": configuration.json is not a DL4J configuration this version reads ("
                            + Messages.brief(String.valueOf(rootCause(e).getMessage())) + ")",
                    e);
        }
    }

    /**
     * The flattened parameters, read only as far as {@code needed} values can take: their header is checked
     * against the configuration and the bytes present before ND4J allocates the array. Null for a network
     * without parameters (an empty entry, as ModelSerializer writes it).
     */
    private static INDArray parameters(Path file, ZipFile zip, long needed) throws IOException {
        if (needed > (ARRAY_LIMIT - HEADER_LIMIT) / Float.BYTES) {
            throw new InputException(
                    file + ": its configuration needs " + needed + " parameters, more than a " + "model file can hold");
        }
        long limit = Math.min(needed * MAX_VALUE_BYTES + HEADER_LIMIT, ARRAY_LIMIT);
        byte[] bytes = entry(
                file,
                zip,
                ModelSerializer.COEFFICIENTS_BIN,
                (int) limit,
                "coefficients.bin holds more than the " + needed + " values its configuration needs");
        if (bytes.length == 0 && needed == 0) {
            return null;
        }
        long declared = declaredLength(file, bytes);
        if (declared != needed) {
            throw damaged(
                    file, "coefficients.bin holds " + declared + " values, but its configuration needs " + needed);
        }
        try {
            return Nd4j.read(new DataInputStream(new ByteArrayInputStream(bytes)));
        } catch (RuntimeException e) {
            throw damaged(
                    file,
                    "coefficients.bin could not be read ("
                            + Messages.brief(String.valueOf(rootCause(e).getMessage())) + ")");
        }
    }

    /**
     * The value count that the coefficients' header declares, after checking that the bytes hold them. The
     * layout is ND4J's: the shape buffer's header and values, then the data buffer's header and values.
     */
    private static long declaredLength(Path file, byte[] bytes) {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        try {
            var shape = BaseDataBuffer.readHeader(in);
            long shapeBytes = shape.getMiddle() * shape.getRight().width();
            if (shape.getMiddle() < 0 || shapeBytes > HEADER_LIMIT || in.skipBytes((int) shapeBytes) < shapeBytes) {
                throw damaged(file, "coefficients.bin has a damaged array header");
            }
            var data = BaseDataBuffer.readHeader(in);
            DataType type = data.getRight();
            if (!type.isFPType()) {
                throw damaged(file, "coefficients.bin holds " + type + " values, not floating-point parameters");
            }
            long length = data.getMiddle();
            if (length < 0 || length > in.available() / type.width()) {
                throw damaged(
                        file,
                        "coefficients.bin ends early: its header announces " + length + " values, the " + "file holds "
                                + in.available() / type.width());
            }
            return length;
        } catch (IOException | RuntimeException e) {
            if (e instanceof InputException input) {
                throw input;
            }
            throw damaged(file, "coefficients.bin does not start with an ND4J array header");
        }
    }

    /** An entry's bytes, refused as damaged once it inflates past {@code limit}. */
    private static byte[] entry(Path file, ZipFile zip, String name, int limit, String tooLarge) throws IOException {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw notAModel(file);
        }
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] bytes = in.readNBytes(limit);
            if (in.read() >= 0) {
                throw damaged(file, tooLarge);
            }
            return bytes;
        } catch (ZipException e) {
            throw damaged(file, name + " is not valid zip data (" + Messages.reason(e) + ")");
        }
    }

    private static InputException notAModel(Path file) {
        return new InputException(
                file + " is a zip but not a DL4J model (no configuration.json and " + "coefficients.bin)");
    }

    private static InputException damaged(Path file, String why) {
        return new InputException(file + " is damaged: " + why);
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
