package io.github.reluspectra.pruning.cli;

import io.github.reluspectra.cli.AnalyzeCommand;
import io.github.reluspectra.cli.Cli;
import io.github.reluspectra.cli.ThreadPolicy;
import io.github.reluspectra.cli.ToolVersion;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar harmonic-pruning.jar prune|analyze ...}: shrink and inspect saved DL4J models. */
@Command(
        name = "harmonic-pruning",
        mixinStandardHelpOptions = true,
        versionProvider = ToolVersion.class,
        description = "Harmonic pruning of saved DL4J MultiLayerNetwork models, and their spectral analysis.",
        subcommands = {PruneCommand.class, AnalyzeCommand.class})
public final class HarmonicPruningCli {

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT, description = "print stack traces of errors")
    boolean verbose;

    public static void main(String[] args) {
        int relaunched = ThreadPolicy.relaunchIfNeeded(HarmonicPruningCli.class, args);
        System.exit(
                relaunched >= 0
                        ? relaunched
                        : run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        HarmonicPruningCli root = new HarmonicPruningCli();
        return Cli.execute(new CommandLine(root), args, out, err, () -> root.verbose);
    }
}
