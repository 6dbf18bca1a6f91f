package io.github.reluspectra.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.reluspectra.results.LayerAnalysis;
import io.github.reluspectra.results.SkippedLayer;
import io.github.reluspectra.spectra.SingularValues;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Convolution layers read from whole networks of both types: shapes, skipped layers, inputs, analysis. */
class ConvolutionNetworksTest {

    static List<Model> networks() {
        MultiLayerNetwork net = TinyNetworks.cnn();
        net.fit(TinyNetworks.imageTrain(), 2);
        ComputationGraph graph = TinyNetworks.cnnGraph();
        graph.fit(TinyNetworks.imageTrain(), 2);
        return List.of(net, graph);
    }

    @Test
    void convolutionsAreReadWithTheirShapesAndPoolingIsListedWithItsReason() {
        for (Model model : networks()) {
            NetworkLayers read = LayerOperators.read(model, DataType.DOUBLE);
            assertThat(read.layers()).extracting(LayerOperator::name).containsExactly("conv", "conv2", "dense", "out");
            assertThat(read.dense()).extracting(LayerOperator::name).containsExactly("dense", "out");
            LayerOperator conv = read.layers().get(0);
            LayerOperator conv2 = read.layers().get(1);
            assertThat(conv.type()).isEqualTo("ConvolutionLayer");
            assertThat(conv.convolution().geometry().inputShape()).containsExactly(1, 6, 6);
            assertThat(conv.convolution().geometry().outputShape()).containsExactly(4, 4, 4);
            assertThat(conv2.convolution().geometry().inputShape()).containsExactly(4, 2, 2);
            assertThat(conv2.convolution().geometry().outputShape()).containsExactly(3, 2, 2);
            assertThat(conv.nIn()).isEqualTo(36);
            assertThat(conv.nOut()).isEqualTo(64);
            assertThat(read.skipped()).singleElement().satisfies(s -> {
                assertThat(s.name()).isEqualTo("pool");
                assertThat(s.reason()).contains("no parameters");
            });
        }
    }

    /** ReLU(A h + b) on the inputs the reader hands out is the network's own activation of each convolution. */
    @Test
    void layerInputsFlattenedAsTheOperatorReadsThem() {
        INDArray features = TinyNetworks.images(3, 7).getFeatures();
        for (Model model : networks()) {
            List<LayerOperator> layers = Networks.layers(model, DataType.DOUBLE);
            Map<String, INDArray> inputs = Networks.layerInputs(model, layers, features);
            Map<String, INDArray> outputs = activations(model, features);
            for (LayerOperator layer : layers.subList(0, 2)) {
                INDArray h = inputs.get(layer.name()).castTo(DataType.DOUBLE);
                assertThat(h.shape()).containsExactly(7, layer.nIn());
                INDArray expected = outputs.get(layer.name())
                        .castTo(DataType.DOUBLE)
                        .dup('c')
                        .reshape(7, layer.nOut());
                INDArray actual = Transforms.relu(
                        layer.convolution()
                                .apply(h.transpose().dup('f'))
                                .transpose()
                                .addRowVector(layer.bias().reshape(1, layer.nOut())),
                        false);
                assertThat(actual.sub(expected).amaxNumber().doubleValue())
                        .as(layer.name())
                        .isLessThan(1e-5);
            }
        }
    }

    private static Map<String, INDArray> activations(Model model, INDArray features) {
        if (model instanceof ComputationGraph graph) {
            return graph.feedForward(features, false);
        }
        List<INDArray> list = ((MultiLayerNetwork) model).feedForward(features, false);
        return Map.of("conv", list.get(1), "conv2", list.get(3));
    }

    /** Top classical values against LAPACK on the operator's explicit matrix; F2 and F3 for the ReLU values. */
    @Test
    void analysisOfConvolutionsMeetsTheDenseOraclesAndF2F3() {
        NetworkAnalyzer analyzer = new NetworkAnalyzer(AnalysisOptions.builder()
                .sequential(io.github.reluspectra.spectra.SequentialReluOptions.builder()
                        .topK(6)
                        .build())
                .build());
        for (Model model : networks()) {
            List<LayerOperator> layers = Networks.layers(model, DataType.DOUBLE);
            List<LayerAnalysis> analyses =
                    analyzer.analyze(model, TinyNetworks.images(4, 50).getFeatures());
            for (int i = 0; i < 2; i++) {
                LayerOperator layer = layers.get(i);
                LayerAnalysis a = analyses.get(i);
                assertThat(a.isConvolution()).isTrue();
                assertThat(a.overData())
                        .as("values over data are for dense layers")
                        .isNull();
                assertThat(a.convolution().classical().converged()).isTrue();
                INDArray matrix = layer.convolution()
                        .apply(Nd4j.eye(layer.nIn()).castTo(DataType.DOUBLE).dup('f'));
                double[] exact = SingularValues.of(matrix);
                int count = Math.min(8, exact.length);
                assertThat(a.singularValues()).hasSize(count);
                for (int k = 0; k < count; k++) {
                    assertThat(a.singularValues()[k]).isCloseTo(exact[k], within(1e-6 * exact[0]));
                }
                double[] s = a.sequential().values();
                for (int k = 0; k < s.length; k++) {
                    assertThat(s[k]).as("F2, k=%d", k + 1).isGreaterThanOrEqualTo(exact[k] / Math.sqrt(2) * (1 - 1e-6));
                    assertThat(s[k]).as("F3, k=%d", k + 1).isLessThanOrEqualTo(s[0] * (1 + 1e-9));
                    if (k > 0) {
                        assertThat(s[k]).isLessThanOrEqualTo(s[k - 1] * (1 + 1e-9));
                    }
                }
                assertThat(s[0]).isLessThanOrEqualTo(exact[0] * (1 + 1e-9));
                assertThat(a.convolution().pooledKernelSliceValues())
                        .hasSize((int) (layer.convolution().kernel().size(2)
                                * layer.convolution().kernel().size(3)
                                * Math.min(
                                        layer.convolution().kernel().size(0),
                                        layer.convolution().kernel().size(1))));
                assertThat(a.width().relu())
                        .isPositive()
                        .isLessThanOrEqualTo(a.width().linear() * (1 + 1e-9));
            }
            assertThat(analyses.get(2).overData())
                    .as("the dense ReLU layer has values over data")
                    .isNotNull();
        }
    }

    /** In single precision the convolutions' values agree with double precision's to float accuracy. */
    @Test
    void singlePrecisionAnalysis() {
        MultiLayerNetwork net = TinyNetworks.cnn();
        var single = new NetworkAnalyzer(
                        AnalysisOptions.builder().dataType(DataType.FLOAT).build())
                .analyze(net);
        var dual = new NetworkAnalyzer(AnalysisOptions.builder().build()).analyze(net);
        for (int i = 0; i < 2; i++) {
            assertThat(single.get(i).convolution().classical().converged()).isTrue();
            assertThat(single.get(i).convolution().classical().iterations()).isLessThan(200);
            for (int k = 0; k < 8; k++) {
                assertThat(single.get(i).singularValues()[k])
                        .isCloseTo(
                                dual.get(i).singularValues()[k],
                                within(1e-4 * dual.get(i).singularValues()[0]));
            }
        }
    }

    /** A flat input's size: the image's pixels for a convolutionalFlat network, the first layer's width else. */
    @Test
    void inputSizeOfFlatInputs() {
        assertThat(Networks.inputSize(TinyNetworks.cnn())).isEqualTo(36);
        assertThat(Networks.inputSize(TinyNetworks.multiLayer())).isEqualTo(6);
    }

    /** A network on 4D input records no image shape: its first convolution waits for the input type. */
    @Test
    void aFirstConvolutionOn4dInputNeedsTheInputType() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(1)
                .list()
                .layer(new ConvolutionLayer.Builder(2, 2)
                        .name("conv")
                        .nIn(2)
                        .nOut(3)
                        .activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .name("out")
                        .nOut(2)
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutional(4, 5, 2))
                .build());
        net.init();
        NetworkLayers unknown = LayerOperators.read(net, DataType.DOUBLE);
        assertThat(unknown.skipped()).extracting(SkippedLayer::name).containsExactly("conv");
        assertThat(unknown.layers()).extracting(LayerOperator::name).containsExactly("out");
        assertThat(unknown.skipped().get(0).reason())
                .contains("input shape is unknown")
                .contains("input type");
        NetworkLayers known = LayerOperators.read(net, DataType.DOUBLE, InputType.convolutional(4, 5, 2));
        assertThat(known.layers()).extracting(LayerOperator::name).containsExactly("conv", "out");
        assertThat(known.layers().get(0).convolution().geometry().outputShape()).containsExactly(3, 3, 4);
        assertThatThrownBy(() -> LayerOperators.read(net, DataType.DOUBLE, InputType.convolutional(4, 5, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("layer 0 'conv' (ConvolutionLayer) takes 2 channels, but its input has 3");
        assertThatThrownBy(() -> LayerOperators.read(net, DataType.DOUBLE, InputType.convolutional(1, 5, 2)))
                .hasMessage("layer 0 'conv' (ConvolutionLayer): its 2x2 kernel does not fit an input of 1x5 "
                        + "(padding 0x0)");
        assertThatThrownBy(() -> LayerOperators.read(net, DataType.DOUBLE, InputType.convolutional(5, 5, 2)))
                .hasMessageStartingWith("layer 1 'out' (OutputLayer) takes 36 inputs, but gets 48");
    }

    /** The inputs reaching a layer are squared by the fits over data: beyond doubles, the data are at fault. */
    @Test
    void dataTooLargeToSquareAreTheDataFault() {
        MultiLayerNetwork net = TinyNetworks.multiLayer();
        INDArray x = Nd4j.ones(DataType.DOUBLE, 3, 6).muli(1e160);
        assertThatThrownBy(() ->
                        new NetworkAnalyzer(AnalysisOptions.builder().noWidths().build()).analyze(net, x))
                .isInstanceOf(UnfitDataException.class)
                .hasMessageStartingWith("the data are too large for layer 'hidden' (index 0, DenseLayer)");
        assertThatThrownBy(() -> new NetworkAnalyzer(AnalysisOptions.builder().build())
                        .analyze(net, Nd4j.ones(DataType.DOUBLE, 3, 4)))
                .isInstanceOf(UnfitDataException.class)
                .hasMessageStartingWith("the data do not fit the network");
    }
}
