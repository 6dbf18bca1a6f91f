package io.github.reluspectra.pruning;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** A way to shrink a trained network; the input network is never modified. */
public interface PruningMethod {

    PruningResult transform(MultiLayerNetwork network);
}
