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

/**
 * A listener's share of the training time it watches. Each epoch's training seconds times {@code fraction} are
 * credited; each part of the analysis (one layer's spectra, its values over data, ...) is debited what it took.
 * A part runs while the credit covers what it took last time; a part never run yet, while the credit covers what
 * the first run of a part of its kind took, scaled by size (a first run is the costly one: nothing to start from),
 * and before any part of its kind has run, while any credit is left. Otherwise it waits for a later epoch and the
 * listener records it as skipped. Over a run the listener spends at most {@code fraction} of the training time
 * plus what the first part of each kind overran.
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
        if (firstRunRates == null) {
            firstRunRates = new HashMap<>();
        }
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
    }

    /** Why {@code part} waits, or null if it may run now. */
    synchronized String refusal(Part part) {
        Double last = lastSeconds.get(part.label());
        Double rate = firstRunRates.get(part.kind());
        if (last != null ? last <= credit : rate != null ? rate * part.size() <= credit : credit > 0) {
            return null;
        }
        String why = last != null
                ? String.format(Locale.ROOT, "took %.2f s last time", last)
                : rate != null
                        ? String.format(
                                Locale.ROOT, "not run yet, about %.2f s by the first of its kind", rate * part.size())
                        : "not run yet";
        return String.format(
                Locale.ROOT,
                "%s: skipped by the cost budget (%.2f of training time; %s, %.2f s left)",
                part.label(),
                fraction,
                why,
                Math.max(credit, 0));
    }

    /** Debits what {@code part} took. */
    synchronized void spent(Part part, double seconds) {
        if (!lastSeconds.containsKey(part.label()) && part.size() > 0) {
            firstRunRates.merge(part.kind(), seconds / part.size(), Math::max);
        }
        lastSeconds.put(part.label(), seconds);
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
