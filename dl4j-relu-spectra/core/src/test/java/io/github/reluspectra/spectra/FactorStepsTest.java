package io.github.reluspectra.spectra;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class FactorStepsTest {

    /**
     * A descent keeps its best iterate as a copy while its buffers move on: a copy in the buffer's own type must be
     * a new array ({@code castTo} returns the array itself, which kept the last iterate instead of the best).
     */
    @Test
    void aCopyIsNeverTheArrayItself() {
        INDArray w = SequentialReluValuesTest.gaussian(1, 4, 3).castTo(DataType.FLOAT);
        INDArray same = FactorSteps.copy(w, DataType.FLOAT);
        INDArray wider = FactorSteps.copy(w, DataType.DOUBLE);
        w.addi(1f);
        assertThat(same).isNotSameAs(w);
        assertThat(same.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(same.add(1f).equalsWithEps(w, 1e-6)).isTrue();
        assertThat(wider.dataType()).isEqualTo(DataType.DOUBLE);
        assertThat(wider.castTo(DataType.FLOAT).equalsWithEps(same, 0)).isTrue();
    }
}
