package io.github.reluspectra.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the charts keep of an analysis: copies, so that a sink's history cannot change under it. */
class ChartPointTest {

    @Test
    void theArraysAreCopies() {
        double[] reference = {3, 2, 1};
        double[] sequential = {2.5, 1.5, 0.5};
        int[] ranks = {0, 1};
        ChartPoint p = new ChartPoint(
                4,
                reference,
                sequential,
                1.0,
                0.5,
                ranks,
                new double[] {2, 1},
                new double[] {2, 1.5},
                new double[] {0.66, 0.33},
                3.0,
                0.2);
        reference[0] = -1;
        sequential[0] = -1;
        ranks[1] = 99;
        assertThat(p.reference()).containsExactly(3, 2, 1);
        assertThat(p.sequential()).containsExactly(2.5, 1.5, 0.5);
        assertThat(p.ranks()).containsExactly(0, 1);
        assertThat(p.hasOverData()).isTrue();
        assertThat(new ChartPoint(
                                0,
                                reference,
                                null,
                                Double.NaN,
                                Double.NaN,
                                null,
                                null,
                                null,
                                null,
                                Double.NaN,
                                Double.NaN)
                        .hasOverData())
                .isFalse();
    }
}
