package io.github.reluspectra.demo.results;

import java.nio.file.Path;
import java.util.List;

/**
 * What one demo run does.
 *
 * @param data         where the digits come from
 * @param epochs       training epochs of both networks
 * @param hidden       widths of the MLP's ReLU hidden layers
 * @param seed         seed of weights, shuffling and every analysis
 * @param out          the report directory
 * @param trainSamples use only the first this many training digits (0: all)
 * @param testSamples  use only the first this many test digits (0: all)
 * @param batchSize    minibatch size for training and fine-tuning
 * @param topK         ReLU singular values per layer and epoch
 * @param energies     energy fractions of the pruning sweep
 * @param budgets      global budgets (fractions of the hidden weights kept) of the pruning sweep
 * @param fineTuneRate learning rate of the fine-tuning epoch after pruning (training uses Adam at 1e-3)
 */
public record DemoConfig(
        DataSource data,
        int epochs,
        List<Integer> hidden,
        long seed,
        Path out,
        int trainSamples,
        int testSamples,
        int batchSize,
        int topK,
        List<Double> energies,
        List<Double> budgets,
        double fineTuneRate) {

    /**
     * The default run: bundled digits, 784-256-256-10, 10 epochs, energies 0.5/0.7/0.9 and budget 0.25, fine-tuning
     * at 3e-4.
     */
    public static final int DEFAULT_EPOCHS = 10;

    public static final List<Integer> DEFAULT_HIDDEN = List.of(256, 256);
    public static final List<Double> DEFAULT_ENERGIES = List.of(0.5, 0.7, 0.9);
    /** 4x fewer hidden weights: where the methods differ most. */
    public static final List<Double> DEFAULT_BUDGETS = List.of(0.25);
    /** Training digits the listeners fit the ReLU singular values over data and the residual measure on. */
    public static final int LISTENER_FIT_SAMPLES = 500;
    /** Training digits fitted pruning fits each layer on. */
    public static final int PRUNING_FIT_SAMPLES = 2000;
    /** At the training rate 1e-3 a fresh Adam state cost harmonic-pruned networks 0.7 points in one epoch. */
    public static final double DEFAULT_FINE_TUNE_RATE = 3e-4;

    public DemoConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        if (hidden.isEmpty() || hidden.stream().anyMatch(h -> h < 1)) {
            throw new IllegalArgumentException("hidden layer widths must be positive, got " + hidden);
        }
        if (trainSamples < 0 || testSamples < 0) {
            throw new IllegalArgumentException("sample limits must be non-negative");
        }
        if (batchSize < 1 || topK < 1) {
            throw new IllegalArgumentException("batch size and top K must be at least 1");
        }
        if (energies.stream().anyMatch(e -> !(e > 0 && e <= 1))) {
            throw new IllegalArgumentException("energies must be in (0, 1], got " + energies);
        }
        if (budgets.stream().anyMatch(b -> !(b > 0 && b <= 1))) {
            throw new IllegalArgumentException("budgets must be in (0, 1], got " + budgets);
        }
        if (!(fineTuneRate > 0)) {
            throw new IllegalArgumentException("fine-tuning learning rate must be positive, got " + fineTuneRate);
        }
        hidden = List.copyOf(hidden);
        energies = List.copyOf(energies);
        budgets = List.copyOf(budgets);
    }

    public static DemoConfig defaults(Path out) {
        return new DemoConfig(
                DataSource.bundled(),
                DEFAULT_EPOCHS,
                DEFAULT_HIDDEN,
                42,
                out,
                0,
                0,
                64,
                16,
                DEFAULT_ENERGIES,
                DEFAULT_BUDGETS,
                DEFAULT_FINE_TUNE_RATE);
    }

    /** The digits: bundled in the jar, a directory of IDX files, or DL4J's full MNIST download. */
    public sealed interface DataSource {
        record Bundled() implements DataSource {}

        record Directory(Path dir) implements DataSource {}

        record Full() implements DataSource {}

        static DataSource bundled() {
            return new Bundled();
        }
    }

    /** Widths as {@code 256-256}. */
    public static String describe(List<Integer> widths) {
        return String.join("-", widths.stream().map(String::valueOf).toList());
    }
}
