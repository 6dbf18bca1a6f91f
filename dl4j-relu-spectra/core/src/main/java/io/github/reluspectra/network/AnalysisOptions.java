package io.github.reluspectra.network;

import io.github.reluspectra.spectra.BiasMode;
import io.github.reluspectra.spectra.MeanWidthOptions;
import io.github.reluspectra.spectra.ReluFitOptions;
import io.github.reluspectra.spectra.SequentialReluOptions;
import java.io.Serializable;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * What {@link NetworkAnalyzer} computes per layer: immutable, built with {@link #builder()}.
 *
 * @param sequential options of the sequential ReLU singular values
 * @param overData options of the ReLU singular values over data, computed where inputs are given; null skips them
 * @param width    options of the mean widths, or null to skip them
 * @param biasMode which operator of each layer is analysed
 * @param dataType precision of the analysis (the network's parameters are copied to it), or null for the network's
 *                 own ({@link Networks#precision})
 */
public record AnalysisOptions(
        SequentialReluOptions sequential,
        ReluFitOptions overData,
        MeanWidthOptions width,
        BiasMode biasMode,
        DataType dataType)
        implements Serializable {

    public AnalysisOptions {
        if (sequential == null || biasMode == null) {
            throw new IllegalArgumentException("sequential options and bias mode are required");
        }
        if (dataType != null && dataType != DataType.DOUBLE && dataType != DataType.FLOAT) {
            throw new IllegalArgumentException("analysis data type must be FLOAT or DOUBLE, not " + dataType);
        }
    }

    /**
     * The precision {@code network} is analysed in: the one asked for, else the network's own
     * ({@link Networks#precision}).
     */
    public DataType dataType(Model network) {
        return dataType != null ? dataType : Networks.precision(network);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options, to change some of them. */
    public Builder toBuilder() {
        Builder b = new Builder()
                .sequential(sequential)
                .overData(overData)
                .biasMode(biasMode)
                .dataType(dataType);
        return width == null ? b.noWidths() : b.width(width);
    }

    /** Defaults: ReLU options' defaults (top 16), 64 width samples, bias ignored, the network's precision. */
    public static final class Builder {
        private SequentialReluOptions sequential =
                SequentialReluOptions.builder().build();
        private ReluFitOptions overData = ReluFitOptions.builder().build();
        private MeanWidthOptions width = MeanWidthOptions.builder().build();
        private BiasMode biasMode = BiasMode.IGNORE;
        private DataType dataType;

        public Builder sequential(SequentialReluOptions sequential) {
            this.sequential = sequential;
            return this;
        }

        public Builder overData(ReluFitOptions overData) {
            this.overData = overData;
            return this;
        }

        /** Never fit the values over data, even where inputs are given. */
        public Builder noValuesOverData() {
            this.overData = null;
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

        /** FLOAT or DOUBLE; null (the default) analyses each network in its own precision. */
        public Builder dataType(DataType dataType) {
            this.dataType = dataType;
            return this;
        }

        public AnalysisOptions build() {
            return new AnalysisOptions(sequential, overData, width, biasMode, dataType);
        }
    }
}
