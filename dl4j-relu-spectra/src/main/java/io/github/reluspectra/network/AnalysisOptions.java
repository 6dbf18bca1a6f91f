package io.github.reluspectra.network;

import io.github.reluspectra.spectra.BiasMode;
import io.github.reluspectra.spectra.MeanWidthOptions;
import io.github.reluspectra.spectra.ReluSvdOptions;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * What {@link NetworkAnalyzer} computes per layer: immutable, built with {@link #builder()}.
 *
 * @param relu     options of the ReLU singular values
 * @param width    options of the mean widths, or null to skip them
 * @param biasMode which operator of each layer is analysed
 * @param dataType precision of the analysis (the network's parameters are copied to it)
 */
public record AnalysisOptions(ReluSvdOptions relu, MeanWidthOptions width, BiasMode biasMode, DataType dataType) {

    public AnalysisOptions {
        if (relu == null || biasMode == null || dataType == null) {
            throw new IllegalArgumentException("relu options, bias mode and data type are required");
        }
        if (dataType != DataType.DOUBLE && dataType != DataType.FLOAT) {
            throw new IllegalArgumentException("analysis data type must be FLOAT or DOUBLE, not " + dataType);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: ReLU options' defaults (top 16), 64 width samples, bias ignored, double precision. */
    public static final class Builder {
        private ReluSvdOptions relu = ReluSvdOptions.builder().build();
        private MeanWidthOptions width = MeanWidthOptions.builder().build();
        private BiasMode biasMode = BiasMode.IGNORE;
        private DataType dataType = DataType.DOUBLE;

        public Builder relu(ReluSvdOptions relu) {
            this.relu = relu;
            return this;
        }

        public Builder width(MeanWidthOptions width) {
            this.width = width;
            return this;
        }

        public Builder noWidths() {
            this.width = null;
            return this;
        }

        public Builder biasMode(BiasMode biasMode) {
            this.biasMode = biasMode;
            return this;
        }

        public Builder dataType(DataType dataType) {
            this.dataType = dataType;
            return this;
        }

        public AnalysisOptions build() {
            return new AnalysisOptions(relu, width, biasMode, dataType);
        }
    }
}
