package io.github.reluspectra.network;

import io.github.reluspectra.spectra.ReluValuesOverData;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What {@link NetworkAnalyzer#analyze(LayerRequest)} is asked to do for one layer: the layer, and optionally the
 * layer's inputs for the values over data and the previous analysis's results to start from.
 *
 * @param layer         the layer
 * @param warmStart     starting vectors for the sequential ReLU search (for example the previous epoch's), or null
 * @param warmClassical starting vectors for a convolution's top classical singular values (the last analysis's
 *                      {@link io.github.reluspectra.results.ConvolutionAnalysis#classical()} vectors), or null
 * @param inputs        the layer's inputs, one per row, for the ReLU singular values over data; or null
 * @param warmOverData  the previous values over data of this layer to start their fits from, or null
 */
public record LayerRequest(
        LayerOperator layer,
        INDArray warmStart,
        INDArray warmClassical,
        INDArray inputs,
        ReluValuesOverData warmOverData) {

    public LayerRequest {
        if (layer == null) {
            throw new IllegalArgumentException("a layer request needs a layer");
        }
    }

    /** The layer alone: no data, cold starts. */
    public static LayerRequest of(LayerOperator layer) {
        return new LayerRequest(layer, null, null, null, null);
    }

    public LayerRequest withWarmStart(INDArray vectors) {
        return new LayerRequest(layer, vectors, warmClassical, inputs, warmOverData);
    }

    public LayerRequest withWarmClassical(INDArray vectors) {
        return new LayerRequest(layer, warmStart, vectors, inputs, warmOverData);
    }

    /** The layer's inputs for the values over data, warm-started from {@code previous} (or null). */
    public LayerRequest withInputs(INDArray layerInputs, ReluValuesOverData previous) {
        return new LayerRequest(layer, warmStart, warmClassical, layerInputs, previous);
    }
}
