package io.github.reluspectra.measures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.reluspectra.layers.DoubleLayers;
import io.github.reluspectra.network.LayerOperator;
import io.github.reluspectra.network.Networks;
import io.github.reluspectra.network.TinyNetworks;
import io.github.reluspectra.results.LayerKind;
import io.github.reluspectra.results.MeasureSeconds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The separation measures read from the layer's output of the forward pass equal those from applying the operator
 * again (dense, convolution in both network types, double layer): the output is {@code ReLU(A h + b)} in the
 * operator's row order.
 */
class ResponseFromOutputTest {

    /** Float networks: the forward pass rounds in float, the operator's product in double. */
    private static final double FLOAT_ROUNDING = 1e-5;

    @Test
    void measuresFromTheForwardPassEqualTheOperatorsOwn() {
        check(TinyNetworks.multiLayer(), TinyNetworks.data(3, 20).getFeatures(), 1);
        check(TinyNetworks.cnn(), TinyNetworks.images(3, 9).getFeatures(), 3);
        check(TinyNetworks.cnnGraph(), TinyNetworks.images(3, 9).getFeatures(), 3);
        check(doubleLayerGraph(), TinyNetworks.data(3, 20).getFeatures(), 1);
    }

    private static void check(Model model, INDArray features, int reluLayers) {
        List<LayerOperator> layers = Networks.layers(model, DataType.DOUBLE).stream()
                .filter(LayerOperator::isRelu)
                .toList();
        assertThat(layers).hasSize(reluLayers);
        Networks.LayerActivations passes = Networks.layerActivations(model, layers, features);
        for (LayerOperator layer : layers) {
            INDArray h = passes.inputs().get(layer.name()).castTo(DataType.DOUBLE);
            INDArray vectors = org.nd4j.linalg.factory.Nd4j.eye(layer.nIn())
                    .castTo(DataType.DOUBLE)
                    .getColumns(0, 1);
            Map<String, double[]> fromOutput = SeparationMeasures.of(
                    layer, h, passes.outputs().get(layer.name()), () -> vectors, new ArrayList<MeasureSeconds>());
            Map<String, double[]> recomputed =
                    SeparationMeasures.of(layer, h, null, () -> vectors, new ArrayList<MeasureSeconds>());
            assertThat(fromOutput.keySet()).containsExactlyElementsOf(recomputed.keySet());
            recomputed.forEach((measure, values) -> assertThat(fromOutput.get(measure))
                    .as(layer.name() + " " + measure)
                    .containsExactly(values, within(FLOAT_ROUNDING * scale(values))));
            if (layer.kind() == LayerKind.DOUBLE_LAYER) {
                assertThat(fromOutput).doesNotContainKey(SeparationMeasures.ACTIVE);
            }
        }
    }

    private static double scale(double[] values) {
        double max = 1;
        for (double v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    private static ComputationGraph doubleLayerGraph() {
        var g = new NeuralNetConfiguration.Builder()
                .seed(7)
                .updater(new Adam(1e-2))
                .graphBuilder()
                .addInputs("in");
        DoubleLayers.addDoubleDense(g, "double1", 5, "in");
        g.addLayer(
                        "out",
                        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                .nOut(3)
                                .activation(Activation.SOFTMAX)
                                .build(),
                        "double1")
                .setOutputs("out")
                .setInputTypes(InputType.feedForward(6));
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        return graph;
    }
}
