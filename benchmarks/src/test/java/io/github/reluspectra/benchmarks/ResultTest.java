package io.github.reluspectra.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The harness's arithmetic and output format (its timings are never asserted). */
class ResultTest {

    @Test
    void medianMinMax() {
        assertThat(Stats.of(new double[] {5, 1, 3})).isEqualTo(new Stats(3, 1, 5));
        assertThat(Stats.of(new double[] {4, 1, 3, 2})).isEqualTo(new Stats(2.5, 1, 4));
    }

    @Test
    void verdictsAndLineFormat() {
        Result upper = new Result("B1-1024x1024", "ReLU over SVD", new Stats(2.5, 2, 3), 2.0, true);
        assertThat(upper.verdict()).isEqualTo("missed");
        assertThat(upper.line())
                .isEqualTo("RESULT B1-1024x1024 ReLU_over_SVD median=2.5000 min=2.0000 max=3.0000 goal=<=2.0 missed");
        assertThat(new Result("B4", "rate", new Stats(0.6, 0.5, 0.7), 0.5, false).verdict())
                .isEqualTo("met");
        assertThat(new Result("B7", "memory", new Stats(9, 8, 16), Double.NaN, true).line())
                .endsWith("goal=- reported");
    }

    @Test
    void rowsRoundTripExactly() {
        Result upper = new Result("B11", "both listeners / plain training", new Stats(0.1 / 3, 0.02, 0.162), 0.1, true);
        Result reported = new Result("B10-bytes", "bytes", new Stats(368.64, 368.64, 368.64), Double.NaN, false);
        assertThat(Result.ofRow(upper.row())).isEqualTo(upper);
        assertThat(Result.ofRow(reported.row())).isEqualTo(reported);
        assertThatThrownBy(() -> Result.ofRow("B1\tonly two"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("7 tab-separated fields, got 2");
    }
}
