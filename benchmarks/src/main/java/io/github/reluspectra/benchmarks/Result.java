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

    /**
     * The figure as one tab-separated row, exact (doubles in full): how a group run in its own JVM hands its figures
     * to the run that writes the table.
     */
    String row() {
        return String.join(
                "\t",
                id,
                description,
                Double.toString(stats.median()),
                Double.toString(stats.min()),
                Double.toString(stats.max()),
                Double.toString(goal),
                Boolean.toString(atMost));
    }

    /** The figure {@link #row()} wrote. */
    static Result ofRow(String row) {
        String[] f = row.split("\t", -1);
        if (f.length != 7) {
            throw new IllegalArgumentException("a result row has 7 tab-separated fields, got " + f.length + ": " + row);
        }
        return new Result(
                f[0],
                f[1],
                new Stats(Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4])),
                Double.parseDouble(f[5]),
                Boolean.parseBoolean(f[6]));
    }

    String goalText() {
        return Double.isNaN(goal) ? "-" : (atMost ? "<=" : ">=") + goal;
    }
}
