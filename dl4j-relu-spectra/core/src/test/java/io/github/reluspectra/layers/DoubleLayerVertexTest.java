package io.github.reluspectra.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.reluspectra.network.LayerOperator;
import io.github.reluspectra.network.LayerOperators;
import io.github.reluspectra.spectra.SequentialReluOptions;
import io.github.reluspectra.spectra.SequentialReluValues;
import io.github.reluspectra.spectra.SingularValues;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The double layer vertex: forward, backward (gradient checks), shapes, serialization and spectra. */
class DoubleLayerVertexTest {

    private static GraphBuilder base(boolean gradientCheck) {
        NeuralNetConfiguration.Builder b =
                new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.DOUBLE);
        b.updater(gradientCheck ? new NoOp() : new Adam(1e-2));
        return b.graphBuilder().addInputs("in");
    }

    /** in(6) -> double(5) -> Dense(4, tanh) -> Output(3); optionally a second double layer. */
    private static ComputationGraph mlp(boolean gradientCheck, boolean twoDoubles) {
        GraphBuilder g = base(gradientCheck);
        DoubleLayers.addDoubleDense(g, "double1", 5, "in");
        String last = "double1";
        if (twoDoubles) {
            DoubleLayers.addDoubleDense(g, "double2", 4, "double1");
            last = "double2";
        }
        g.addLayer(
                        "dense",
                        new DenseLayer.Builder()
                                .nOut(4)
                                .activation(Activation.TANH)
                                .build(),
                        last)
                .addLayer(
                        "out",
                        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                .nOut(3)
                                .activation(Activation.SOFTMAX)
                                .build(),
                        "dense")
                .setOutputs("out")
                .setInputTypes(InputType.feedForward(6));
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        return graph;
    }

    private static INDArray gaussian(long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.DOUBLE, shape);
    }

    private static INDArray oneHot(int rows, int classes) {
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, rows, classes);
        for (int i = 0; i < rows; i++) {
            labels.putScalar(i, i % classes, 1);
        }
        return labels;
    }

    @Test
    void forwardKeepsBothSigns() {
        ComputationGraph graph = mlp(false, false);
        INDArray x = gaussian(1, 8, 6);
        INDArray z = graph.feedForward(x, false).get("double1-linear");
        INDArray out = graph.feedForward(x, false).get("double1");
        assertThat(out.shape()).containsExactly(8, 10);
        assertThat(out.get(
                        org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 5)))
                .isEqualTo(Transforms.relu(z, true));
        assertThat(out.get(
                        org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(5, 10)))
                .isEqualTo(Transforms.relu(z.neg(), true));
        assertThat(graph.getLayer("dense").getParam("W").rows())
                .as("nIn inferred as 2m")
                .isEqualTo(10);
    }

    @Test
    void outputTypesAlongTheChannelAxis() {
        DoubleLayerVertex v = new DoubleLayerVertex();
        assertThat(v.getOutputType(0, InputType.feedForward(7))).isEqualTo(InputType.feedForward(14));
        assertThat(v.getOutputType(0, InputType.recurrent(3, 11))).isEqualTo(InputType.recurrent(6, 11));
        assertThat(v.getOutputType(0, InputType.convolutional(5, 4, 3))).isEqualTo(InputType.convolutional(5, 4, 6));
        assertThatThrownBy(() -> v.getOutputType(0, InputType.convolutional(5, 4, 3, CNN2DFormat.NHWC)))
                .hasMessageContaining("NCHW");
    }

    @Test
    void recurrentAndConvolutionalInputsDoubleTheirChannels() {
        ComputationGraph graph = new ComputationGraph(base(false)
                .addVertex("double", new DoubleLayerVertex(), "in")
                .setOutputs("double")
                .build());
        graph.init();
        INDArray rnn = gaussian(2, 2, 3, 5);
        INDArray out = graph.outputSingle(rnn);
        assertThat(out.shape()).containsExactly(2, 6, 5);
        assertThat(out.get(
                        org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(3, 6),
                        org.nd4j.linalg.indexing.NDArrayIndex.all()))
                .isEqualTo(Transforms.relu(rnn.neg(), true));
        INDArray cnn = gaussian(3, 2, 3, 4, 4);
        assertThat(graph.outputSingle(cnn).shape()).containsExactly(2, 6, 4, 4);
        assertThatThrownBy(() -> graph.outputSingle(gaussian(4, 5))).hasMessageContaining("DoubleLayerVertex 'double'");
    }

    /** GradientCheckUtil insists on double as ND4J's default type, not only the network's. */
    private static void inDoublePrecision(Runnable check) {
        DataType floating = Nd4j.defaultFloatingPointType();
        DataType plain = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            check.run();
        } finally {
            Nd4j.setDefaultDataTypes(plain, floating);
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        inDoublePrecision(this::checkMlpGradients);
    }

    private void checkMlpGradients() {
        for (boolean twoDoubles : new boolean[] {false, true}) {
            ComputationGraph graph = mlp(true, twoDoubles);
            boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
                    .net(graph)
                    .inputs(new INDArray[] {gaussian(5, 10, 6)})
                    .labels(new INDArray[] {oneHot(10, 3)}));
            assertThat(ok)
                    .as("gradient check, two double layers: %s", twoDoubles)
                    .isTrue();
        }
    }

    @Test
    void gradientsMatchWithMasks() {
        inDoublePrecision(this::checkMaskedGradients);
    }

    private void checkMaskedGradients() {
        GraphBuilder g = base(true);
        DoubleLayers.addDoubleDense(g, "double1", 4, "in");
        g.addLayer(
                        "dense",
                        new DenseLayer.Builder()
                                .nOut(3)
                                .activation(Activation.TANH)
                                .build(),
                        "double1")
                .addLayer(
                        "out",
                        new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                .nOut(2)
                                .activation(Activation.SOFTMAX)
                                .build(),
                        "dense")
                .setOutputs("out")
                .setInputTypes(InputType.recurrent(3, 5));
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, 2, 2, 5);
        for (int t = 0; t < 5; t++) {
            labels.putScalar(new int[] {0, t % 2, t}, 1);
            labels.putScalar(new int[] {1, (t + 1) % 2, t}, 1);
        }
        INDArray mask = Nd4j.createFromArray(new double[][] {{1, 1, 1, 1, 1}, {1, 1, 1, 0, 0}});
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
                .net(graph)
                .inputs(new INDArray[] {gaussian(6, 2, 3, 5)})
                .labels(new INDArray[] {labels})
                .inputMask(new INDArray[] {mask})
                .labelMask(new INDArray[] {mask}));
        assertThat(ok).isTrue();
    }

    @Test
    void configurationAndTrainedModelRoundTrip(@TempDir Path dir) throws Exception {
        ComputationGraph graph = mlp(false, true);
        ComputationGraphConfiguration restoredConf =
                ComputationGraphConfiguration.fromJson(graph.getConfiguration().toJson());
        assertThat(restoredConf).isEqualTo(graph.getConfiguration());
        INDArray x = gaussian(8, 12, 6);
        for (int i = 0; i < 5; i++) {
            graph.fit(new DataSet(x, oneHot(12, 3)));
        }
        File file = dir.resolve("double.zip").toFile();
        ModelSerializer.writeModel(graph, file, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);
        assertThat(restored.outputSingle(x)).isEqualTo(graph.outputSingle(x));
    }

    /** F4 through the adapter: Dense(identity) -> DoubleLayerVertex is one layer with D = [A; -A]. */
    @Test
    void spectraSeeOneDoubleLayer() {
        ComputationGraph graph = mlp(false, false);
        List<LayerOperator> layers = LayerOperators.of(graph, DataType.DOUBLE);
        assertThat(layers).extracting(LayerOperator::name).containsExactly("double1", "dense", "out");
        LayerOperator d = layers.get(0);
        assertThat(d.type()).isEqualTo("DoubleLayer");
        assertThat(d.activation()).isEqualTo("relu");
        assertThat(d.nOut()).isEqualTo(10);
        INDArray a = graph.getLayer("double1-linear").getParam("W").transpose();
        double[] sigma = SingularValues.of(a);
        double[] s = SequentialReluValues.compute(
                        d.weights(),
                        SequentialReluOptions.builder()
                                .all()
                                .tolerance(1e-8)
                                .maxIterationsPerValue(5000)
                                .build())
                .values();
        for (int k = 0; k < sigma.length; k++) {
            assertThat(s[k]).isCloseTo(sigma[k], within(1e-6 * sigma[0]));
        }
    }
}
