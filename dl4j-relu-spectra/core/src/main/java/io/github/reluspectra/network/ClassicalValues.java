package io.github.reluspectra.network;

import io.github.reluspectra.spectra.BiasMode;
import io.github.reluspectra.spectra.SingularValues;
import io.github.reluspectra.spectra.TopSingularValues;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The classical singular values a layer's sequential ReLU search starts from: the one place where dense layers and
 * convolutions part, for the analysis and for the separation measures' alignment vectors alike. A dense layer's
 * operator is a matrix: all its values, from one factorisation. A convolution's is never formed: its top values by
 * block Krylov, certified to {@link SingularValues#TOLERANCE}, from the previous analysis's vectors if given.
 *
 * @param values    the values, largest first
 * @param certified a convolution's top values with their certificate and vectors (the next warm start); null for a
 *                  dense layer
 */
public record ClassicalValues(double[] values, TopSingularValues certified) {

    public ClassicalValues {
        values = values.clone();
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    /**
     * @param mode  whether the bias is part of the operator ({@link BiasMode#AUGMENT})
     * @param count how many values a convolution needs (at most {@code min(m, n)}); a dense layer gets all
     * @param seed  the seed of a convolution's random starts
     * @param warm  a convolution's previous top vectors, or null
     */
    public static ClassicalValues of(LayerOperator layer, BiasMode mode, int count, long seed, INDArray warm) {
        if (!layer.isConvolution()) {
            return new ClassicalValues(SingularValues.of(layer.operator(mode)), null);
        }
        TopSingularValues top = SingularValues.top(
                layer.linear(mode), count, SingularValues.TOLERANCE, SingularValues.MAX_ITERATIONS, seed, warm);
        return new ClassicalValues(top.values(), top);
    }
}
