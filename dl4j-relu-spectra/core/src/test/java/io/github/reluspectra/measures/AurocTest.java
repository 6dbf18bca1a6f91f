package io.github.reluspectra.measures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AurocTest {

    @Test
    void exactSmallCases() {
        assertThat(Auroc.of(new double[] {1, 2, 3, 4}, new boolean[] {false, false, true, true}))
                .isEqualTo(1.0);
        assertThat(Auroc.of(new double[] {1, 2, 3, 4}, new boolean[] {true, true, false, false}))
                .isEqualTo(0.0);
        assertThat(Auroc.of(new double[] {5, 5, 5, 5}, new boolean[] {true, false, true, false}))
                .isEqualTo(0.5);
        // positives {2, 3} against negatives {1, 2}: 1 + 0.5 + 1 + 1 of 4 pairs
        assertThat(Auroc.of(new double[] {1, 2, 2, 3}, new boolean[] {false, true, false, true}))
                .isCloseTo(0.875, within(1e-15));
        assertThat(Auroc.of(new double[] {1, 2}, new boolean[] {false, false})).isNaN();
    }

    @Test
    void agreesWithCountingPairs() {
        java.util.Random random = new java.util.Random(3);
        double[] scores = new double[200];
        boolean[] positive = new boolean[200];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = random.nextInt(20); // many ties
            positive[i] = random.nextDouble() < 0.3 + scores[i] / 50;
        }
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < scores.length; i++) {
            for (int j = 0; j < scores.length; j++) {
                if (positive[i] && !positive[j]) {
                    pairs++;
                    wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
            }
        }
        assertThat(Auroc.of(scores, positive)).isCloseTo(wins / pairs, within(1e-12));
    }
}
