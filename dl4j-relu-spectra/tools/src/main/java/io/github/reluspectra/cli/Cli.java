package io.github.reluspectra.cli;

import java.io.PrintWriter;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;

/**
 * The error policy of the project's tools: one line on stderr and an exit code, stack traces on --verbose; a
 * usage error adds a second line, the command that shows the help.
 */
public final class Cli {

    private Cli() {}

    public static int execute(
            CommandLine cli, String[] args, PrintWriter out, PrintWriter err, BooleanSupplier verbose) {
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, arguments) -> usage(cli, e, err));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof CommandLine.ParameterException pe) {
                return usage(cli, pe, err);
            }
            if (e instanceof InputException) {
                err.println(cli.getCommandName() + ": " + e.getMessage());
                if (verbose.getAsBoolean()) {
                    e.printStackTrace(err);
                }
                err.flush();
                return ExitCodes.INPUT;
            }
            err.println(cli.getCommandName() + ": unexpected error: " + e);
            if (verbose.getAsBoolean()) {
                e.printStackTrace(err);
            }
            err.flush();
            return ExitCodes.SOFTWARE;
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            // The inputs are bounded before they are read; what remains is a model or data too large for -Xmx.
            err.println(cli.getCommandName() + ": out of memory (" + e.getMessage() + "); give the JVM more with "
                    + "-Xmx, or read fewer samples");
            err.flush();
            return ExitCodes.SOFTWARE;
        }
    }

    /** The error, then {@code Try 'java -jar TOOL.jar COMMAND --help'.} for the command it concerns. */
    private static int usage(CommandLine root, CommandLine.ParameterException e, PrintWriter err) {
        CommandLine where = e.getCommandLine() == null ? root : e.getCommandLine();
        String command = where == root ? "" : " " + where.getCommandName();
        err.println(root.getCommandName() + ": " + e.getMessage());
        err.println("Try 'java -jar " + root.getCommandName() + ".jar" + command + " --help'.");
        err.flush();
        return ExitCodes.USAGE;
    }
}
