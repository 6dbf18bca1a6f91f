package io.github.reluspectra.benchmarks;

import java.util.Locale;

/**
 * One figure: a ratio measured side by side.
 *
 * @param goal     the goal, or NaN where the figure is only reported
 * @param atMost   whether the goal is an upper bound (else a lower bound)
 */
record Result(String id, String description, Stats stats, double goal, boolean atMost) {

    String verdict() {
        if (Double.isNaN(goal)) {
            return "reported";
        }
        return (atMost ? stats.median() <= goal : stats.median() >= goal) ? "met" : "missed";
    }

    String line() {
        return String.format(
                Locale.ROOT,
                "RESULT %s %s median=%.4f min=%.4f max=%.4f goal=%s %s",
                id,
                description.replace(' ', '_'),
                stats.median(),
                stats.min(),
                stats.max(),
                goalText(),
                verdict());
    }

    String goalText() {
        return Double.isNaN(goal) ? "-" : (atMost ? "<=" : ">=") + goal;
    }
}
