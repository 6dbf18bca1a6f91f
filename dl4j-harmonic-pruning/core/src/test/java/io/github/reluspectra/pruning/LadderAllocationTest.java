package io.github.reluspectra.pruning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** P5 (definitions §6): the budget's ranks from the ladders of relative errors. */
class LadderAllocationTest {

    /**
     * Two 10 x 10 layers (cost 20 r up to 100): a ladder that falls slowly and one that falls at once. Budget 80:
     * rank 1 each (40), then the slow layer is always the worst: ranks 2, 3 (40 more) fill the budget.
     */
    @Test
    void theWorstLayerGetsTheParameters() {
        LadderAllocation.Ladder slow =
                new LadderAllocation.Ladder(new int[] {0, 1, 2, 3, 4}, new double[] {1, 0.9, 0.8, 0.7, 0.6}, 10, 10);
        LadderAllocation.Ladder fast =
                new LadderAllocation.Ladder(new int[] {0, 1, 2, 3, 4}, new double[] {1, 0.1, 0.05, 0.02, 0.01}, 10, 10);
        assertThat(LadderAllocation.allocate(List.of(slow, fast), 80)).containsExactly(3, 1);
        // 90: neither next step (20 more each) fits
        assertThat(LadderAllocation.allocate(List.of(slow, fast), 90)).containsExactly(3, 1);
        // 120: the slow layer reaches the end of its ladder (100), what is left goes to the other one
        assertThat(LadderAllocation.allocate(List.of(slow, fast), 120)).containsExactly(4, 2);
    }

    /** Below the cost of rank 1 everywhere, rank 1 everywhere. */
    @Test
    void aTinyBudgetKeepsRankOne() {
        LadderAllocation.Ladder l = new LadderAllocation.Ladder(new int[] {0, 1, 2}, new double[] {1, 0.5, 0.2}, 4, 4);
        assertThat(LadderAllocation.allocate(List.of(l, l), 3)).containsExactly(1, 1);
    }

    /**
     * On random non-increasing ladders, the largest error of the greedy allocation equals that of the best
     * allocation found by trying every combination, and the allocation stays within the budget.
     */
    @Test
    void theLargestErrorIsTheSmallestPossible() {
        Random random = new Random(3);
        for (int trial = 0; trial < 300; trial++) {
            List<LadderAllocation.Ladder> ladders = new ArrayList<>();
            for (int l = 0; l < 3; l++) {
                int n = 4 + random.nextInt(20);
                int m = 4 + random.nextInt(20);
                int[] ranks = LadderAllocation.ranks(n, m);
                double[] errors = new double[ranks.length];
                errors[0] = 1;
                for (int k = 1; k < ranks.length; k++) {
                    errors[k] = errors[k - 1] * random.nextDouble();
                }
                ladders.add(new LadderAllocation.Ladder(ranks, errors, n, m));
            }
            long minimum = ladders.stream().mapToLong(l -> l.cost(1)).sum();
            long budget = minimum + random.nextInt(400);
            int[] chosen = LadderAllocation.allocate(ladders, budget);
            assertThat(cost(ladders, chosen)).isLessThanOrEqualTo(budget);
            assertThat(maxError(ladders, chosen)).isEqualTo(bestMaxError(ladders, budget));
        }
    }

    @Test
    void ladderRanksStopWhereSplittingStopsSaving() {
        assertThat(LadderAllocation.ranks(784, 256))
                .containsExactly(0, 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256);
        assertThat(LadderAllocation.ranks(3, 2)).containsExactly(0, 1, 2);
    }

    private static long cost(List<LadderAllocation.Ladder> ladders, int[] ranks) {
        long sum = 0;
        for (int l = 0; l < ranks.length; l++) {
            sum += RankChoice.cost(ladders.get(l).n(), ladders.get(l).m(), ranks[l]);
        }
        return sum;
    }

    private static double maxError(List<LadderAllocation.Ladder> ladders, int[] ranks) {
        double max = 0;
        for (int l = 0; l < ranks.length; l++) {
            int position = java.util.Arrays.binarySearch(ladders.get(l).ranks(), ranks[l]);
            max = Math.max(max, ladders.get(l).errors()[position]);
        }
        return max;
    }

    private static double bestMaxError(List<LadderAllocation.Ladder> ladders, long budget) {
        double best = Double.POSITIVE_INFINITY;
        int[] a = ladders.get(0).ranks();
        int[] b = ladders.get(1).ranks();
        int[] c = ladders.get(2).ranks();
        for (int i = 1; i < a.length; i++) {
            for (int j = 1; j < b.length; j++) {
                for (int k = 1; k < c.length; k++) {
                    int[] ranks = {a[i], b[j], c[k]};
                    if (cost(ladders, ranks) <= budget) {
                        best = Math.min(best, maxError(ladders, ranks));
                    }
                }
            }
        }
        return best;
    }
}
