package io.github.reluspectra.demo;

import io.github.reluspectra.layers.DoubleLayers;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The demo's networks: a ReLU MLP and the double-layer graph with (nearly) the same parameter count, and for
 * {@code --model lenet} a LeNet.
 */
public final class DemoNetworks {

    static final int PIXELS = 784;
    static final int CLASSES = 10;
    private static final double LEARNING_RATE = 1e-3;

    private DemoNetworks() {}

    /** {@code 784 -> hidden... (ReLU) -> 10 (softmax)}, layers named {@code hidden1..}, {@code output}. */
    public static MultiLayerNetwork mlp(List<Integer> hidden, long seed) {
        var list = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(LEARNING_RATE))
                .weightInit(WeightInit.RELU)
                .list();
        int nIn = PIXELS;
        for (int i = 0; i < hidden.size(); i++) {
            list.layer(new DenseLayer.Builder()
                    .name("hidden" + (i + 1))
                    .nIn(nIn)
                    .nOut(hidden.get(i))
                    .activation(Activation.RELU)
                    .build());
            nIn = hidden.get(i);
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .name("output")
                .nIn(nIn)
                .nOut(CLASSES)
                .activation(Activation.SOFTMAX)
                .build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    /**
     * {@code 784 -> [Dense(d_i, identity) -> DoubleLayerVertex]... -> 10}: vertices {@code double1..} emit
     * {@code 2 d_i} values, so the next layer has twice the inputs.
     */
    public static ComputationGraph doubleMlp(List<Integer> widths, long seed) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(LEARNING_RATE))
                .weightInit(WeightInit.RELU)
                .graphBuilder()
                .addInputs("in");
        String previous = "in";
        for (int i = 0; i < widths.size(); i++) {
            String name = "double" + (i + 1);
            DoubleLayers.addDoubleDense(g, name, widths.get(i), previous);
            previous = name;
        }
        g.addLayer(
                        "output",
                        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                .nOut(CLASSES)
                                .activation(Activation.SOFTMAX)
                                .build(),
                        previous)
                .setOutputs("output")
                .setInputTypes(InputType.feedForward(PIXELS));
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        return graph;
    }

    /**
     * LeNet as in DL4J's MNIST example, with ReLU convolutions: {@code conv1} 5x5x20, {@code pool1} max 2x2,
     * {@code conv2} 5x5x50, {@code pool2} max 2x2, {@code dense} 500 (ReLU), {@code output} 10 (softmax), on
     * flat 784-pixel inputs ({@code InputType.convolutionalFlat(28, 28, 1)}).
     */
    public static MultiLayerNetwork lenet(long seed) {
        var conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(LEARNING_RATE))
                .weightInit(WeightInit.RELU)
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5)
                        .name("conv1")
                        .nOut(20)
                        .activation(Activation.RELU)
                        .build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .name("pool1")
                        .kernelSize(2, 2)
                        .stride(2, 2)
                        .build())
                .layer(new ConvolutionLayer.Builder(5, 5)
                        .name("conv2")
                        .nOut(50)
                        .activation(Activation.RELU)
                        .build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .name("pool2")
                        .kernelSize(2, 2)
                        .stride(2, 2)
                        .build())
                .layer(new DenseLayer.Builder()
                        .name("dense")
                        .nOut(500)
                        .activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .name("output")
                        .nOut(CLASSES)
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Parameters of {@link #mlp}: {@code sum (n_in + 1) n_out}. */
    static long mlpParams(List<Integer> hidden) {
        long params = 0;
        long nIn = PIXELS;
        for (int h : hidden) {
            params += (nIn + 1) * h;
            nIn = h;
        }
        return params + (nIn + 1) * CLASSES;
    }

    /** Parameters of {@link #doubleMlp}: as the MLP, but each layer after a double layer sees {@code 2 d}. */
    static long doubleParams(List<Integer> widths) {
        long params = 0;
        long nIn = PIXELS;
        for (int d : widths) {
            params += (nIn + 1) * d;
            nIn = 2L * d;
        }
        return params + (nIn + 1) * CLASSES;
    }

    /**
     * Double-layer widths {@code d_i = round(c h_i)} with the scale c chosen (by bisection) so that the graph has
     * as many parameters as the MLP; for 256,256 that is 217,217.
     */
    public static List<Integer> matchingDoubleWidths(List<Integer> hidden) {
        long target = mlpParams(hidden);
        double lo = 0;
        double hi = 1;
        for (int i = 0; i < 60; i++) {
            double c = (lo + hi) / 2;
            if (doubleParams(scaled(hidden, c)) < target) {
                lo = c;
            } else {
                hi = c;
            }
        }
        List<Integer> below = scaled(hidden, lo);
        List<Integer> above = scaled(hidden, hi);
        return Math.abs(doubleParams(below) - target) <= Math.abs(doubleParams(above) - target) ? below : above;
    }

    private static List<Integer> scaled(List<Integer> hidden, double c) {
        List<Integer> out = new ArrayList<>();
        for (int h : hidden) {
            out.add(Math.max(1, (int) Math.round(c * h)));
        }
        return out;
    }
}
