package io.github.reluspectra.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar relu-spectra.jar analyze ...}: the spectral analysis of saved models and matrices. */
@Command(
        name = "relu-spectra",
        mixinStandardHelpOptions = true,
        versionProvider = ToolVersion.class,
        description = "ReLU singular values and Gaussian mean widths of DL4J dense layers.",
        subcommands = AnalyzeCommand.class)
public final class ReluSpectraCli {

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT, description = "print stack traces of errors")
    boolean verbose;

    public static void main(String[] args) {
        int relaunched = ThreadPolicy.relaunchIfNeeded(ReluSpectraCli.class, args);
        System.exit(
                relaunched >= 0
                        ? relaunched
                        : run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the tool; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        ReluSpectraCli root = new ReluSpectraCli();
        CommandLine cli = new CommandLine(root);
        return Cli.execute(cli, args, out, err, () -> root.verbose);
    }
}
