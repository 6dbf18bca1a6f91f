package io.github.reluspectra.network;

/**
 * The data given for an analysis do not suit the network: they do not fit its input, or they drive a layer's
 * inputs beyond what doubles hold. The data are at fault, not the network, so a caller can say which file.
 */
public final class UnfitDataException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public UnfitDataException(String message, Throwable cause) {
        super(message, cause);
    }

    public UnfitDataException(String message) {
        super(message);
    }
}
