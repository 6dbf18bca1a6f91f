package io.github.reluspectra.listeners;

import io.github.reluspectra.network.LayerOperator;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A listener's share of the training time it watches. Each epoch's training seconds times {@code fraction} are
 * credited; each part of the analysis (one layer's spectra, its values over data, ...) is debited what it took.
 * A part runs while the credit covers what it took last time; a part never run yet, while the credit covers what
 * the first run of a part of its kind took, scaled by size (a first run is the costly one: nothing to start from);
 * of a kind never run, what the costliest first run of any kind took, scaled by size; and before anything has run,
 * while any credit is left. A pass of data through the network that parts share is a part too, and runs only while
 * the credit covers it and the first part that needs it. Otherwise a part waits for a later epoch and the listener
 * records it as skipped. Whatever else the listener's work takes (reading the layers, records, logs) is debited
 * too ({@link #charged}). Over a run the listener spends at most {@code fraction} of the training time plus what
 * the first runs overran their estimates (the very first, which has none, the most).
 *
 * <p>Training time is measured from {@code onEpochStart} to {@code onEpochEnd}: the listener's own work at the
 * end of an epoch is not part of it.
 */
final class CostBudget implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private final double fraction;
    private final Map<String, Double> lastSeconds = new HashMap<>();
    /** Per kind of part, the most seconds per unit of size that a part's first run took. */
    private Map<String, Double> firstRunRates = new HashMap<>();

    private double credit;
    private transient LongSupplier clock;
    private transient long epochStart;
    /** Per thread, the seconds debited to parts so far: {@link #charged} debits the rest of its work's time. */
    private transient ThreadLocal<double[]> debitedHere;

    /** @param fraction the share of training time the listener may spend, in (0, 1] and beyond (e.g. 2 for twice) */
    CostBudget(double fraction) {
        this(fraction, System::nanoTime);
    }

    CostBudget(double fraction, LongSupplier clock) {
        if (!(fraction > 0) || Double.isInfinite(fraction)) {
            throw new IllegalArgumentException("costBudget must be a positive share of training time, got " + fraction);
        }
        this.fraction = fraction;
        this.clock = clock;
        this.epochStart = -1;
        this.debitedHere = ThreadLocal.withInitial(() -> new double[1]);
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        if (firstRunRates == null) {
            firstRunRates = new HashMap<>();
        }
        clock = System::nanoTime;
        epochStart = -1;
        debitedHere = ThreadLocal.withInitial(() -> new double[1]);
    }

    double fraction() {
        return fraction;
    }

    synchronized void epochStarted() {
        epochStart = clock.getAsLong();
    }

    /** Credits the epoch that ends now (nothing if its start was not seen, as after deserialisation). */
    synchronized void epochEnded() {
        if (epochStart >= 0) {
            credit += fraction * (clock.getAsLong() - epochStart) / 1e9;
            epochStart = -1;
        }
    }

    /**
     * A piece of a listener's work that the budget lets run or not.
     *
     * @param label names it in the records ("layer 'dense1' spectra")
     * @param kind  parts of one kind cost about the same per unit of size
     * @param size  the unit its cost scales with, for example the layer's weights
     */
    record Part(String label, String kind, double size) {

        /**
         * The part {@code what} of a layer ("spectra", "values over data", ...): convolutions and dense layers cost
         * differently per entry of their operator, whose entries {@code m n} are the size.
         */
        static Part of(LayerOperator layer, String what) {
            return new Part(
                    "layer '" + layer.name() + "' " + what,
                    (layer.isConvolution() ? "convolution " : "dense ") + what,
                    (double) layer.nOut() * layer.nIn());
        }

        /**
         * A pass of data through the network that parts share: of size 0, so judged only by its own last run and
         * never a measure of what other kinds cost per weight.
         */
        static Part pass(String label) {
            return new Part(label, label, 0);
        }
    }

    /**
     * Why {@code part} waits, or null if it may run now; {@code first} is work it needs that has not run yet
     * this epoch (a pass of the data, the layer's spectra), whose cost the credit must cover as well.
     */
    synchronized String refusal(Part part, Part... first) {
        Double need = estimate(part);
        double before = 0;
        for (Part p : first) {
            Double e = estimate(p);
            before += e == null ? 0 : e;
        }
        if (need == null ? credit > before : need + before <= credit) {
            return null;
        }
        String why = lastSeconds.containsKey(part.label())
                ? String.format(Locale.ROOT, "took %.2f s last time", need)
                : need != null
                        ? String.format(Locale.ROOT, "not run yet, about %.2f s by the first runs so far", need)
                        : "not run yet";
        if (before > 0) {
            why += String.format(Locale.ROOT, ", after %.2f s for the work it needs first", before);
        }
        return String.format(
                Locale.ROOT,
                "%s: skipped by the cost budget (%.2f of training time; %s, %.2f s left)",
                part.label(),
                fraction,
                why,
                Math.max(credit, 0));
    }

    /**
     * What {@code part} will take: its last run; else the first run of its kind scaled by size; else, of a kind
     * never run, the costliest first run of any kind so far, scaled by size (a new kind that ran on whatever
     * credit was left overran it by seconds, in a later epoch than the first, where nothing repaid it); else null.
     */
    private Double estimate(Part part) {
        Double last = lastSeconds.get(part.label());
        if (last != null) {
            return last;
        }
        Double rate = firstRunRates.get(part.kind());
        if (rate == null) {
            rate = firstRunRates.values().stream().max(Double::compare).orElse(null);
        }
        return rate == null ? null : rate * part.size();
    }

    /** Debits what {@code part} took. */
    synchronized void spent(Part part, double seconds) {
        if (!lastSeconds.containsKey(part.label()) && part.size() > 0) {
            firstRunRates.merge(part.kind(), seconds / part.size(), Math::max);
        }
        lastSeconds.put(part.label(), seconds);
        credit -= seconds;
        debitedHere.get()[0] += seconds;
    }

    /**
     * Runs a listener's work and debits whatever of its time the parts inside it were not debited for: reading
     * the network, records, logs. Left out, these kept a run above its share (1% of training in epochs where every
     * part waited).
     */
    <T> T charged(Supplier<T> work) {
        double[] debited = debitedHere.get();
        double before = debited[0];
        long start = clock.getAsLong();
        try {
            return work.get();
        } finally {
            double elapsed = (clock.getAsLong() - start) / 1e9;
            double rest = elapsed - (debited[0] - before);
            if (rest > 0) {
                synchronized (this) {
                    credit -= rest;
                }
                debited[0] = before + elapsed; // an enclosing call must not debit it again
            }
        }
    }

    synchronized double credit() {
        return credit;
    }
}
