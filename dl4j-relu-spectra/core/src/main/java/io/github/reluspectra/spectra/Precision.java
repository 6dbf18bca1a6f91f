package io.github.reluspectra.spectra;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * What rounding allows, per data type: the one place the algorithms take their precision-dependent thresholds
 * from. Everything here is relative (to a Gram matrix's largest diagonal entry, to {@code sigma_1}, to
 * {@code s^2}); DOUBLE's unit roundoff is about 1.1e-16, FLOAT's about 6e-8.
 *
 * <ul>
 *   <li>{@link #roundingFloor()}: a Cholesky pivot {@code d} with {@code d <= floor * max G_jj} is rounding
 *       noise of a Gram matrix (whose entries carry an error of about {@code eps max G_jj}): its columns are
 *       dependent. CholQR2 needs {@code kappa^2 < 1/eps}, which this keeps with a margin.</li>
 *   <li>{@link #noise()}: a value (sequential ReLU, classical) below {@code noise * sigma_1} is a zero's rounding
 *       noise; it counts, and is reported, as 0. The same share is the slack with which a locked value may fall
 *       short of the bound F2 (definitions §2).</li>
 *   <li>{@link #minKktTolerance()}: the least relative KKT residual the sequential search can certify
 *       (FLOAT residuals stall near single precision).</li>
 *   <li>{@link #minKrylovTolerance()}: the least relative residual block Krylov can certify (FLOAT: LeNet's
 *       first convolution reached 1e-6 with no margin).</li>
 * </ul>
 */
public enum Precision {
    DOUBLE(1e-13, 1e-12, 0, 0),
    FLOAT(1e-5, 1e-5, 1e-3, 1e-5);

    private final double roundingFloor;
    private final double noise;
    private final double minKktTolerance;
    private final double minKrylovTolerance;

    Precision(double roundingFloor, double noise, double minKktTolerance, double minKrylovTolerance) {
        this.roundingFloor = roundingFloor;
        this.noise = noise;
        this.minKktTolerance = minKktTolerance;
        this.minKrylovTolerance = minKrylovTolerance;
    }

    /** DOUBLE for DOUBLE arrays; every other floating type computes no better than FLOAT. */
    public static Precision of(DataType type) {
        return type == DataType.DOUBLE ? DOUBLE : FLOAT;
    }

    public double roundingFloor() {
        return roundingFloor;
    }

    public double noise() {
        return noise;
    }

    public double minKktTolerance() {
        return minKktTolerance;
    }

    public double minKrylovTolerance() {
        return minKrylovTolerance;
    }

    /** The KKT tolerance the search holds itself to when {@code asked} is requested. */
    public double kktTolerance(double asked) {
        return Math.max(asked, minKktTolerance);
    }

    /** The Krylov tolerance the classical values are certified to when {@code asked} is requested. */
    public double krylovTolerance(double asked) {
        return Math.max(asked, minKrylovTolerance);
    }
}
