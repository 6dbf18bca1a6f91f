package io.github.reluspectra.pruning;

import java.util.List;

/**
 * Ranks under a global parameter budget from each layer's ladder of relative errors
 * ({@link RankAllocation#VALUES_OVER_DATA}):
 * <pre>
 *   minimise  max_l e_l(r_l)   subject to  sum_l cost_l(r_l) <= budget,   r_l on layer l's ladder, r_l >= 1
 *   e_l(r) = s_{r,X} / s_{0,X},   cost_l(r) = min(r (n_l + m_l), n_l m_l)
 * </pre>
 * greedily: from rank 1 everywhere, the layer with the largest current error whose next ladder step still
 * fits moves one step down its ladder; ties go to the earlier layer. Where the worst layer cannot move, the
 * budget left goes to the next worst, so no kept parameter is wasted.
 */
final class LadderAllocation {

    /**
     * One layer's ladder.
     *
     * @param ranks  increasing ranks, starting at 0
     * @param errors {@code s_{r,X} / s_{0,X}} for each rank
     * @param n      the layer's inputs
     * @param m      the layer's outputs
     */
    record Ladder(int[] ranks, double[] errors, long n, long m) {
        Ladder {
            ranks = ranks.clone();
            errors = errors.clone();
            if (ranks.length < 2 || ranks[0] != 0 || ranks.length != errors.length) {
                throw new IllegalArgumentException("a ladder needs ranks 0, 1, ... with one error each");
            }
        }

        long cost(int position) {
            return RankChoice.cost(n, m, ranks[position]);
        }
    }

    private LadderAllocation() {}

    /** The chosen rank of every layer; rank 1 everywhere if even that exceeds the budget. */
    static int[] allocate(List<Ladder> ladders, long budget) {
        int[] position = new int[ladders.size()];
        long used = 0;
        for (int l = 0; l < position.length; l++) {
            position[l] = 1;
            used += ladders.get(l).cost(1);
        }
        while (true) {
            int worst = -1;
            for (int l = 0; l < position.length; l++) {
                Ladder ladder = ladders.get(l);
                if (position[l] + 1 >= ladder.ranks().length
                        || used + ladder.cost(position[l] + 1) - ladder.cost(position[l]) > budget) {
                    continue;
                }
                if (worst < 0
                        || ladder.errors()[position[l]] > ladders.get(worst).errors()[position[worst]]) {
                    worst = l;
                }
            }
            if (worst < 0) {
                break;
            }
            Ladder ladder = ladders.get(worst);
            used += ladder.cost(position[worst] + 1) - ladder.cost(position[worst]);
            position[worst]++;
        }
        int[] ranks = new int[position.length];
        for (int l = 0; l < ranks.length; l++) {
            ranks[l] = ladders.get(l).ranks()[position[l]];
        }
        return ranks;
    }

    /**
     * The ranks of a layer's ladder: 0, 1, 2, 3, 4, 6, 8, 12, ... (powers of two and their midpoints) up to the
     * rank where splitting stops saving parameters ({@code r (n + m) >= n m}), then the full rank.
     */
    static int[] ranks(long n, long m) {
        int full = Math.toIntExact(Math.min(n, m));
        long breakEven = n * m / (n + m);
        java.util.List<Integer> out = new java.util.ArrayList<>(List.of(0));
        for (int power = 1; power <= breakEven && power < full; power *= 2) {
            out.add(power);
            int mid = power + power / 2;
            if (power >= 2 && mid <= breakEven && mid < full) {
                out.add(mid);
            }
        }
        out.add(full);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
