package io.github.reluspectra.report;

import io.github.reluspectra.network.LayerAnalysis;
import io.github.reluspectra.spectra.MeanWidth;
import io.github.reluspectra.spectra.ReluValuesOverData;
import java.util.List;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * The JSON form of an analysis, documented in the README:
 * {@code {"layers":[{"index","name","type","nIn","nOut","activation","singularValues","sequentialReluValues",
 * "reluSingularValues":{"samples","ranks","values","rms","svdValues","sigmaBounds","seconds"},
 * "meanWidth":{"relu","reluStdErr","linear","linearStdErr","samples"}}]}}. Quantities that do not apply
 * (ReLU values of a non-ReLU layer, values over data without data, widths not asked for) are null.
 */
public final class AnalysisJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AnalysisJson() {
    }

    public static String toJson(List<LayerAnalysis> layers) {
        return write(toTree(layers));
    }

    public static ObjectNode toTree(List<LayerAnalysis> layers) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode array = root.putArray("layers");
        for (LayerAnalysis layer : layers) {
            array.add(layerNode(layer));
        }
        return root;
    }

    public static ObjectNode layerNode(LayerAnalysis layer) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("index", layer.index());
        node.put("name", layer.name());
        node.put("type", layer.type());
        node.put("nIn", layer.nIn());
        node.put("nOut", layer.nOut());
        node.put("activation", layer.activation());
        putArray(node, "singularValues", layer.singularValues());
        putArray(node, "sequentialReluValues", layer.sequential() == null ? null : layer.sequential().values());
        ReluValuesOverData overData = layer.overData();
        if (overData == null) {
            node.putNull("reluSingularValues");
        } else {
            ObjectNode values = node.putObject("reluSingularValues");
            values.put("samples", overData.samples());
            ArrayNode ranks = values.putArray("ranks");
            for (int k : overData.ranks()) {
                ranks.add(k);
            }
            putArray(values, "values", overData.values());
            putArray(values, "rms", overData.rms());
            putArray(values, "svdValues", overData.svdValues());
            putArray(values, "sigmaBounds", overData.sigmaBounds());
            values.put("seconds", overData.seconds());
        }
        MeanWidth width = layer.width();
        if (width == null) {
            node.putNull("meanWidth");
        } else {
            ObjectNode w = node.putObject("meanWidth");
            putNumber(w, "relu", width.relu());
            putNumber(w, "reluStdErr", width.reluStdErr());
            putNumber(w, "linear", width.linear());
            putNumber(w, "linearStdErr", width.linearStdErr());
            w.put("samples", width.samples());
        }
        return node;
    }

    public static String write(ObjectNode node) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write JSON", e);
        }
    }

    private static void putArray(ObjectNode node, String field, double[] values) {
        if (values == null) {
            node.putNull(field);
            return;
        }
        ArrayNode array = node.putArray(field);
        for (double v : values) {
            if (!Double.isFinite(v)) {
                // Jackson would write "Infinity" as a string into a numeric array.
                throw new IllegalArgumentException(field + " holds " + v + ": not a number JSON can carry");
            }
            array.add(v);
        }
    }

    private static void putNumber(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, value);
        } else {
            node.putNull(field);
        }
    }
}
