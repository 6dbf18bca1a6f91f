package io.github.reluspectra.listeners;

import io.github.reluspectra.spectra.ReluValuesOverData;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a listener's last analysis of each layer leaves for the next one to start from: the sequential search's
 * vectors, a convolution's top classical vectors, the values over data's fits. They belong to one network: when
 * another one is seen its layers start cold, whatever their names. Not serialised: a listener read back starts
 * cold (the next network it sees counts as a new one).
 */
final class WarmStarts {

    private final Map<String, INDArray> sequential = new HashMap<>();
    private final Map<String, INDArray> classical = new HashMap<>();
    private final Map<String, ReluValuesOverData> fits = new HashMap<>();
    private int network;

    /** Forgets everything if {@code current} is not the network the starts belong to. */
    void forNetwork(int current) {
        if (current != network) {
            sequential.clear();
            classical.clear();
            fits.clear();
            network = current;
        }
    }

    INDArray sequential(String layer) {
        return sequential.get(layer);
    }

    void sequential(String layer, INDArray vectors) {
        sequential.put(layer, vectors);
    }

    INDArray classical(String layer) {
        return classical.get(layer);
    }

    void classical(String layer, INDArray vectors) {
        classical.put(layer, vectors);
    }

    ReluValuesOverData fits(String layer) {
        return fits.get(layer);
    }

    void fits(String layer, ReluValuesOverData values) {
        fits.put(layer, values);
    }
}
