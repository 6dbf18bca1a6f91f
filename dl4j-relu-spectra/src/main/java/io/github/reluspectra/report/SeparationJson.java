package io.github.reluspectra.report;

import io.github.reluspectra.listeners.EpochSeparation;
import io.github.reluspectra.listeners.SeparationScore;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * The JSON form of one epoch's separation scores:
 * {@code {"epoch","samples","misclassified","msp":{score},"scores":[{"layer","measure","auroc","direction"}]}},
 * {@code auroc} null where a class of samples is empty.
 */
public final class SeparationJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SeparationJson() {
    }

    public static ObjectNode node(EpochSeparation s) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("network", s.network());
        node.put("epoch", s.epoch());
        node.put("samples", s.samples());
        node.put("misclassified", s.misclassified());
        node.set("msp", scoreNode(s.msp()));
        ArrayNode scores = node.putArray("scores");
        s.scores().forEach(score -> scores.add(scoreNode(score)));
        return node;
    }

    private static ObjectNode scoreNode(SeparationScore score) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("layer", score.layer());
        node.put("measure", score.measure());
        if (Double.isNaN(score.auroc())) {
            node.putNull("auroc");
        } else {
            node.put("auroc", score.auroc());
        }
        node.put("direction", score.direction());
        return node;
    }
}
