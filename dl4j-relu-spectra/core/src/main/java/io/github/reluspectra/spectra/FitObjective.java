package io.github.reluspectra.spectra;

/** What the fit of {@link ReluSingularValues} minimises over the inputs X, per rank. */
public enum FitObjective {
    /**
     * The paper's value: the largest per-input error {@code max_x e_x}. The reported values then satisfy A2 and A3
     * (definitions §2b).
     */
    MAX_ERROR,
    /**
     * The mean squared error after the ReLU, {@code mean_x e_x^2}: what a pruned network's accuracy follows. The
     * reported value is still the max error of the chosen fit, an upper bound of {@code s_k,X}, but the fit is
     * chosen by its root mean square, so the value may lie above the truncated SVD's.
     */
    MEAN_SQUARED_ERROR
}
