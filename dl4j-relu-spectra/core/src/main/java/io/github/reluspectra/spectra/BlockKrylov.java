package io.github.reluspectra.spectra;

import java.util.Arrays;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The largest singular values of an operator by restarted block Krylov iteration on {@code A^T A}: each cycle
 * spans
 * <pre>
 *   K = [Q, (A^T A) Q, .., (A^T A)^{q-1} Q]      orthonormal, block by block
 *   (A K)^T (A K) = W L W^T                       Rayleigh-Ritz on the q w dimensional space
 *   V = K W_{1..w},  sigma_k^2 = l_k
 *   Z = A^T A V,  r_k = ||z_k - sigma_k^2 v_k|| / sigma_k^2   (the certificate)
 * </pre>
 * and restarts from {@code Q = orth(Z)} until every {@code r_k <= tolerance}. Within a cycle the values converge
 * at the Krylov (Chebyshev) rate, about the square root of the iterations plain subspace iteration needs where
 * the spectrum is clustered, as a convolution's is. A Krylov space that stops growing (the block falls into the
 * span already built) ends the cycle early: the space is then invariant and its values exact.
 */
final class BlockKrylov {

    /** Blocks per cycle: q. */
    static final int BLOCKS = 6;
    /** Columns beyond the k wanted: w = k + SPARE. */
    static final int SPARE = 8;

    private BlockKrylov() {}

    /**
     * @param a         the operator, entries of order 1 (see {@link LinearOperator#unitScale()})
     * @param count     how many values, at most {@code min(m, n)}
     * @param warmStart starting vectors ({@code n x j}, for example the last analysis's), or null
     * @param maxProducts products with the block ({@code A} and {@code A^T} once each) before giving up
     */
    static TopSingularValues top(
            LinearOperator a, int count, double tolerance, int maxProducts, long seed, INDArray warmStart) {
        long n = a.columns();
        int w = (int) Math.min(count + SPARE, n);
        int q = (int) Math.max(1, Math.min(BLOCKS, n / w));
        INDArray block = start(a, w, seed, warmStart);
        double[] values = new double[count];
        double[] residuals = new double[count];
        Arrays.fill(residuals, Double.POSITIVE_INFINITY);
        INDArray vectors = null;
        int products = 0;
        boolean converged = false;
        while (!converged && products < maxProducts) {
            // A cycle's temporaries (the Krylov basis and its images) live in a workspace reused by the next
            try (MemoryWorkspace temporaries = Workspaces.temporaries("block-krylov")) {
                INDArray k = Nd4j.create(a.dataType(), new long[] {n, (long) q * w}, 'f');
                INDArray ak = Nd4j.create(a.dataType(), new long[] {a.rows(), (long) q * w}, 'f');
                int built = krylov(a, block, k, ak, w, q);
                products += built;
                INDArray basis = columns(k, built * w);
                INDArray images = columns(ak, built * w);
                // Rayleigh-Ritz: the eigenvectors of the Gram matrix (A K)^T (A K) are the right singular vectors of A
                // K
                SymmetricEigen.Decomposition ritz = SymmetricEigen.descending(Nd4j.gemm(images, images, true, false));
                INDArray weights =
                        columns(ritz.vectors(), w).castTo(a.dataType()).dup('f');
                INDArray v = basis.mmul(weights);
                INDArray z = a.applyTranspose(images.mmul(weights));
                products++;
                double[] lambda = Arrays.copyOf(ritz.values(), w);
                converged = certify(v, z, lambda, count, tolerance, values, residuals);
                Matrices.orthonormalizeColumns(z);
                vectors = columns(v, count).dup('f').detach();
                block = z.detach();
            }
        }
        return new TopSingularValues(values, residuals, products, converged, tolerance, vectors);
    }

    /** The first block: the warm vectors, filled up with seeded Gaussian columns, orthonormal. */
    private static INDArray start(LinearOperator a, int w, long seed, INDArray warmStart) {
        INDArray block;
        try (Gaussians rng = new Gaussians(seed)) {
            block = rng.sample(a.dataType(), a.columns(), w);
        }
        if (warmStart != null && warmStart.rows() == a.columns()) {
            int j = (int) Math.min(w, warmStart.columns());
            columns(block, j).assign(columns(warmStart, j).castTo(a.dataType()));
        }
        Matrices.orthonormalizeColumns(block);
        return block;
    }

    /**
     * Fills {@code k} with the orthonormal Krylov blocks and {@code ak} with their images, block by block
     * ({@code Q_{j+1} = orth(P (A^T (A Q_j)))}, P the complement of the blocks so far, applied twice).
     *
     * @return how many blocks were built (fewer than q where the space stopped growing)
     */
    private static int krylov(LinearOperator a, INDArray first, INDArray k, INDArray ak, int w, int q) {
        columns(k, 0, w).assign(first);
        a.apply(columns(k, 0, w), columns(ak, 0, w));
        for (int j = 1; j < q; j++) {
            INDArray next = a.applyTranspose(columns(ak, (j - 1) * w, j * w));
            if (!orthogonalToBasis(next, columns(k, 0, j * w))) {
                return j;
            }
            columns(k, j * w, (j + 1) * w).assign(next);
            a.apply(columns(k, j * w, (j + 1) * w), columns(ak, j * w, (j + 1) * w));
        }
        return q;
    }

    /**
     * Makes the new block orthonormal and orthogonal to the basis so far (projection, twice). Columns that fall
     * into the basis (a start near an invariant subspace: a warm start) are replaced by other directions
     * orthogonal to it: any orthonormal extension is valid for Rayleigh-Ritz.
     *
     * @return false if no orthonormal extension could be found (the basis fills the space)
     */
    private static boolean orthogonalToBasis(INDArray next, INDArray basis) {
        INDArray scratch = Nd4j.create(next.dataType(), next.shape(), 'f');
        for (int pass = 0; pass < 2; pass++) {
            double before = Matrices.largest(next.norm2(0).toDoubleVector());
            Matrices.projectOut(next, basis);
            Matrices.projectOut(next, basis);
            if (Matrices.orthonormalizeColumns(next, scratch, before)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Values {@code sigma_k = sqrt(l_k)} and residuals {@code ||z_k - l_k v_k|| / l_k} of the first count Ritz
     * pairs; whether every residual meets the tolerance.
     */
    private static boolean certify(
            INDArray v, INDArray z, double[] lambda, int count, double tolerance, double[] values, double[] residuals) {
        double[] l = Arrays.copyOf(lambda, count);
        double[] r = columns(z, count)
                .sub(columns(v, count).mulRowVector(Nd4j.createFromArray(l).castTo(v.dataType())))
                .norm2(0)
                .toDoubleVector();
        boolean converged = true;
        for (int i = 0; i < count; i++) {
            values[i] = Math.sqrt(Math.max(0, l[i]));
            residuals[i] = l[i] > 0 ? r[i] / l[i] : 0;
            converged &= residuals[i] <= tolerance;
        }
        return converged;
    }

    private static INDArray columns(INDArray x, long count) {
        return columns(x, 0, count);
    }

    private static INDArray columns(INDArray x, long from, long to) {
        INDArrayIndex[] range = {NDArrayIndex.all(), NDArrayIndex.interval(from, to)};
        return x.get(range);
    }
}
