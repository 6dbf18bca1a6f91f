package io.github.reluspectra.results;

import java.io.Serializable;

/**
 * Where one layer's analysis spent its time, in seconds: the classical singular values, the sequential ReLU
 * values, the values over data and the mean widths (0 for a part not computed).
 */
public record PartSeconds(double classical, double sequential, double valuesOverData, double widths)
        implements Serializable {

    /** These seconds with the values over data's. */
    public PartSeconds withValuesOverData(double seconds) {
        return new PartSeconds(classical, sequential, seconds, widths);
    }
}
