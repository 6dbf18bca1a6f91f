package io.github.reluspectra.demo.results;

import io.github.reluspectra.results.EpochSeparation;
import io.github.reluspectra.results.EpochSpectra;
import io.github.reluspectra.results.SkippedLayer;
import java.util.List;

/**
 * Everything the LeNet run ({@code --model lenet}) measured.
 *
 * @param config      the run's settings ({@code hidden}, energies and budgets are not used)
 * @param source      where the digits came from
 * @param trainSize   training digits used
 * @param testSize    test digits used
 * @param params      parameters of the network
 * @param epochs      per epoch, accuracy and the time of training and of each listener
 * @param spectra     the spectra per epoch (ReluSpectraListener): convolutions and dense layers
 * @param separation  per epoch, AUROC per ReLU layer and measure beside MSP (SeparationListener)
 * @param skipped     the layers not analysed, with the reason (the pooling layers)
 * @param pruning     the trained network pruned (convolutions included) and fine-tuned, per method
 * @param seconds     wall time of the run up to the report
 * @param environment cores, memory and JVM of the machine
 */
public record LenetResult(
        DemoConfig config,
        String source,
        int trainSize,
        int testSize,
        long params,
        List<LenetEpoch> epochs,
        List<EpochSpectra> spectra,
        List<EpochSeparation> separation,
        List<SkippedLayer> skipped,
        List<PruningRow> pruning,
        double seconds,
        String environment) {

    public LenetEpoch lastEpoch() {
        return epochs.get(epochs.size() - 1);
    }
}
