package io.github.reluspectra.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.reluspectra.results.LayerAnalysis;
import io.github.reluspectra.spectra.BiasMode;
import io.github.reluspectra.spectra.MeanWidths;
import io.github.reluspectra.spectra.SequentialReluValues;
import io.github.reluspectra.spectra.SingularValues;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The layer adapter and the per-layer analysis on both network types. */
class NetworkAnalyzerTest {

    private static final AnalysisOptions OPTIONS = AnalysisOptions.builder().build();

    @Test
    void readsDenseLayersOfAMultiLayerNetwork() {
        MultiLayerNetwork net = TinyNetworks.multiLayer();
        List<LayerOperator> layers = LayerOperators.of(net, DataType.DOUBLE);
        assertThat(layers).extracting(LayerOperator::name).containsExactly("hidden", "layer1", "out");
        assertThat(layers).extracting(LayerOperator::activation).containsExactly("relu", "tanh", "softmax");
        assertThat(layers).extracting(LayerOperator::type).containsExactly("DenseLayer", "DenseLayer", "OutputLayer");
        LayerOperator hidden = layers.get(0);
        assertThat(hidden.nIn()).isEqualTo(6);
        assertThat(hidden.nOut()).isEqualTo(5);
        INDArray w = net.getLayer(0).getParam("W").castTo(DataType.DOUBLE);
        assertThat(hidden.weights()).isEqualTo(w.transpose());
        assertThat(hidden.bias().length()).isEqualTo(5);
        assertThat(layers.get(1).bias()).isNull();
        // The copy is detached: changing the network does not change the operator.
        net.getLayer(0).getParam("W").addi(1);
        assertThat(hidden.weights()).isEqualTo(w.transpose());
    }

    /** Each record says where its time went: the parts add up to the layer's seconds, minus the checks. */
    @Test
    void everyAnalysisKeepsItsPartSeconds() {
        MultiLayerNetwork net = TinyNetworks.multiLayer();
        INDArray x = TinyNetworks.data(5, 40).getFeatures().castTo(DataType.DOUBLE);
        List<LayerAnalysis> result = new NetworkAnalyzer(OPTIONS).analyze(net, x);
        LayerAnalysis relu = result.get(0);
        assertThat(relu.parts().classical()).isPositive();
        assertThat(relu.parts().sequential()).isPositive();
        assertThat(relu.parts().valuesOverData())
                .isEqualTo(relu.overData().seconds(), org.assertj.core.api.Assertions.within(0.05));
        assertThat(relu.parts().widths()).isPositive();
        double sum = relu.parts().classical()
                + relu.parts().sequential()
                + relu.parts().valuesOverData()
                + relu.parts().widths();
        assertThat(sum).isLessThanOrEqualTo(relu.seconds());
        LayerAnalysis tanh = result.get(1);
        assertThat(tanh.parts().sequential()).isZero();
        assertThat(tanh.parts().valuesOverData()).isZero();
    }

    /** By default a network is analysed in its own precision; an explicit one wins. */
    @Test
    void analysesEachNetworkInItsOwnPrecision() {
        MultiLayerNetwork net = TinyNetworks.multiLayer();
        assertThat(net.params().dataType()).isEqualTo(DataType.FLOAT);
        assertThat(OPTIONS.dataType(net)).isEqualTo(DataType.FLOAT);
        assertThat(new NetworkAnalyzer(OPTIONS)
                        .analyze(net)
                        .get(0)
                        .sequential()
                        .vectors()
                        .dataType())
                .isEqualTo(DataType.FLOAT);
        MultiLayerNetwork doubled = net.convertDataType(DataType.DOUBLE);
        assertThat(OPTIONS.dataType(doubled)).isEqualTo(DataType.DOUBLE);
        assertThat(new NetworkAnalyzer(OPTIONS)
                        .analyze(doubled)
                        .get(0)
                        .sequential()
                        .vectors()
                        .dataType())
                .isEqualTo(DataType.DOUBLE);
        AnalysisOptions inDouble =
                AnalysisOptions.builder().dataType(DataType.DOUBLE).build();
        assertThat(inDouble.dataType(net)).isEqualTo(DataType.DOUBLE);
        assertThat(new NetworkAnalyzer(inDouble)
                        .analyze(net)
                        .get(0)
                        .sequential()
                        .vectors()
                        .dataType())
                .isEqualTo(DataType.DOUBLE);
    }

    @Test
    void analysisMatchesTheCoreApi() {
        MultiLayerNetwork net = TinyNetworks.multiLayer();
        List<LayerAnalysis> result = new NetworkAnalyzer(OPTIONS).analyze(net);
        assertThat(result).hasSize(3);
        LayerOperator hidden = LayerOperators.of(net, DataType.FLOAT).get(0);
        LayerAnalysis first = result.get(0);
        assertThat(first.singularValues()).isEqualTo(SingularValues.of(hidden.weights()));
        assertThat(first.sequential().values())
                .isEqualTo(SequentialReluValues.compute(hidden.weights(), OPTIONS.sequential())
                        .values());
        assertThat(first.width()).isEqualTo(MeanWidths.of(hidden.weights(), OPTIONS.width()));
        assertThat(result.get(1).sequential())
                .as("tanh layer has no ReLU values")
                .isNull();
        assertThat(result.get(1).width().relu()).isNaN();
        assertThat(result.get(2).sequential()).isNull();
    }

    @Test
    void readsTheGraphInTopologicalOrder() {
        ComputationGraph graph = TinyNetworks.graph();
        List<LayerAnalysis> result = new NetworkAnalyzer(OPTIONS).analyze(graph);
        assertThat(result).extracting(LayerAnalysis::name).containsExactly("hidden", "out");
        LayerAnalysis hidden = result.get(0);
        INDArray a =
                graph.getLayer("hidden").getParam("W").castTo(DataType.FLOAT).transpose();
        assertThat(hidden.sequential().values())
                .isEqualTo(SequentialReluValues.compute(a, OPTIONS.sequential()).values());
        assertThat(hidden.nIn()).isEqualTo(6);
    }

    @Test
    void augmentModeAddsTheBiasColumn() {
        AnalysisOptions augment =
                AnalysisOptions.builder().biasMode(BiasMode.AUGMENT).noWidths().build();
        LayerAnalysis hidden =
                new NetworkAnalyzer(augment).analyze(TinyNetworks.multiLayer()).get(0);
        assertThat(hidden.nIn()).isEqualTo(7);
        assertThat(hidden.sequential().vectors().rows()).isEqualTo(7);
        assertThat(hidden.width()).isNull();
    }

    @Test
    void nonFiniteWeightsNameTheLayer() {
        MultiLayerNetwork net = TinyNetworks.multiLayer();
        net.getLayer(2).getParam("W").putScalar(0, 0, Double.NaN);
        assertThatThrownBy(() -> new NetworkAnalyzer(OPTIONS).analyze(net))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 'out' (index 2, OutputLayer)")
                .hasMessageContaining("NaN");
        ComputationGraph graph = TinyNetworks.graph();
        graph.getLayer("hidden").getParam("b").putScalar(1, Double.POSITIVE_INFINITY);
        assertThatThrownBy(() -> new NetworkAnalyzer(OPTIONS).analyze(graph))
                .hasMessageContaining("layer 'hidden'")
                .hasMessageContaining("infinite");
    }

    /** Only DL4J's plain ReLU is a ReLU layer; capped, thresholded and leaky variants keep their own names. */
    @Test
    void reluVariantsAreNotReluLayers() {
        var activations = java.util.List.of(
                new org.nd4j.linalg.activations.impl.ActivationReLU(),
                new org.nd4j.linalg.activations.impl.ActivationReLU(6.0, null, null),
                new org.nd4j.linalg.activations.impl.ActivationReLU(null, 0.5, null),
                new org.nd4j.linalg.activations.impl.ActivationReLU(null, null, 0.1),
                new org.nd4j.linalg.activations.impl.ActivationReLU(Double.POSITIVE_INFINITY, 0.0, 0.0),
                org.nd4j.linalg.activations.Activation.RELU6.getActivationFunction(),
                org.nd4j.linalg.activations.Activation.LEAKYRELU.getActivationFunction());
        var list = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().list();
        for (var activation : activations) {
            list.layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder()
                    .nIn(3)
                    .nOut(3)
                    .activation(activation)
                    .build());
        }
        var net = new org.deeplearning4j.nn.multilayer.MultiLayerNetwork(list.build());
        net.init();
        List<LayerOperator> layers = LayerOperators.of(net, DataType.DOUBLE);
        assertThat(layers)
                .extracting(LayerOperator::activation)
                .containsExactly(
                        "relu",
                        "relu(max=6.0)",
                        "relu(threshold=0.5)",
                        "relu(negativeSlope=0.1)",
                        "relu",
                        "relu6",
                        "leakyrelu(a=0.01)");
        assertThat(layers)
                .extracting(LayerOperator::isRelu)
                .containsExactly(true, false, false, false, true, false, false);
        List<LayerAnalysis> analyses = new NetworkAnalyzer(OPTIONS).analyze(layers);
        assertThat(analyses.get(1).sequential()).isNull();
        assertThat(analyses.get(0).sequential()).isNotNull();
    }
}
