package io.github.reluspectra.pruning;

/** How a global budget ({@link RankPolicy.Budget}) shares the kept parameters among the layers. */
public enum RankAllocation {
    /**
     * By the basis: {@link #VALUES_OVER_DATA} for the bases fitted on data (fitted, whitened, activation-scaled),
     * {@link #ENERGY} for the others.
     */
    BY_BASIS,
    /** Greedily by relative singular-value energy gained per parameter (definitions §6). */
    ENERGY,
    /** The same rank in every layer (capped at the layer's full rank): the largest that fits. */
    UNIFORM,
    /**
     * From each layer's ladder of relative errors {@code s_{k,X} / s_{0,X}} (the ReLU singular values over the
     * calibration data): greedily the layer with the largest error moves one step down its ladder while the
     * budget allows, which minimises the largest relative error over the layers (definitions §6, P5).
     */
    VALUES_OVER_DATA;

    /** The allocation this one stands for with {@code basis}. */
    RankAllocation resolve(Basis basis) {
        if (this != BY_BASIS) {
            return this;
        }
        return basis.needsData() ? VALUES_OVER_DATA : ENERGY;
    }
}
