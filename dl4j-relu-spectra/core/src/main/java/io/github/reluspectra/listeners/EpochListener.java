package io.github.reluspectra.listeners;

import io.github.reluspectra.network.Networks;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * What both listeners do alike: run at every N-th epoch's end, credit the cost budget with the epoch's training
 * time, keep the history, hand each record to the sinks (rethrowing with fail-fast), tell networks apart, and rebuild
 * their warm starts after deserialisation (DL4J serialises listeners with their network's training state).
 *
 * @param <T> the record of one epoch
 */
abstract class EpochListener<T> extends BaseTrainingListener implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    final int frequency;
    final Sinks<T> sinks;
    final boolean failFast;
    /** The network's input types where the model does not record them (a convolution on 4D input), or none. */
    final InputType[] inputTypes;
    /** The share of training time the listener may take, or null for no limit. */
    final CostBudget budget;
    /** The run's seed recorded in the provenance, or null. */
    final Long seed;

    final NetworkTracker networks = new NetworkTracker();
    private final List<T> history = new CopyOnWriteArrayList<>();

    /** Touched only by the listener's work, which runs one epoch at a time. */
    transient WarmStarts warm;

    EpochListener(ListenerBuilder<T, ?> b) {
        this.frequency = b.frequency();
        this.sinks = b.sinks();
        this.failFast = b.failFast();
        this.inputTypes = b.inputTypes();
        this.budget = b.budget();
        this.seed = b.seed();
        initTransients();
    }

    /** Rebuilds what is not serialised; subclasses add theirs and call this. */
    void initTransients() {
        warm = new WarmStarts();
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        initTransients();
    }

    /** The records so far, oldest first: a snapshot, safe to take while training runs. */
    public List<T> history() {
        return List.copyOf(history);
    }

    @Override
    public void onEpochStart(Model model) {
        if (budget != null) {
            budget.epochStarted();
        }
    }

    /** Credits the epoch that ends to the budget; whether the listener runs at its end. */
    boolean epochEnds(Model model) {
        if (budget != null) {
            budget.epochEnded();
        }
        return (Networks.epoch(model) + 1) % frequency == 0;
    }

    /** Runs the listener's work; under a budget, whatever of its time no part was debited for is debited too. */
    <R> R charged(Supplier<R> work) {
        return budget == null ? work.get() : budget.charged(work);
    }

    /** Adds the record to the history and hands it to the sinks. */
    synchronized void record(T result) {
        history.add(result);
        sinks.deliver(result, failFast);
    }
}
