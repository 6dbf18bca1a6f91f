package io.github.reluspectra.cli;

/** Bad input to a command-line tool: reported in one line, exit code {@link ExitCodes#INPUT}. */
public final class InputException extends RuntimeException {

    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
