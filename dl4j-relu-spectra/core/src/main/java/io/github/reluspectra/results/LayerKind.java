package io.github.reluspectra.results;

/** What kind of layer an analysed operator comes from; {@link #displayName()} is how reports and JSON name it. */
public enum LayerKind {
    /** DL4J's {@code DenseLayer}. */
    DENSE("DenseLayer"),
    /** DL4J's {@code OutputLayer}: pruning leaves it alone unless asked. */
    OUTPUT("OutputLayer"),
    /** DL4J's 2D {@code ConvolutionLayer}, analysed as an operator on one sample's tensor. */
    CONVOLUTION("ConvolutionLayer"),
    /** A dense layer with identity activation read together with its {@code DoubleLayerVertex} (definitions §5). */
    DOUBLE_LAYER("DoubleLayer"),
    /** A matrix given by itself (the {@code analyze --matrix} tool), analysed as one ReLU layer. */
    MATRIX("Matrix");

    private final String displayName;

    LayerKind(String displayName) {
        this.displayName = displayName;
    }

    /** The name reports and JSON use: DL4J's configuration class for layers, {@code DoubleLayer}, {@code Matrix}. */
    public String displayName() {
        return displayName;
    }
}
