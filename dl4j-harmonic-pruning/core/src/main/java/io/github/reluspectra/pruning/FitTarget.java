package io.github.reluspectra.pruning;

/** What the fitted basis ({@link Basis#FITTED}) fits each ReLU layer to (definitions §6). */
public enum FitTarget {
    /** Every layer's own outputs after the ReLU: {@code sum_x ||ReLU(W M x + c) - y_x||^2}. */
    LAYER_OUTPUTS,
    /**
     * As {@link #LAYER_OUTPUTS}, except the layer that feeds the network's dense output layer, which is fitted to
     * that layer's pre-activations, the logits: {@code sum_x ||V^T (ReLU(W M x + c) - y_x)||^2} with {@code V} the
     * output layer's weights. What the layer gets wrong in the directions the output layer does not read costs the
     * network nothing, so the fit spends its rank on the others. The default: on the demo's MLP (5 training seeds,
     * both hidden layers at one rank) it kept 1.30 points more test accuracy than {@link #LAYER_OUTPUTS} at rank 8,
     * 0.32 at rank 16 and 0.15 at rank 32 (README, "Pruning a saved model").
     */
    LOGITS
}
