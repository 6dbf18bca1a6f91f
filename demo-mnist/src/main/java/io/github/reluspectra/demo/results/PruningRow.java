package io.github.reluspectra.demo.results;

import io.github.reluspectra.pruning.PruningReport;

/**
 * One pruned network of the sweep.
 *
 * @param method            {@code harmonic}, {@code fitted}, {@code closed form} or {@code magnitude}
 * @param basis             {@code SVD} or {@code RELU} for harmonic pruning, {@code FITTED} for the fitted
 *                          approximation over data, {@code WHITENED} or {@code ACTIVATION-SCALED} for the closed
 *                          forms over data, {@code -} for magnitude
 * @param setting           the rank setting, {@code energy 0.50} or {@code budget 0.25} (for magnitude: the
 *                          setting whose weight count it matches)
 * @param ranks             ranks kept per pruned layer, for example {@code 87/64} ({@code -} for magnitude)
 * @param params            non-zero parameters of the whole network
 * @param hiddenWeights     non-zero weights of the pruned layers (dense weights and convolution kernels)
 * @param accuracy          test accuracy right after pruning
 * @param accuracyFineTuned test accuracy after one fine-tuning epoch
 * @param seconds           wall time of the pruning itself (bases included, fine-tuning not)
 * @param model             file name of the fine-tuned model in the report directory
 * @param report            what the pruning did per layer (written in the tools' pruning report schema)
 */
public record PruningRow(
        String method,
        String basis,
        String setting,
        String ranks,
        long params,
        long hiddenWeights,
        double accuracy,
        double accuracyFineTuned,
        double seconds,
        String model,
        PruningReport report) {

    public String label() {
        return switch (method) {
            case "magnitude" -> "magnitude";
            case "fitted" -> "fitted over data";
            case "closed form" -> basis.equals("WHITENED") ? "whitened SVD" : "ASVD";
            default -> "harmonic " + basis;
        };
    }
}
