package io.github.reluspectra.listeners;

import io.github.reluspectra.results.ResultSink;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * What both listeners' builders share: when they run, where their records go, how they treat failures, the
 * network's input types and the cost budget. Options are checked by the listener's {@code build()}, whatever order
 * they were set in.
 *
 * @param <T> the record the listener hands to its sinks
 * @param <B> the builder itself, so that the setters chain
 */
public abstract class ListenerBuilder<T, B extends ListenerBuilder<T, B>> {

    private int frequency = 1;
    private final List<ResultSink<T>> sinks = new ArrayList<>();
    private boolean failFast;
    private InputType[] inputTypes = new InputType[0];
    private Double costBudget;
    private Long seed;

    ListenerBuilder() {}

    abstract B self();

    /** Run at the end of every {@code n}-th epoch (at least 1; default every epoch). */
    public B frequency(int n) {
        this.frequency = n;
        return self();
    }

    /** Hands every epoch's result to {@code sink} too (several sinks are called in the order added). */
    public B sink(ResultSink<T> sink) {
        if (sink == null) {
            throw new IllegalArgumentException("sink is null");
        }
        this.sinks.add(sink);
        return self();
    }

    /**
     * The network's input types (one per graph input), for a network that starts with a convolution on 4D
     * input: the model does not record its image shape, and without it the convolutions are skipped with
     * that reason. Networks built with {@code InputType.convolutionalFlat} or starting with a dense layer
     * need none.
     */
    public B inputType(InputType... types) {
        this.inputTypes = Datasets.requireInputTypes(types);
        return self();
    }

    /** Rethrow failures (of the listener's work or of a sink) instead of logging them: they then stop training. */
    public B failFast(boolean failFast) {
        this.failFast = failFast;
        return self();
    }

    /**
     * Spend at most this share of the training time on the listener's work (for example 0.05): each part (a
     * layer's spectra, its values over data, its separation measures, its residual) runs while the time the
     * training has earned covers what it took last time, and otherwise waits for a later epoch; each record lists
     * what it skipped and the log says so. Default: no limit, everything every time.
     */
    public B costBudget(double fraction) {
        this.costBudget = fraction;
        return self();
    }

    /**
     * The run's seed (for example the one the network was initialised and its data shuffled with), recorded in every
     * record's provenance; the computations' own seeds are in their options. Default: none recorded.
     */
    public B seed(long seed) {
        this.seed = seed;
        return self();
    }

    /** @throws IllegalArgumentException naming the shared option that is out of range */
    void requireShared() {
        Datasets.requireAtLeast("frequency", frequency, 1);
    }

    int frequency() {
        return frequency;
    }

    Sinks<T> sinks() {
        return new Sinks<>(sinks);
    }

    boolean failFast() {
        return failFast;
    }

    InputType[] inputTypes() {
        return inputTypes;
    }

    /** The run's seed, or null. */
    Long seed() {
        return seed;
    }

    /** The budget, or null for none. */
    CostBudget budget() {
        return costBudget == null ? null : new CostBudget(costBudget);
    }
}
