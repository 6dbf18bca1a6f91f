package io.github.reluspectra.cli;

import java.io.PrintWriter;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;

/** The error policy of the project's tools: one line on stderr and an exit code, stack traces on --verbose. */
public final class Cli {

    private Cli() {
    }

    public static int execute(CommandLine cli, String[] args, PrintWriter out, PrintWriter err,
                              BooleanSupplier verbose) {
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, arguments) -> {
            err.println(cli.getCommandName() + ": " + e.getMessage());
            err.println("Try '" + e.getCommandLine().getCommandName() + " --help'.");
            err.flush();
            return ExitCodes.USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof CommandLine.ParameterException pe) {
                err.println(cli.getCommandName() + ": " + pe.getMessage());
                err.flush();
                return ExitCodes.USAGE;
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
        return cli.execute(args);
    }
}
