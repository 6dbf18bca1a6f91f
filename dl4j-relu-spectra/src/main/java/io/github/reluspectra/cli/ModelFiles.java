package io.github.reluspectra.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/** Reads DL4J model zips written by {@code ModelSerializer}, telling the two network types apart. */
public final class ModelFiles {

    private ModelFiles() {
    }

    /** A restored network: exactly one of the two fields is set. */
    public record Model(MultiLayerNetwork multiLayer, ComputationGraph graph) {
    }

    /**
     * Restores the model in {@code file} without its updater state; the file is only read.
     *
     * @throws InputException naming the file if it is missing, not a zip, or not a DL4J model
     */
    public static Model read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InputException("model file not found: " + file);
        }
        if (!Files.isReadable(file)) {
            throw new InputException("model file is not readable: " + file);
        }
        String configuration;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry entry = zip.getEntry("configuration.json");
            if (entry == null || zip.getEntry("coefficients.bin") == null) {
                throw new InputException(file + " is a zip but not a DL4J model (no configuration.json and "
                        + "coefficients.bin)");
            }
            try (InputStream in = zip.getInputStream(entry)) {
                configuration = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (ZipException e) {
            throw new InputException(file + " is not a zip file (a DL4J model saved by ModelSerializer is one)");
        } catch (IOException e) {
            throw new InputException("could not read " + file + ": " + e.getMessage(), e);
        }
        try {
            // A ComputationGraph configuration lists vertices; a MultiLayerNetwork's lists confs.
            if (configuration.contains("\"vertices\"")) {
                return new Model(null, ModelSerializer.restoreComputationGraph(file.toFile(), false));
            }
            return new Model(ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false), null);
        } catch (IOException | RuntimeException e) {
            throw new InputException(file + " could not be restored as a DL4J model: " + e.getMessage(), e);
        }
    }
}
