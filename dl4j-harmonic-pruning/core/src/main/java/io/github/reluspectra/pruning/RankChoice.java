package io.github.reluspectra.pruning;

import io.github.reluspectra.spectra.ReluValuesOverData;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rank policies of harmonic pruning (definitions §6): a fixed rank, an energy share, or a budget of the selected
 * layers' weights shared greedily by energy per weight, uniformly, or from the values over data
 * ({@link LadderAllocation}).
 */
final class RankChoice {

    /** A cumulated energy this close below the asked share counts as reaching it (the sums round). */
    private static final double ENERGY_ROUNDING = 1e-12;

    private static final Logger log = LoggerFactory.getLogger(RankChoice.class);

    /**
     * What the policies read of a selected layer.
     *
     * @param n     its input dimension ({@code c kh kw} for a convolution)
     * @param m     its output dimension ({@code c'} for a convolution)
     * @param sigma its classical singular values, non-increasing
     */
    record Shape(long n, long m, double[] sigma) {
        Shape {
            sigma = sigma.clone();
        }

        @Override
        public double[] sigma() {
            return sigma.clone();
        }
    }

    private RankChoice() {}

    /** Ranks from the classical singular values: fixed, by energy, or a budget's (greedy by energy, or uniform). */
    static int[] fromSpectra(List<Shape> selected, RankPolicy policy, Basis basis) {
        int[] ranks = new int[selected.size()];
        for (int i = 0; i < ranks.length; i++) {
            double[] sigma = selected.get(i).sigma();
            if (policy instanceof RankPolicy.Fixed f) {
                ranks[i] = Math.min(f.rank(), sigma.length);
            } else if (policy instanceof RankPolicy.Energy e) {
                ranks[i] = energyRank(sigma, e.fraction());
            } else {
                ranks[i] = 1; // the budget's greedy allocation starts here
            }
        }
        if (policy instanceof RankPolicy.Budget budget) {
            if (budget.allocation().resolve(basis) == RankAllocation.UNIFORM) {
                return uniform(selected, budget.fraction());
            }
            allocate(selected, ranks, budget.fraction());
        }
        return ranks;
    }

    /** The smallest r with {@code sum_{k<=r} sigma_k^2 >= e sum_k sigma_k^2}. */
    static int energyRank(double[] sigma, double fraction) {
        double total = 0;
        for (double s : sigma) {
            total += s * s;
        }
        double sum = 0;
        for (int r = 1; r <= sigma.length; r++) {
            sum += sigma[r - 1] * sigma[r - 1];
            if (sum >= fraction * total * (1 - ENERGY_ROUNDING)) {
                return r;
            }
        }
        return sigma.length;
    }

    /**
     * Greedy: starting from rank 1 everywhere, repeatedly give one more harmonic to the layer whose next one
     * carries the most relative energy per parameter, while the kept weights fit in the budget.
     */
    private static void allocate(List<Shape> selected, int[] ranks, double fraction) {
        long total = layerWeights(selected);
        long budget = weightBudget(selected, fraction);
        long used = 0;
        double[] energy = new double[selected.size()];
        for (int i = 0; i < ranks.length; i++) {
            used += cost(selected.get(i), ranks[i]);
            for (double s : selected.get(i).sigma()) {
                energy[i] += s * s;
            }
        }
        if (used > budget) {
            log.warn(
                    "budget {} allows {} weights, fewer than one harmonic per layer needs ({}): every layer keeps "
                            + "rank 1, {} weights ({} of the layers' weights)",
                    fraction,
                    budget,
                    used,
                    used,
                    String.format(java.util.Locale.ROOT, "%.4f", (double) used / total));
        }
        while (true) {
            int best = -1;
            double bestGain = -1;
            for (int i = 0; i < ranks.length; i++) {
                Shape s = selected.get(i);
                double[] sigma = s.sigma();
                if (ranks[i] >= sigma.length || energy[i] == 0) {
                    continue;
                }
                long extra = cost(s, ranks[i] + 1) - cost(s, ranks[i]);
                if (used + extra > budget) {
                    continue;
                }
                double gain = sigma[ranks[i]] * sigma[ranks[i]] / energy[i] / Math.max(extra, 1);
                if (gain > bestGain) {
                    bestGain = gain;
                    best = i;
                }
            }
            if (best < 0) {
                return;
            }
            used += cost(selected.get(best), ranks[best] + 1) - cost(selected.get(best), ranks[best]);
            ranks[best]++;
        }
    }

    /** The largest rank r (at least 1) with {@code sum_l cost_l(min(r, full_l))} within the budget, in every layer. */
    private static int[] uniform(List<Shape> selected, double fraction) {
        long budget = weightBudget(selected, fraction);
        int full = selected.stream().mapToInt(s -> s.sigma().length).max().orElse(1);
        int r = 1;
        while (r < full && uniformCost(selected, r + 1) <= budget) {
            r++;
        }
        int[] ranks = new int[selected.size()];
        for (int i = 0; i < ranks.length; i++) {
            ranks[i] = Math.min(r, selected.get(i).sigma().length);
        }
        return ranks;
    }

    private static long uniformCost(List<Shape> selected, int r) {
        return selected.stream()
                .mapToLong(s -> cost(s, Math.min(r, s.sigma().length)))
                .sum();
    }

    /** The selected layers' weights, {@code sum n m} (a convolution: its kernel). */
    private static long layerWeights(List<Shape> selected) {
        return selected.stream().mapToLong(s -> s.n() * s.m()).sum();
    }

    /** The weights a budget keeps: {@code floor(fraction sum n m)}. */
    private static long weightBudget(List<Shape> selected, double fraction) {
        return (long) Math.floor(fraction * layerWeights(selected));
    }

    /** Weights a layer keeps at rank r: {@code min(r (n + m), n m)}. */
    private static long cost(Shape s, int r) {
        return cost(s.n(), s.m(), r);
    }

    /** Weights an {@code n -> m} layer keeps at rank r: {@code min(r (n + m), n m)}. */
    static long cost(long n, long m, int r) {
        return Math.min((long) r * (n + m), n * m);
    }

    /** The budget's ranks from the ladders ({@link LadderAllocation}). */
    static int[] fromValues(List<Shape> selected, List<ReluValuesOverData> ladders, double fraction) {
        List<LadderAllocation.Ladder> list = new ArrayList<>();
        for (int l = 0; l < selected.size(); l++) {
            Shape s = selected.get(l);
            ReluValuesOverData values = ladders.get(l);
            double[] errors = values.values().clone();
            for (int k = 0; k < errors.length; k++) {
                errors[k] /= Math.max(values.values()[0], Double.MIN_NORMAL);
            }
            list.add(new LadderAllocation.Ladder(values.ranks(), errors, s.n(), s.m()));
        }
        long total = layerWeights(selected);
        long budget = weightBudget(selected, fraction);
        int[] ranks = LadderAllocation.allocate(list, budget);
        long used = 0;
        for (int i = 0; i < ranks.length; i++) {
            used += cost(selected.get(i), ranks[i]);
        }
        if (used > budget) {
            log.warn(
                    "budget {} allows {} weights, fewer than one harmonic per layer needs ({}): every layer keeps "
                            + "rank 1",
                    fraction,
                    budget,
                    used);
        }
        log.info(
                "budget {}: ranks {} from the values over data, {} of {} weights",
                fraction,
                java.util.Arrays.toString(ranks),
                used,
                total);
        return ranks;
    }
}
