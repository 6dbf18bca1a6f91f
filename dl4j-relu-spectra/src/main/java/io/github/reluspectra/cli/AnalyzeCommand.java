package io.github.reluspectra.cli;

import io.github.reluspectra.network.AnalysisOptions;
import io.github.reluspectra.network.LayerAnalysis;
import io.github.reluspectra.network.LayerOperator;
import io.github.reluspectra.network.NetworkAnalyzer;
import io.github.reluspectra.report.AnalysisJson;
import io.github.reluspectra.report.AnalysisTable;
import io.github.reluspectra.spectra.BiasMode;
import io.github.reluspectra.spectra.MeanWidthOptions;
import io.github.reluspectra.spectra.SequentialReluOptions;
import io.github.reluspectra.io.AtomicFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code analyze}: classical and ReLU singular values and mean widths of a model's or a matrix's layers. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Classical and ReLU singular values and Gaussian mean widths of every dense layer.")
public final class AnalyzeCommand implements Callable<Integer> {

    /** Each sample takes two columns of m numbers in the width search: 100,000 is 1.6 GB at m = 1,000. */
    static final int MAX_WIDTH_SAMPLES = 100_000;

    static final class Source {
        @Option(names = "--model", paramLabel = "FILE.zip", description = "a DL4J model saved by ModelSerializer")
        Path model;

        @Option(names = "--matrix", paramLabel = "FILE.csv",
                description = "an operator A as CSV: one row of A per line, no header")
        Path matrix;
    }

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--top-k", paramLabel = "K|all", defaultValue = "16",
            description = "how many ReLU singular values (default: ${DEFAULT-VALUE})")
    String topK;

    @Option(names = "--width-samples", paramLabel = "N", defaultValue = "64",
            description = "Gaussian samples for the mean widths; 0 skips them (default: ${DEFAULT-VALUE})")
    int widthSamples;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--bias-mode", paramLabel = "ignore|augment", defaultValue = "ignore",
            description = "analyse A alone or [A | b] (default: ${DEFAULT-VALUE})")
    String biasMode;

    @Option(names = "--json", paramLabel = "OUT|-", description = "write JSON to OUT, or to standard output with -")
    String json;

    @Override
    public Integer call() {
        AnalysisOptions options = options();
        Path jsonFile = json == null || json.equals("-") ? null : Path.of(json);
        RunFiles.of(spec).input("--model", source.model).input("--matrix", source.matrix)
                .output("--json", jsonFile).check();
        List<LayerAnalysis> result = analyze(options);
        PrintWriter out = spec.commandLine().getOut();
        if (json == null) {
            out.print(AnalysisTable.format(result));
        } else if (jsonFile == null) {
            out.println(AnalysisJson.toJson(result));
        } else {
            try {
                AtomicFiles.writeString(jsonFile, AnalysisJson.toJson(result));
            } catch (IOException e) {
                throw new InputException(e.getMessage(), e);
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    private AnalysisOptions options() {
        int k;
        if (topK.equalsIgnoreCase("all")) {
            k = SequentialReluOptions.ALL;
        } else {
            try {
                k = Integer.parseInt(topK);
            } catch (NumberFormatException e) {
                throw usage("--top-k must be a positive whole number or 'all', got '" + topK + "'");
            }
            if (k < 1) {
                throw usage("--top-k must be at least 1, got " + k);
            }
        }
        if (widthSamples == 1 || widthSamples < 0 || widthSamples > MAX_WIDTH_SAMPLES) {
            throw usage("--width-samples must be 0 (skip) or from 2 to " + MAX_WIDTH_SAMPLES + ", got "
                    + widthSamples);
        }
        BiasMode mode = switch (biasMode.toLowerCase(java.util.Locale.ROOT)) {
            case "ignore" -> BiasMode.IGNORE;
            case "augment" -> BiasMode.AUGMENT;
            default -> throw usage("--bias-mode must be ignore or augment, got '" + biasMode + "'");
        };
        AnalysisOptions.Builder builder = AnalysisOptions.builder()
                .sequential(SequentialReluOptions.builder().topK(k).seed(seed).build())
                .biasMode(mode)
                .dataType(DataType.DOUBLE);
        if (widthSamples == 0) {
            builder.noWidths();
        } else {
            builder.width(MeanWidthOptions.builder().samples(widthSamples).seed(seed).build());
        }
        return builder.build();
    }

    private List<LayerAnalysis> analyze(AnalysisOptions options) {
        NetworkAnalyzer analyzer = new NetworkAnalyzer(options);
        try {
            if (source.matrix != null) {
                var a = MatrixCsv.read(source.matrix);
                String name = source.matrix.getFileName().toString();
                return List.of(analyzer.analyze(new LayerOperator(0, name, "Matrix", "relu", a, null), null));
            }
            ModelFiles.Model model = ModelFiles.read(source.model);
            List<LayerAnalysis> layers = model.multiLayer() != null ? analyzer.analyze(model.multiLayer())
                    : analyzer.analyze(model.graph());
            if (layers.isEmpty()) {
                throw new InputException(source.model + " has no DenseLayer or OutputLayer to analyse");
            }
            return layers;
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage(), e);
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
