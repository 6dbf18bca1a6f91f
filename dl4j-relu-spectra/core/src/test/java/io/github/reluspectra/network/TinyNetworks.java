package io.github.reluspectra.network;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Small seeded networks for tests: 6 -> 5 (ReLU) -> 4 (tanh) -> 3 (softmax), and a small CNN. */
public final class TinyNetworks {

    private TinyNetworks() {}

    public static MultiLayerNetwork multiLayer() {
        return multiLayer(WorkspaceMode.ENABLED);
    }

    public static MultiLayerNetwork multiLayer(WorkspaceMode workspaces) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(12)
                .updater(new Adam(1e-2))
                .trainingWorkspaceMode(workspaces)
                .inferenceWorkspaceMode(workspaces)
                .list()
                .layer(new DenseLayer.Builder()
                        .name("hidden")
                        .nIn(6)
                        .nOut(5)
                        .activation(Activation.RELU)
                        .build())
                .layer(new DenseLayer.Builder()
                        .nIn(5)
                        .nOut(4)
                        .activation(Activation.TANH)
                        .hasBias(false)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .name("out")
                        .nIn(4)
                        .nOut(3)
                        .activation(Activation.SOFTMAX)
                        .build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** A seeded 3-class problem on 6 features that the tiny networks learn partly: some samples stay wrong. */
    public static DataSet data(long seed, int samples) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.randn(DataType.FLOAT, samples, 6);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, samples, 3);
        INDArray noise = Nd4j.randn(DataType.FLOAT, samples, 1);
        for (int i = 0; i < samples; i++) {
            double score = x.getDouble(i, 0) + x.getDouble(i, 1) - x.getDouble(i, 2) + noise.getDouble(i, 0);
            labels.putScalar(i, score < -0.5 ? 0 : score < 0.5 ? 1 : 2, 1);
        }
        return new DataSet(x, labels);
    }

    /** The training data: 96 samples of {@link #data} seed 1, in minibatches of 16. */
    public static DataSetIterator train() {
        return new ListDataSetIterator<>(data(1, 96).asList(), 16);
    }

    /** Held-out data: 120 samples of {@link #data} seed 2, in batches of 40. */
    public static DataSetIterator heldOut() {
        return new ListDataSetIterator<>(data(2, 120).asList(), 40);
    }

    /** The multi-layer network's layer names with another hidden width: what a sweep over widths trains. */
    public static MultiLayerNetwork wider() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(12)
                .updater(new Adam(1e-2))
                .list()
                .layer(new DenseLayer.Builder()
                        .name("hidden")
                        .nIn(6)
                        .nOut(9)
                        .activation(Activation.RELU)
                        .build())
                .layer(new DenseLayer.Builder()
                        .nIn(9)
                        .nOut(4)
                        .activation(Activation.TANH)
                        .hasBias(false)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .name("out")
                        .nIn(4)
                        .nOut(3)
                        .activation(Activation.SOFTMAX)
                        .build())
                .build());
        net.init();
        return net;
    }

    public static ComputationGraph graph() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(12)
                .updater(new Adam(1e-2))
                .graphBuilder()
                .addInputs("in")
                .addLayer(
                        "hidden",
                        new DenseLayer.Builder()
                                .nIn(6)
                                .nOut(5)
                                .activation(Activation.RELU)
                                .build(),
                        "in")
                .addLayer(
                        "out",
                        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                .nIn(5)
                                .nOut(3)
                                .activation(Activation.SOFTMAX)
                                .build(),
                        "hidden")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /** 6x6 images (36 values per row) in 3 classes by which of three bands of rows is brightest. */
    public static DataSet images(long seed, int samples) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(DataType.FLOAT, samples, 36);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, samples, 3);
        for (int i = 0; i < samples; i++) {
            double[] band = new double[3];
            for (int p = 0; p < 36; p++) {
                band[p / 12] += x.getDouble(i, p);
            }
            int best = band[0] >= band[1] && band[0] >= band[2] ? 0 : band[1] >= band[2] ? 1 : 2;
            labels.putScalar(i, best, 1);
        }
        return new DataSet(x, labels);
    }

    public static DataSetIterator imageTrain() {
        return new ListDataSetIterator<>(images(1, 96).asList(), 16);
    }

    public static DataSetIterator imageHeldOut() {
        return new ListDataSetIterator<>(images(2, 120).asList(), 40);
    }

    /**
     * A small CNN on flat 6x6 images ({@code InputType.convolutionalFlat}): {@code conv} 3x3x4 (ReLU, 6x6 -> 4x4),
     * {@code pool} max 2x2, {@code conv2} 2x2x3 (ReLU, same mode, stride 1), {@code dense} 5 (ReLU), {@code out} 3.
     */
    public static MultiLayerNetwork cnn() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(12)
                .updater(new Adam(1e-2))
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3)
                        .name("conv")
                        .nOut(4)
                        .activation(Activation.RELU)
                        .build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .name("pool")
                        .kernelSize(2, 2)
                        .stride(2, 2)
                        .build())
                .layer(new ConvolutionLayer.Builder(2, 2)
                        .name("conv2")
                        .nOut(3)
                        .convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.RELU)
                        .build())
                .layer(new DenseLayer.Builder()
                        .name("dense")
                        .nOut(5)
                        .activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .name("out")
                        .nOut(3)
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutionalFlat(6, 6, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** {@link #cnn()} as a ComputationGraph, vertices named like its layers. */
    public static ComputationGraph cnnGraph() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(12)
                .updater(new Adam(1e-2))
                .graphBuilder()
                .addInputs("in")
                .addLayer(
                        "conv",
                        new ConvolutionLayer.Builder(3, 3)
                                .nOut(4)
                                .activation(Activation.RELU)
                                .build(),
                        "in")
                .addLayer(
                        "pool",
                        new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                                .kernelSize(2, 2)
                                .stride(2, 2)
                                .build(),
                        "conv")
                .addLayer(
                        "conv2",
                        new ConvolutionLayer.Builder(2, 2)
                                .nOut(3)
                                .convolutionMode(ConvolutionMode.Same)
                                .activation(Activation.RELU)
                                .build(),
                        "pool")
                .addLayer(
                        "dense",
                        new DenseLayer.Builder()
                                .nOut(5)
                                .activation(Activation.RELU)
                                .build(),
                        "conv2")
                .addLayer(
                        "out",
                        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                                .nOut(3)
                                .activation(Activation.SOFTMAX)
                                .build(),
                        "dense")
                .setOutputs("out")
                .setInputTypes(InputType.convolutionalFlat(6, 6, 1))
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }
}
