package io.github.reluspectra.cli;

import io.github.reluspectra.io.Messages;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads DL4J model zips written by {@code ModelSerializer}, telling the two network types apart. */
public final class ModelFiles {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ModelFiles() {
    }

    /** A restored network: exactly one of the two fields is set. */
    public record Model(MultiLayerNetwork multiLayer, ComputationGraph graph) {
    }

    private enum Kind { MULTI_LAYER, GRAPH }

    /**
     * Restores the model in {@code file} without its updater state; the file is only read.
     *
     * @throws InputException naming the file if it is missing, not a zip, not a DL4J model, or damaged
     */
    public static Model read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InputException("model file not found: " + file);
        }
        if (!Files.isReadable(file)) {
            throw new InputException("model file is not readable: " + file + ": permission denied");
        }
        Kind kind = kind(file);
        Model model;
        try {
            model = kind == Kind.GRAPH
                    ? new Model(null, ModelSerializer.restoreComputationGraph(file.toFile(), false))
                    : new Model(ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false), null);
        } catch (IOException e) {
            throw new InputException("could not read " + file + ": " + Messages.reason(e), e);
        } catch (RuntimeException e) {
            throw new InputException(file + " could not be restored as a DL4J model: "
                    + Messages.brief(String.valueOf(e.getMessage())), e);
        }
        requireAllParameters(file, model.multiLayer() != null ? model.multiLayer() : model.graph());
        return model;
    }

    /**
     * The network type, from the configuration's structure: a MultiLayerNetwork's lists {@code confs}, a
     * ComputationGraph's {@code vertices} and {@code networkInputs} (whatever the layers are called).
     */
    private static Kind kind(Path file) {
        JsonNode configuration;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry entry = zip.getEntry(ModelSerializer.CONFIGURATION_JSON);
            if (entry == null || zip.getEntry(ModelSerializer.COEFFICIENTS_BIN) == null) {
                throw new InputException(file + " is a zip but not a DL4J model (no configuration.json and "
                        + "coefficients.bin)");
            }
            try (InputStream in = zip.getInputStream(entry)) {
                configuration = MAPPER.readTree(in);
            }
        } catch (ZipException e) {
            throw new InputException(file + " is not a zip file (a DL4J model saved by ModelSerializer is one)");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InputException(file + ": configuration.json is not valid JSON");
        } catch (IOException e) {
            throw new InputException("could not read " + file + ": " + Messages.reason(e), e);
        }
        if (configuration != null && configuration.has("confs")) {
            return Kind.MULTI_LAYER;
        }
        if (configuration != null && configuration.has("vertices") && configuration.has("networkInputs")) {
            return Kind.GRAPH;
        }
        throw new InputException(file + ": configuration.json is neither a MultiLayerNetwork's (no 'confs') nor "
                + "a ComputationGraph's (no 'vertices' and 'networkInputs')");
    }

    /**
     * DL4J checks the length the parameter header declares, not the values that follow it: a damaged
     * coefficients.bin can declare all the parameters and hold fewer, the rest read as zeros.
     */
    private static void requireAllParameters(Path file, org.deeplearning4j.nn.api.Model network) {
        INDArray params = network.params();
        if (params != null && params.data().length() < network.numParams()) {
            throw new InputException(file + " is damaged: coefficients.bin holds " + params.data().length()
                    + " of the " + network.numParams() + " parameters its configuration needs");
        }
    }
}
