package io.github.reluspectra.cli;

/** Exit codes shared by the project's command-line tools. */
public final class ExitCodes {

    public static final int OK = 0;
    /** Wrong options or arguments (picocli's own code for them). */
    public static final int USAGE = 2;
    /** Unreadable or invalid input files. */
    public static final int INPUT = 3;
    /** An unexpected failure. */
    public static final int SOFTWARE = 1;

    private ExitCodes() {}
}
