package io.github.reluspectra.pruning;

import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** Trains a pruned network for a few epochs; magnitude-pruned weights stay zero throughout. */
public final class FineTuning {

    private FineTuning() {
    }

    public static MultiLayerNetwork fineTune(PruningResult result, DataSetIterator data, int epochs) {
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be non-negative, got " + epochs);
        }
        MultiLayerNetwork net = result.network();
        if (epochs == 0) {
            return net;
        }
        var previous = new java.util.ArrayList<>(net.getListeners());
        if (result.masks() != null) {
            var withMasks = new java.util.ArrayList<TrainingListener>(previous);
            withMasks.add(new KeepMasks(result.masks()));
            net.setListeners(withMasks);
        }
        try {
            net.fit(data, epochs);
        } finally {
            net.setListeners(previous);
        }
        return net;
    }

    /** Re-applies the masks after every update. */
    private static final class KeepMasks extends BaseTrainingListener {
        private final Map<Integer, INDArray> masks;

        KeepMasks(Map<Integer, INDArray> masks) {
            this.masks = masks;
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            MultiLayerNetwork net = (MultiLayerNetwork) model;
            masks.forEach((layer, mask) -> net.getLayer(layer).getParam("W").muli(mask));
        }
    }
}
