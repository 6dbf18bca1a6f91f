package io.github.reluspectra.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class DemoNetworksTest {

    @Test
    void doubleLayerGraphMatchesTheParameterCountOfTheMlp() {
        assertThat(DemoNetworks.matchingDoubleWidths(List.of(256, 256))).containsExactly(217, 217);
        for (List<Integer> hidden : List.of(List.of(256, 256), List.of(512, 512), List.of(100), List.of(300, 100))) {
            var mlp = DemoNetworks.mlp(hidden, 1);
            assertThat(mlp.numParams()).isEqualTo(DemoNetworks.mlpParams(hidden));
            List<Integer> widths = DemoNetworks.matchingDoubleWidths(hidden);
            var graph = DemoNetworks.doubleMlp(widths, 1);
            assertThat(graph.numParams()).isEqualTo(DemoNetworks.doubleParams(widths));
            assertThat((double) graph.numParams() / mlp.numParams())
                    .as(hidden.toString())
                    .isCloseTo(1, within(0.01));
        }
    }

    @Test
    void bundledDigitsAreTheRealSplit() {
        MnistSplits data = MnistSplits.bundled();
        assertThat(data.train().numExamples()).isEqualTo(8000);
        assertThat(data.test().numExamples()).isEqualTo(2000);
        assertThat(data.train().getFeatures().columns()).isEqualTo(784);
        assertThat(data.train().getFeatures().minNumber().doubleValue()).isZero();
        assertThat(data.train().getFeatures().maxNumber().doubleValue()).isEqualTo(1.0);
        // every class is present in both splits
        assertThat(data.test().getLabels().sum(0).minNumber().doubleValue()).isGreaterThan(100);
        MnistSplits few = data.limit(300, 0);
        assertThat(few.train().numExamples()).isEqualTo(300);
        assertThat(few.test().numExamples()).isEqualTo(2000);
    }
}
