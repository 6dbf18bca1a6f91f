package io.github.reluspectra.cli;

import io.github.reluspectra.io.AtomicFiles;
import io.github.reluspectra.network.AnalysisOptions;
import io.github.reluspectra.network.LayerOperator;
import io.github.reluspectra.network.LayerOperators;
import io.github.reluspectra.network.LayerRequest;
import io.github.reluspectra.network.NetworkAnalyzer;
import io.github.reluspectra.network.NetworkLayers;
import io.github.reluspectra.network.UnfitDataException;
import io.github.reluspectra.report.AnalysisTable;
import io.github.reluspectra.report.Documents;
import io.github.reluspectra.report.Json;
import io.github.reluspectra.results.LayerAnalysis;
import io.github.reluspectra.results.LayerKind;
import io.github.reluspectra.results.Provenance;
import io.github.reluspectra.results.SkippedLayer;
import io.github.reluspectra.spectra.BiasMode;
import io.github.reluspectra.spectra.MeanWidthOptions;
import io.github.reluspectra.spectra.ReluFitOptions;
import io.github.reluspectra.spectra.SequentialReluOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code analyze}: the spectra and mean widths of a model's or a matrix's layers. */
@Command(
        name = "analyze",
        mixinStandardHelpOptions = true,
        description = "Classical singular values, ReLU singular values over data (with --data; dense layers), "
                + "sequential ReLU singular values and Gaussian mean widths of every dense and 2D convolution layer "
                + "(a convolution's operator on its input tensor, matrix-free: its top singular values).")
public final class AnalyzeCommand implements Callable<Integer> {

    /** Each sample takes two columns of m numbers in the width search: 100,000 is 1.6 GB at m = 1,000. */
    static final int MAX_WIDTH_SAMPLES = 100_000;

    static final class Source {
        @Option(names = "--model", paramLabel = "FILE.zip", description = "a DL4J model saved by ModelSerializer")
        Path model;

        @Option(
                names = "--matrix",
                paramLabel = "FILE.csv",
                description = "an operator A as CSV: one row of A per line, no header")
        Path matrix;
    }

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(
            names = "--top-k",
            paramLabel = "K|all",
            defaultValue = "16",
            description = "how many sequential ReLU singular values (default: ${DEFAULT-VALUE})")
    String topK;

    @Option(
            names = "--width-samples",
            paramLabel = "N",
            defaultValue = "64",
            description = "Gaussian samples for the mean widths; 0 skips them (default: ${DEFAULT-VALUE})")
    int widthSamples;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(
            names = "--bias-mode",
            paramLabel = "ignore|augment",
            defaultValue = "ignore",
            description = "analyse A alone or [A | b] (default: ${DEFAULT-VALUE})")
    String biasMode;

    @Option(names = "--json", paramLabel = "OUT|-", description = "write JSON to OUT, or to standard output with -")
    String json;

    @Mixin
    DataFiles data;

    @Option(
            names = "--ranks",
            paramLabel = "LIST",
            split = ",",
            description = "ranks k of the values over data (default: 0,1,2,4,8,16,32,64, capped at min(m, n))")
    List<Integer> ranks;

    @Option(names = "--bias", paramLabel = "b.csv", description = "with --matrix: the bias, one line of m values")
    Path bias;

    @Option(
            names = "--input-shape",
            paramLabel = "C,H,W",
            split = ",",
            description = "with --model: the shape of "
                    + "one input image, for a network that starts with a convolution on 4D input (the model does not record "
                    + "it; one built with InputType.convolutionalFlat does)")
    List<Integer> inputShape;

    /**
     * The model's layers, read with {@code --input-shape} where given: refused (usage) where the model records
     * its input shape already, or where the shape does not fit the layers.
     */
    private NetworkLayers layers(Model network, DataType type) {
        NetworkLayers recorded = LayerOperators.read(network, type);
        if (inputShape == null) {
            return recorded;
        }
        if (recorded.skipped().stream().noneMatch(s -> s.reason().contains(LayerOperators.UNKNOWN_INPUT_SHAPE))) {
            throw usage("--input-shape is for a network that starts with a convolution on 4D input; " + source.model
                    + " records the shape of its inputs");
        }
        try {
            return LayerOperators.read(network, type, imageType());
        } catch (IllegalArgumentException e) {
            throw usage("--input-shape "
                    + inputShape.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","))
                    + " does not fit " + source.model + ": "
                    + e.getMessage());
        }
    }

    /** The network's input type from {@code --input-shape}. */
    private InputType imageType() {
        if (inputShape.size() != 3 || inputShape.stream().anyMatch(v -> v < 1)) {
            throw usage("--input-shape needs three positive numbers C,H,W, got " + inputShape);
        }
        return InputType.convolutional(inputShape.get(1), inputShape.get(2), inputShape.get(0));
    }

    @Override
    public Integer call() {
        AnalysisOptions options = options();
        Path jsonFile = json == null || json.equals("-") ? null : Path.of(json);
        RunFiles files = RunFiles.of(spec)
                .input("--model", source.model)
                .input("--matrix", source.matrix)
                .input("--bias", bias)
                .output("--json", jsonFile);
        data.files().forEach(file -> files.input("--data", file));
        files.check();
        Documents.Analysis result = analyze(options);
        PrintWriter out = spec.commandLine().getOut();
        if (json == null) {
            out.print(AnalysisTable.format(result));
        } else if (jsonFile == null) {
            out.println(Json.pretty(result));
        } else {
            try {
                AtomicFiles.writeString(jsonFile, Json.pretty(result));
            } catch (IOException e) {
                throw new InputException(e.getMessage(), e);
            }
            out.println("wrote " + jsonFile);
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
            throw usage("--width-samples must be 0 (skip) or from 2 to " + MAX_WIDTH_SAMPLES + ", got " + widthSamples);
        }
        BiasMode mode = switch (biasMode.toLowerCase(java.util.Locale.ROOT)) {
            case "ignore" -> BiasMode.IGNORE;
            case "augment" -> BiasMode.AUGMENT;
            default -> throw usage("--bias-mode must be ignore or augment, got '" + biasMode + "'");
        };
        if (data.path() == null && ranks != null) {
            throw usage("--ranks needs --data: the ReLU singular values over data are computed on inputs");
        }
        if (bias != null && source.matrix == null) {
            throw usage("--bias goes with --matrix (a model's layers have their own biases)");
        }
        if (inputShape != null && source.model == null) {
            throw usage("--input-shape goes with --model (a matrix's inputs are its columns)");
        }
        data.validate(spec);
        List<Integer> ladder = ranks == null
                ? Arrays.stream(ReluFitOptions.DEFAULT_RANKS).boxed().toList()
                : ranks;
        if (ladder.stream().anyMatch(r -> r == null || r < 0)) {
            throw usage("--ranks must be whole numbers of at least 0, got " + ranks);
        }
        AnalysisOptions.Builder builder = AnalysisOptions.builder()
                .overData(ReluFitOptions.builder()
                        .ranks(ladder.stream().mapToInt(Integer::intValue).toArray())
                        .build())
                .sequential(SequentialReluOptions.builder().topK(k).seed(seed).build())
                .biasMode(mode)
                .dataType(DataType.DOUBLE);
        if (widthSamples == 0) {
            builder.noWidths();
        } else {
            builder.width(
                    MeanWidthOptions.builder().samples(widthSamples).seed(seed).build());
        }
        return builder.build();
    }

    /** The analysis document: the layers' spectra, the layers left out, and what produced them. */
    private Documents.Analysis analyze(AnalysisOptions options) {
        NetworkAnalyzer analyzer = new NetworkAnalyzer(options);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("analysis", options);
        settings.put(
                "source",
                source.model != null ? "model " + source.model.getFileName() : "matrix " + source.matrix.getFileName());
        if (data.path() != null) {
            settings.put("dataSamples", data.samples());
        }
        Provenance provenance = Provenance.of(seed, settings);
        try {
            if (source.matrix != null) {
                INDArray a = MatrixCsv.read(source.matrix);
                INDArray b =
                        bias == null ? null : MatrixCsv.readRow(bias, a.rows(), "the matrix has " + a.rows() + " rows");
                INDArray x = data.path() == null ? null : data.read();
                if (x != null && x.columns() != a.columns()) {
                    throw new InputException("--data " + data.path() + " has " + x.columns() + " values per input, but "
                            + source.matrix + " has " + a.columns() + " columns");
                }
                String name = source.matrix.getFileName().toString();
                try {
                    LayerAnalysis layer = analyzer.analyze(
                            LayerRequest.of(new LayerOperator(0, name, LayerKind.MATRIX, "relu", true, a, b))
                                    .withInputs(x, null));
                    return document(provenance, options, List.of(layer), List.of());
                } catch (UnfitDataException e) {
                    throw new InputException("--data " + data.path() + ": " + e.getMessage(), e);
                }
            }
            ModelFiles.Model model = ModelFiles.read(source.model);
            Model network = model.multiLayer() != null ? model.multiLayer() : model.graph();
            NetworkLayers read = layers(network, options.dataType());
            if (read.layers().isEmpty()) {
                throw new InputException(source.model + ": nothing to analyse: it has no DenseLayer, OutputLayer or "
                        + "ConvolutionLayer");
            }
            List<LayerAnalysis> layers;
            try {
                layers = data.path() == null
                        ? analyzer.analyze(read.layers())
                        : analyzer.analyze(
                                network,
                                read.layers(),
                                data.read(),
                                progress(read.layers().size()));
            } catch (UnfitDataException e) {
                throw new InputException("--data " + data.path() + ": " + e.getMessage(), e);
            }
            return document(provenance, options, layers, read.skipped());
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage(), e);
        }
    }

    /**
     * One line on stderr per layer analysed with data, which takes seconds per layer (silence otherwise, at the
     * WARN level the tool logs at).
     */
    private java.util.function.Consumer<LayerAnalysis> progress(int total) {
        PrintWriter err = spec.commandLine().getErr();
        int[] done = {0};
        return layer -> {
            err.printf(
                    java.util.Locale.ROOT,
                    "relu-spectra: layer '%s' analysed (%d of %d, %.1f s)%n",
                    layer.name(),
                    ++done[0],
                    total,
                    layer.seconds());
            err.flush();
        };
    }

    /**
     * Says on stderr which layers were left out and where fewer values than asked exist (searches that did not
     * converge are logged as WARN by the analyzer), then builds the document.
     */
    private Documents.Analysis document(
            Provenance provenance, AnalysisOptions options, List<LayerAnalysis> layers, List<SkippedLayer> skipped) {
        PrintWriter err = spec.commandLine().getErr();
        skipped.forEach(s -> err.println("relu-spectra: " + s));
        if (skipped.stream().anyMatch(s -> s.reason().contains(LayerOperators.UNKNOWN_INPUT_SHAPE))) {
            err.println("relu-spectra: give the input shape with --input-shape C,H,W");
        }
        int asked = options.sequential().topK();
        layers.stream()
                .filter(l -> asked != SequentialReluOptions.ALL
                        && l.sequential() != null
                        && l.sequential().size() < asked)
                .forEach(l -> err.println("relu-spectra: layer '" + l.name()
                        + "': " + l.sequential().size() + " sequential ReLU values, as many as its inputs (--top-k "
                        + asked
                        + " asks for more)"));
        return new Documents.Analysis(
                provenance, layers.stream().map(Documents.Layer::of).toList(), skipped);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
