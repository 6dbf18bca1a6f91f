package io.github.reluspectra.pruning;

import io.github.reluspectra.spectra.ConvolutionGeometry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Builds the pruned network (definitions §6): every replaced layer {@code act(A x + b)} with {@code A ~ W M}
 * becomes, when splitting saves weights, its harmonics layer {@code x -> M x} (identity, no bias) followed by
 * {@code act(W h + b)}; otherwise one layer with weights {@code W M}. A dense layer's halves are dense layers; a
 * convolution's are a convolution to r channels with the original kernel, stride, padding and dilation, then a
 * 1x1 convolution to the original channels. Every other layer, preprocessor and setting is copied; a split
 * layer's dropout stays on its first half.
 */
final class NetworkRewrite {

    /** DL4J's weight key, the same for dense layers and convolutions ({@code "W"}). */
    private static final String WEIGHTS = DefaultParamInitializer.WEIGHT_KEY;

    private static final String BIAS = DefaultParamInitializer.BIAS_KEY;

    /**
     * One layer's replacement.
     *
     * @param pruning     what the report says of it (index, rank, split)
     * @param w           {@code m x r} ({@code c' x r} for a convolution)
     * @param m           {@code r x n} ({@code r x (c kh kw)} for a convolution)
     * @param bias        a new bias of m entries, or null to keep the layer's own
     * @param convolution the convolution's geometry, or null for a dense layer
     */
    record Replacement(LayerPruning pruning, INDArray w, INDArray m, INDArray bias, ConvolutionGeometry convolution) {}

    private NetworkRewrite() {}

    static MultiLayerNetwork rebuild(MultiLayerNetwork network, List<Replacement> replacements) {
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations().clone();
        Map<Integer, Replacement> byIndex = new HashMap<>();
        replacements.forEach(r -> byIndex.put(r.pruning().index(), r));
        List<NeuralNetConfiguration> confs = new ArrayList<>();
        Map<Integer, InputPreProcessor> preProcessors = new HashMap<>();
        List<INDArray[]> params = new ArrayList<>(); // per new layer: {W, b (null: none)} or null to copy
        List<Integer> source = new ArrayList<>();
        for (int i = 0; i < conf.getConfs().size(); i++) {
            NeuralNetConfiguration original = conf.getConf(i);
            if (conf.getInputPreProcess(i) != null) {
                preProcessors.put(confs.size(), conf.getInputPreProcess(i));
            }
            Replacement r = byIndex.get(i);
            if (r == null) {
                confs.add(original.clone());
                params.add(null);
                source.add(i);
                continue;
            }
            INDArray bias = r.bias() != null
                    ? r.bias()
                    : network.getLayer(i).paramTable().get(BIAS);
            if (r.pruning().split()) {
                NeuralNetConfiguration first = original.clone();
                first.setLayer(harmonicsLayer((FeedForwardLayer) original.getLayer(), r));
                NeuralNetConfiguration second = original.clone();
                second.setLayer(mixingLayer((FeedForwardLayer) second.getLayer(), r));
                confs.add(first);
                confs.add(second);
                params.add(new INDArray[] {firstWeights(r), null});
                params.add(new INDArray[] {secondWeights(r), bias});
                source.add(i);
                source.add(i);
            } else {
                confs.add(original.clone());
                params.add(new INDArray[] {wholeWeights(r), bias});
                source.add(i);
            }
        }
        conf.setConfs(confs);
        conf.setInputPreProcessors(preProcessors);
        conf.setIterationCount(0);
        conf.setEpochCount(0);
        MultiLayerNetwork pruned = new MultiLayerNetwork(conf);
        pruned.init();
        for (int j = 0; j < confs.size(); j++) {
            Layer target = pruned.getLayer(j);
            if (params.get(j) == null) {
                network.getLayer(source.get(j)).paramTable().forEach((key, value) -> target.setParam(key, value));
            } else {
                DataType type = target.getParam(WEIGHTS).dataType();
                target.setParam(WEIGHTS, params.get(j)[0].castTo(type));
                if (params.get(j)[1] != null) {
                    target.setParam(BIAS, params.get(j)[1].castTo(type));
                }
            }
        }
        return pruned;
    }

    /**
     * Sets layer {@code index} of {@code network} (same structure as the original) to the unsplit replacement
     * {@code act(W M x + bias)}, which computes what the split pair will: the network then gives the inputs that the
     * later layers of the pruned network see.
     */
    static void setUnsplit(MultiLayerNetwork network, Replacement r) {
        Layer layer = network.getLayer(r.pruning().index());
        DataType type = layer.getParam(WEIGHTS).dataType();
        layer.setParam(WEIGHTS, wholeWeights(r).castTo(type));
        if (r.bias() != null) {
            layer.setParam(BIAS, r.bias().reshape(layer.getParam(BIAS).shape()).castTo(type));
        }
    }

    /**
     * {@code x -> M x}: {@code Dense(n -> r, identity, no bias)}, or the original convolution to r channels
     * (identity, no bias), with the original layer's other settings.
     */
    private static FeedForwardLayer harmonicsLayer(FeedForwardLayer original, Replacement r) {
        LayerPruning p = r.pruning();
        FeedForwardLayer layer;
        if (r.convolution() != null) {
            ConvolutionLayer conv = (ConvolutionLayer) original.clone();
            conv.setNOut(p.rank());
            conv.setActivationFn(new ActivationIdentity());
            conv.setHasBias(false);
            layer = conv;
        } else {
            layer = new DenseLayer.Builder()
                    .nIn(p.nIn())
                    .nOut(p.rank())
                    .activation(new ActivationIdentity())
                    .hasBias(false)
                    .build();
            layer.setIDropout(original.getIDropout());
            layer.setIUpdater(original.getIUpdater());
            layer.setRegularization(original.getRegularization());
            layer.setWeightInitFn(original.getWeightInitFn());
        }
        String name = original.getLayerName() == null ? "layer" + p.index() : original.getLayerName();
        layer.setLayerName(name + "-harmonics");
        return layer;
    }

    /** {@code h -> act(W h + b)}: the original layer from r inputs, a convolution as a 1x1 one, without dropout. */
    private static FeedForwardLayer mixingLayer(FeedForwardLayer layer, Replacement r) {
        layer.setNIn(r.pruning().rank());
        layer.setIDropout(null);
        if (layer instanceof ConvolutionLayer conv) {
            conv.setKernelSize(new int[] {1, 1});
            conv.setStride(new int[] {1, 1});
            conv.setPadding(new int[] {0, 0});
            conv.setDilation(new int[] {1, 1});
            conv.setConvolutionMode(ConvolutionMode.Truncate);
        }
        return layer;
    }

    // DL4J holds a dense layer's weights as A^T (nIn x nOut) and a convolution's as [c', c, kh, kw].

    /** The harmonics layer's weights: {@code M^T}, or M as r kernels {@code [r, c, kh, kw]}. */
    private static INDArray firstWeights(Replacement r) {
        ConvolutionGeometry g = r.convolution();
        return g == null
                ? r.m().transpose()
                : r.m().dup('c').reshape('c', r.m().rows(), g.channels(), g.kernelHeight(), g.kernelWidth());
    }

    /** The second layer's weights: {@code W^T}, or W as 1x1 kernels {@code [c', r, 1, 1]}. */
    private static INDArray secondWeights(Replacement r) {
        return r.convolution() == null
                ? r.w().transpose()
                : r.w().dup('c').reshape('c', r.w().rows(), r.w().columns(), 1, 1);
    }

    /** An unsplit layer's weights: {@code (W M)^T}, or {@code W M} as kernels {@code [c', c, kh, kw]}. */
    private static INDArray wholeWeights(Replacement r) {
        INDArray product = r.w().mmul(r.m());
        ConvolutionGeometry g = r.convolution();
        return g == null
                ? product.transpose()
                : product.dup('c').reshape('c', g.outChannels(), g.channels(), g.kernelHeight(), g.kernelWidth());
    }
}
