package io.github.reluspectra.listeners;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A listener's share of the training time it watches. Each epoch's training seconds times {@code fraction} are
 * credited; each part of the analysis (one layer's spectra, its values over data, ...) is debited what it took.
 * A part runs while the credit covers what it took last time (a part never run yet, while any credit is left);
 * otherwise it waits for a later epoch and the listener records it as skipped. Over a run the listener spends at
 * most {@code fraction} of the training time plus what the parts of one epoch overran.
 *
 * <p>Training time is measured from {@code onEpochStart} to {@code onEpochEnd}: the listener's own work at the
 * end of an epoch is not part of it.
 */
final class CostBudget implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private final double fraction;
    private final Map<String, Double> lastSeconds = new HashMap<>();
    private double credit;
    private transient LongSupplier clock;
    private transient long epochStart;

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
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        clock = System::nanoTime;
        epochStart = -1;
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

    /** Why {@code part} waits, or null if it may run now. */
    synchronized String refusal(String part) {
        Double last = lastSeconds.get(part);
        if (last == null ? credit > 0 : last <= credit) {
            return null;
        }
        return String.format(
                Locale.ROOT,
                "%s: skipped by the cost budget (%.2f of training time; %s, %.2f s left)",
                part,
                fraction,
                last == null ? "not run yet" : String.format(Locale.ROOT, "took %.2f s last time", last),
                Math.max(credit, 0));
    }

    /** Debits what {@code part} took. */
    synchronized void spent(String part, double seconds) {
        lastSeconds.put(part, seconds);
        credit -= seconds;
    }

    /** Debits work that is not a part of its own (a pass over the data that the parts share). */
    synchronized void spent(double seconds) {
        credit -= seconds;
    }

    synchronized double credit() {
        return credit;
    }
}
