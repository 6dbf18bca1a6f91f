package io.github.reluspectra.results;

import java.io.Serializable;
import java.util.Locale;

/**
 * How well one per-sample measure tells misclassified from correctly classified held-out samples.
 *
 * @param layer     the layer's name, or {@code output} for the maximum softmax probability
 * @param measure   {@code gain}, {@code activeFraction}, {@code localWidth}, {@code alignment}, {@code residual}
 *                  or {@code msp}
 * @param auroc     the AUROC in the stated direction, in [0.5, 1] (NaN if a class of samples is empty)
 * @param direction {@code higher} if higher values mean misclassified, else {@code lower}
 */
public record SeparationScore(String layer, String measure, double auroc, String direction) implements Serializable {

    /** From the AUROC of "higher means misclassified": flipped to the direction that separates. */
    public static SeparationScore of(String layer, String measure, double higherMeansMisclassified) {
        if (Double.isNaN(higherMeansMisclassified) || higherMeansMisclassified >= 0.5) {
            return new SeparationScore(layer, measure, higherMeansMisclassified, "higher");
        }
        return new SeparationScore(layer, measure, 1 - higherMeansMisclassified, "lower");
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s %s AUROC %.3f (misclassified when %s)", layer, measure, auroc, direction);
    }
}
