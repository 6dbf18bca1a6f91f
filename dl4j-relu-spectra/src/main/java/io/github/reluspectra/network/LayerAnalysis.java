package io.github.reluspectra.network;

import io.github.reluspectra.spectra.MeanWidth;
import io.github.reluspectra.spectra.ReluValuesOverData;
import io.github.reluspectra.spectra.SequentialReluSpectrum;

/**
 * The spectra of one layer.
 *
 * @param index          the layer's position
 * @param name           the layer's name
 * @param type           the layer's configuration type, for example {@code DenseLayer}
 * @param activation     the activation's name
 * @param nIn            inputs n (columns of the analysed operator, plus one in AUGMENT mode)
 * @param nOut           outputs m
 * @param singularValues all classical singular values of the analysed operator
 * @param sequential     the sequential ReLU singular values (SPEC §2), or null if the activation is not ReLU
 * @param overData       the ReLU singular values over data (SPEC §2b), or null without data or for non-ReLU layers
 * @param width          the mean widths (ReLU fields NaN for non-ReLU layers), or null if not asked for
 * @param seconds        wall time of this layer's analysis
 */
public record LayerAnalysis(int index, String name, String type, String activation, long nIn, long nOut,
                            double[] singularValues, SequentialReluSpectrum sequential,
                            ReluValuesOverData overData, MeanWidth width, double seconds) {
}
