package io.github.reluspectra.demo;

import io.github.reluspectra.listeners.ReluSpectraListener;
import io.github.reluspectra.listeners.SeparationListener;
import io.github.reluspectra.results.EpochSeparation;
import io.github.reluspectra.results.EpochSpectra;
import io.github.reluspectra.results.ResultSink;

/** Where the watched network's records go besides the report (DL4J's UI with {@code --ui}), or nowhere. */
record ExtraSinks(ResultSink<EpochSpectra> spectra, ResultSink<EpochSeparation> separation) {

    static ExtraSinks none() {
        return new ExtraSinks(null, null);
    }

    ReluSpectraListener.Builder addTo(ReluSpectraListener.Builder b) {
        return spectra == null ? b : b.sink(spectra);
    }

    SeparationListener.Builder addTo(SeparationListener.Builder b) {
        return separation == null ? b : b.sink(separation);
    }
}
