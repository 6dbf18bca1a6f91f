package io.github.reluspectra.cli;

import io.github.reluspectra.data.IdxMnist;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code --data} and {@code --data-samples}, a picocli mixin of the tools: inputs for the ReLU singular values
 * over data, a CSV with one input per line or a directory of MNIST-format IDX files (the training images if
 * present, else the test images, pixels scaled to [0, 1]).
 */
public final class DataFiles {

    private static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    private static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    private static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    private static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    @Option(
            names = "--data",
            paramLabel = "X.csv|DIR",
            description = "inputs for the ReLU singular values over data: a CSV with one input per line, or a "
                    + "directory of MNIST-format IDX files (training images if present, else test images)")
    Path data;

    @Option(
            names = "--data-samples",
            paramLabel = "N",
            defaultValue = "2000",
            description = "use the first N inputs of --data (default: ${DEFAULT-VALUE})")
    int samples;

    public Path path() {
        return data;
    }

    /** The {@code --data-samples} asked for (fewer are read where the data hold fewer). */
    public int samples() {
        return samples;
    }

    /** Refuses a sample count below 1, and one given without data (usage). */
    public void validate(CommandSpec spec) {
        if (data == null && spec.commandLine().getParseResult().hasMatchedOption("--data-samples")) {
            throw new ParameterException(spec.commandLine(), "--data-samples goes with --data");
        }
        if (samples < 1) {
            throw new ParameterException(spec.commandLine(), "--data-samples must be at least 1, got " + samples);
        }
    }

    /** The files {@link #read()} reads (none without --data), so that no output can land on them. */
    public List<Path> files() {
        return inputs(data);
    }

    /** The first {@code --data-samples} inputs as rows of a DOUBLE matrix. */
    public INDArray read() {
        return read(data, samples);
    }

    private static List<Path> inputs(Path data) {
        if (data == null) {
            return List.of();
        }
        if (!Files.isDirectory(data)) {
            return List.of(data);
        }
        try {
            return hasTraining(data)
                    ? List.of(IdxMnist.find(data, TRAIN_IMAGES), IdxMnist.find(data, TRAIN_LABELS))
                    : List.of(IdxMnist.find(data, TEST_IMAGES), IdxMnist.find(data, TEST_LABELS));
        } catch (IOException e) {
            throw new InputException("--data " + data + ": no MNIST-format images (" + e.getMessage() + ")");
        }
    }

    /** At most {@code samples} inputs: nothing beyond them is read, whatever a file's header claims. */
    private static INDArray read(Path data, int samples) {
        INDArray all;
        if (Files.isDirectory(data)) {
            List<Path> files = inputs(data);
            try {
                all = IdxMnist.read(files.get(0), files.get(1), samples).getFeatures();
            } catch (IOException e) {
                throw new InputException("--data " + data + ": " + e.getMessage(), e);
            }
        } else {
            try {
                all = MatrixCsv.read(data, samples);
            } catch (InputException e) {
                throw new InputException("--data " + e.getMessage(), e);
            }
        }
        return all.castTo(DataType.DOUBLE);
    }

    private static boolean hasTraining(Path dir) {
        return Files.isRegularFile(dir.resolve(TRAIN_IMAGES)) || Files.isRegularFile(dir.resolve(TRAIN_IMAGES + ".gz"));
    }
}
