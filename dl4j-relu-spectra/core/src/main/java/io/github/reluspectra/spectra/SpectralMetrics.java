package io.github.reluspectra.spectra;

import java.io.Serializable;
import java.util.Arrays;

/**
 * WeightWatcher's per-layer metrics (C. H. Martin and M. W. Mahoney, "Implicit self-regularization in deep neural
 * networks", JMLR 22(165), 2021; the weightwatcher package) from a layer's singular values, on the eigenvalues
 * {@code lambda_i = sigma_i^2} of its correlation matrix:
 * <pre>
 *   alpha          the exponent of a power law p(lambda) ~ lambda^-alpha fitted to the eigenvalues >= x_min by maximum
 *                  likelihood, alpha = 1 + n / sum ln(lambda_i / x_min), x_min the eigenvalue whose fit has the
 *                  smallest Kolmogorov-Smirnov distance (Clauset, Shalizi and Newman, SIAM Review 51(4), 2009)
 *   alphaStdErr    (alpha - 1) / sqrt(n)
 *   weightedAlpha  alpha log10(lambda_max)
 *   logSpectralNorm  log10(lambda_max)
 *   logAlphaNorm   log10(sum lambda_i^alpha)
 *   stableRank     sum lambda_i / lambda_max
 * </pre>
 * The power law is NaN (and so are the metrics built on it) where fewer than {@value #MIN_EIGENVALUES} positive
 * eigenvalues exist.
 *
 * @param tailSize n, the eigenvalues the power law is fitted to
 */
public record SpectralMetrics(
        double alpha,
        double alphaStdErr,
        double ksDistance,
        double xmin,
        int tailSize,
        double weightedAlpha,
        double logSpectralNorm,
        double logAlphaNorm,
        double stableRank)
        implements Serializable {

    /** A power law needs at least this many positive eigenvalues to be fitted at all. */
    public static final int MIN_EIGENVALUES = 3;
    /** Candidate x_min leave at least this many eigenvalues in the tail (or all but one, for small spectra). */
    private static final int MIN_TAIL = 10;

    /** The metrics of the singular values {@code sigma} (any order; zeros are left out of the power law). */
    public static SpectralMetrics of(double[] sigma) {
        double[] lambda =
                Arrays.stream(sigma).map(s -> s * s).filter(l -> l > 0).sorted().toArray();
        double max = lambda.length == 0 ? 0 : lambda[lambda.length - 1];
        double sum = Arrays.stream(lambda).sum();
        double stableRank = max > 0 ? sum / max : Double.NaN;
        double logSpectralNorm = max > 0 ? Math.log10(max) : Double.NaN;
        double[] fit = lambda.length >= MIN_EIGENVALUES
                ? powerLaw(lambda)
                : new double[] {Double.NaN, Double.NaN, Double.NaN, 0};
        double alpha = fit[0];
        int n = (int) fit[3];
        double stdErr = n > 0 ? (alpha - 1) / Math.sqrt(n) : Double.NaN;
        double logAlphaNorm = Double.isNaN(alpha)
                ? Double.NaN
                : Math.log10(Arrays.stream(lambda).map(l -> Math.pow(l, alpha)).sum());
        return new SpectralMetrics(
                alpha, stdErr, fit[1], fit[2], n, alpha * logSpectralNorm, logSpectralNorm, logAlphaNorm, stableRank);
    }

    /**
     * Clauset's method on ascending positive {@code lambda}: for each candidate {@code x_min} (an eigenvalue with a
     * tail of at least {@link #MIN_TAIL}), the maximum-likelihood alpha and the KS distance between the tail's
     * empirical distribution and the fitted law {@code P(x) = 1 - (x / x_min)^(1 - alpha)}.
     *
     * @return {alpha, ks distance, x_min, tail size} of the smallest distance
     */
    private static double[] powerLaw(double[] lambda) {
        int count = lambda.length;
        int minTail = Math.min(MIN_TAIL, count - 1);
        double[] best = {Double.NaN, Double.POSITIVE_INFINITY, Double.NaN, 0};
        // suffix sums of ln(lambda): sum over the tail from i of ln(lambda_j / x_min) without an inner loop
        double[] logSuffix = new double[count + 1];
        for (int i = count - 1; i >= 0; i--) {
            logSuffix[i] = logSuffix[i + 1] + Math.log(lambda[i]);
        }
        for (int i = 0; i + minTail <= count; i++) {
            if (i > 0 && lambda[i] == lambda[i - 1]) {
                continue;
            }
            double xmin = lambda[i];
            int n = count - i;
            double logs = logSuffix[i] - n * Math.log(xmin);
            if (!(logs > 0)) {
                continue;
            }
            double alpha = 1 + n / logs;
            double distance = 0;
            for (int j = i; j < count; j++) {
                double fitted = 1 - Math.pow(lambda[j] / xmin, 1 - alpha);
                double below = (double) (j - i) / n;
                double upTo = (double) (j - i + 1) / n;
                distance = Math.max(distance, Math.max(Math.abs(fitted - below), Math.abs(upTo - fitted)));
            }
            if (distance < best[1]) {
                best = new double[] {alpha, distance, xmin, n};
            }
        }
        return best;
    }
}
