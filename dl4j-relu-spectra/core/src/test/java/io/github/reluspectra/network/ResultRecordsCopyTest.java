package io.github.reluspectra.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.reluspectra.results.LayerAnalysis;
import io.github.reluspectra.spectra.SequentialReluOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A result handed to sinks and threads cannot be changed through the arrays it hands out. */
class ResultRecordsCopyTest {

    @Test
    void arraysTakenFromAnAnalysisAreCopies() {
        AnalysisOptions options = AnalysisOptions.builder()
                .sequential(SequentialReluOptions.builder().topK(2).build())
                .build();
        List<LayerAnalysis> layers = new NetworkAnalyzer(options).analyze(TinyNetworks.multiLayer());
        LayerAnalysis hidden = layers.get(0);
        double sigma1 = hidden.singularValues()[0];
        double s1 = hidden.sequential().values()[0];
        boolean converged = hidden.sequential().valueConverged()[0];

        hidden.singularValues()[0] = -1;
        hidden.sequential().values()[0] = -1;
        hidden.sequential().singularValues()[0] = -1;
        hidden.sequential().valueConverged()[0] = !converged;

        assertThat(hidden.singularValues()[0]).isEqualTo(sigma1);
        assertThat(hidden.sequential().values()[0]).isEqualTo(s1);
        assertThat(hidden.sequential().singularValues()[0]).isPositive();
        assertThat(hidden.sequential().valueConverged()[0]).isEqualTo(converged);
    }

    @Test
    void factorisationsCopyTheirValuesInAndOut() {
        double[] values = {3, 2, 1};
        var svd = new io.github.reluspectra.spectra.SingularValues.RightSingular(values, null);
        var eigen = new io.github.reluspectra.spectra.SymmetricEigen.Decomposition(values, null);
        values[0] = -1;
        svd.values()[1] = -1;
        eigen.values()[1] = -1;
        assertThat(svd.values()).containsExactly(3, 2, 1);
        assertThat(eigen.values()).containsExactly(3, 2, 1);
    }
}
