package io.github.reluspectra.pruning;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reluspectra.spectra.ConvolutionGeometry;
import io.github.reluspectra.spectra.ConvolutionOperator;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A convolution's calibration patches: all of them when few, else a fixed draw of distinct ones. */
class CalibrationInputsTest {

    /** 2 x 5 x 5 -> 3 x 3 x 3, kernel 3x3: 9 patches of 18 values per sample. */
    private static ConvolutionOperator convolution() {
        Nd4j.getRandom().setSeed(2);
        INDArray kernel = Nd4j.rand(DataType.DOUBLE, 3, 2, 3, 3);
        return new ConvolutionOperator(
                kernel, new ConvolutionGeometry(2, 5, 5, 3, 3, 3, 3, 3, 1, 1, 0, 0, 1, 1, false, false));
    }

    @Test
    void fewPatchesAreAllKeptInOrder() {
        ConvolutionOperator conv = convolution();
        INDArray samples = Nd4j.rand(DataType.DOUBLE, 4, 50);
        assertThat(CalibrationInputs.patches(conv, samples, 1000)).isEqualTo(conv.patches(samples));
    }

    @Test
    void manyPatchesAreADrawOfDistinctOnesTheSameEachTime() {
        ConvolutionOperator conv = convolution();
        INDArray samples = Nd4j.rand(DataType.DOUBLE, 40, 50); // 360 patches
        INDArray all = conv.patches(samples);
        INDArray drawn = CalibrationInputs.patches(conv, samples, 100);
        assertThat(drawn.rows()).isEqualTo(100);
        Set<Integer> rows = new HashSet<>();
        int previous = -1;
        for (int i = 0; i < drawn.rows(); i++) {
            int match = -1;
            for (int j = 0; j < all.rows() && match < 0; j++) {
                if (all.getRow(j).equals(drawn.getRow(i))) {
                    match = j;
                }
            }
            assertThat(match).as("drawn row %d is one of the patches", i).isGreaterThan(previous);
            rows.add(match);
            previous = match;
        }
        assertThat(rows).hasSize(100);
        assertThat(CalibrationInputs.patches(conv, samples, 100)).isEqualTo(drawn);
        // unfolded 7 samples at a time: the same rows
        assertThat(CalibrationInputs.patches(conv, samples, 100, 7 * 9 * 18)).isEqualTo(drawn);
        assertThat(CalibrationInputs.patches(conv, samples, 1000, 7 * 9 * 18)).isEqualTo(all);
    }
}
