package io.github.reluspectra.spectra;

import java.io.Serializable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One rank of the ReLU singular values over data (definitions §2b): the best rank-{@code k} replacement
 * {@code x -> ReLU(W M x + b)} found for the layer {@code x -> ReLU(A x + b)} on the inputs {@code X}.
 *
 * @param rank       {@code k}, the rank of {@code L = W M}
 * @param value      the upper bound of {@code s_{k,X}}: {@code max over X of ||ReLU(Ax+b) - ReLU(WMx+b)||}, never
 *                   above the values of lower ranks (A2) nor above {@code svdValue} (A3)
 * @param rms        the root mean square of the same per-sample errors
 * @param svdValue   the bound of the truncated SVD {@code A_k}: {@code max over X of ||ReLU(Ax+b) - ReLU(A_k x+b)||}
 * @param sigmaBound {@code sigma_{k+1} max ||x||}, the bound of A3 that needs no data (0 beyond the rank)
 * @param source     which start produced the reported fit: {@code svd}, {@code data} (the best rank-k linear fit
 *                   of the outputs), {@code warm} (a previous result), {@code fit} (least squares from the best
 *                   start), {@code polish} (the max-norm polish), or {@code rank r} (a lower rank's fit)
 * @param w          {@code W}, {@code m x k}
 * @param m          {@code M}, {@code k x n}
 */
public record RankFit(
        int rank, double value, double rms, double svdValue, double sigmaBound, String source, INDArray w, INDArray m)
        implements Serializable {

    @Override
    public String toString() {
        return String.format(
                java.util.Locale.ROOT,
                "RankFit[k=%d, value=%.6g, rms=%.6g, svdValue=%.6g, from %s]",
                rank,
                value,
                rms,
                svdValue,
                source);
    }
}
