package io.github.reluspectra.demo;

/**
 * One pruned network of the sweep.
 *
 * @param method            {@code harmonic} or {@code magnitude}
 * @param basis             {@code SVD} or {@code RELU} for harmonic pruning, {@code -} for magnitude
 * @param energy            the energy setting (for magnitude: the harmonic setting whose weight count it matches)
 * @param ranks             harmonics kept per hidden layer, for example {@code 87/64} ({@code -} for magnitude)
 * @param params            non-zero parameters of the whole network
 * @param hiddenWeights     non-zero weights of the hidden layers
 * @param accuracy          test accuracy right after pruning
 * @param accuracyFineTuned test accuracy after one fine-tuning epoch
 * @param seconds           wall time of the pruning itself (bases included, fine-tuning not)
 * @param model             file name of the fine-tuned model in the report directory
 */
public record PruningRow(String method, String basis, double energy, String ranks, long params, long hiddenWeights,
                         double accuracy, double accuracyFineTuned, double seconds, String model) {

    public String label() {
        return method.equals("magnitude") ? "magnitude" : "harmonic " + basis;
    }
}
