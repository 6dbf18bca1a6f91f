package io.github.reluspectra.pruning;

import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A pruned network and what was done to it.
 *
 * @param network the new network
 * @param report  per layer what changed
 * @param masks   for magnitude pruning, per layer index of the new network the 0/1 mask of kept weights
 *                (fine-tuning keeps pruned weights at zero); null for structural pruning
 */
public record PruningResult(MultiLayerNetwork network, PruningReport report, Map<Integer, INDArray> masks) {}
