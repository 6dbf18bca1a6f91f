package io.github.reluspectra.demo.results;

import io.github.reluspectra.results.EpochSeparation;
import io.github.reluspectra.results.EpochSpectra;
import java.util.List;

/**
 * Everything a demo run measured, with its provenance.
 *
 * @param config          the run's settings
 * @param source          where the digits came from
 * @param trainSize       training digits used
 * @param testSize        test digits used
 * @param plainParams     parameters of the MLP
 * @param doubleWidths    widths of the double layers
 * @param doubleParams    parameters of the double-layer graph
 * @param epochs          per epoch, accuracy and time of both networks
 * @param spectra         the MLP's spectra per epoch (ReluSpectraListener)
 * @param doubleSpectra   the double-layer graph's spectra after the last epoch
 * @param separation      per epoch, AUROC per ReLU layer and measure beside MSP (SeparationListener)
 * @param pruningBaseline test accuracy of the trained MLP that the sweep pruned
 * @param pruning         the sweep
 * @param seconds         wall time of the run up to the report
 * @param environment     cores, memory and JVM of the machine
 */
public record DemoResult(
        DemoConfig config,
        String source,
        int trainSize,
        int testSize,
        long plainParams,
        List<Integer> doubleWidths,
        long doubleParams,
        List<EpochRecord> epochs,
        List<EpochSpectra> spectra,
        List<EpochSpectra> doubleSpectra,
        List<EpochSeparation> separation,
        double pruningBaseline,
        List<PruningRow> pruning,
        double seconds,
        String environment) {

    public EpochRecord lastEpoch() {
        return epochs.get(epochs.size() - 1);
    }
}
