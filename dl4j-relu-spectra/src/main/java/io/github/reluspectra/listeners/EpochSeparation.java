package io.github.reluspectra.listeners;

import java.util.List;

/**
 * The separation of misclassified from correctly classified held-out samples at the end of one epoch.
 *
 * @param network       which network the listener measured, 1 for the first it saw
 * @param epoch         the epoch that ended (0-based)
 * @param samples       held-out samples
 * @param misclassified how many of them the network got wrong
 * @param msp           the baseline: AUROC of the maximum softmax probability
 * @param scores        per ReLU layer and measure
 */
public record EpochSeparation(int network, int epoch, int samples, int misclassified, SeparationScore msp,
                              List<SeparationScore> scores) {
}
