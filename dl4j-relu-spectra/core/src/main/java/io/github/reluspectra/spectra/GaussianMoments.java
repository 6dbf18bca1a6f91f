package io.github.reluspectra.spectra;

/** Closed forms for Gaussian norms used as normalisers and as exact oracles (definitions §3). */
public final class GaussianMoments {

    private GaussianMoments() {}

    /**
     * {@code E||g||} for {@code g ~ N(0, I_n)}: the chi mean {@code sqrt 2 Gamma((n+1)/2) / Gamma(n/2)}, which
     * is also the Gaussian mean width of the unit ball {@code B^n}. Zero for {@code n = 0}.
     */
    public static double chiMean(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("dimension must be non-negative, got " + n);
        }
        if (n == 0) {
            return 0;
        }
        // r(n) = Gamma((n+1)/2) / Gamma(n/2) satisfies r(1) = 1/sqrt(pi) and r(n) r(n-1) = (n-1)/2.
        double r = 1 / Math.sqrt(Math.PI);
        for (int k = 2; k <= n; k++) {
            r = (k - 1) / (2 * r);
        }
        return Math.sqrt(2) * r;
    }

    /**
     * {@code E||g_+||} for {@code g ~ N(0, I_m)}: {@code sum_j C(m, j) 2^-m E[chi_j]}, since the number of
     * positive entries is Binomial(m, 1/2) and, given j of them, {@code ||g_+||} is chi with j degrees.
     */
    public static double positivePartNormMean(int m) {
        double sum = 0;
        double logBinomial = 0; // log C(m, j)
        double chi = 0; // E[chi_j], by the same recurrence as chiMean
        double r = 1 / Math.sqrt(Math.PI);
        for (int j = 0; j <= m; j++) {
            if (j > 0) {
                logBinomial += Math.log((double) (m - j + 1) / j);
                r = j == 1 ? r : (j - 1) / (2 * r);
                chi = Math.sqrt(2) * r;
            }
            sum += Math.exp(logBinomial - m * Math.log(2)) * chi;
        }
        return sum;
    }
}
