package io.github.reluspectra.pruning.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;

/**
 * A tool started without {@code OMP_WAIT_POLICY} works in a child JVM. Stopping the launcher while the child
 * writes its outputs (SIGKILL, which no hook of the launcher sees, or SIGTERM) publishes nothing and leaves no
 * temporary file: the child publishes only after a sign of life that its launcher sent after the child asked,
 * and removes what it staged when the launcher's link ends.
 */
class StoppedLauncherTest {

    /**
     * Hidden width: writing the copy takes a few hundred milliseconds, long enough to stop the launcher during
     * the write and shorter than the JDK's polls (300 ms and more) for the end of a process that is not its
     * child, so that the child's own check before publishing is what stops it (without that check, 3 of 3 runs
     * published).
     */
    private static final int WIDTH = 700;

    @TempDir
    static Path shared;

    static Path model;

    @BeforeAll
    static void saveModel() throws Exception {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(3)
                .list()
                .layer(new DenseLayer.Builder()
                        .nIn(784)
                        .nOut(WIDTH)
                        .activation(Activation.RELU)
                        .build())
                .layer(new DenseLayer.Builder()
                        .nIn(WIDTH)
                        .nOut(WIDTH)
                        .activation(Activation.RELU)
                        .build())
                .layer(new OutputLayer.Builder()
                        .nIn(WIDTH)
                        .nOut(10)
                        .activation(Activation.SOFTMAX)
                        .build())
                .build());
        net.init();
        model = shared.resolve("in.zip");
        ModelSerializer.writeModel(net, model.toFile(), false);
    }

    @Test
    void aKilledLauncherPublishesNothing(@TempDir Path dir) throws Exception {
        stopWhileWriting(dir, true);
    }

    @Test
    void aTerminatedLauncherPublishesNothing(@TempDir Path dir) throws Exception {
        stopWhileWriting(dir, false);
    }

    private static void stopWhileWriting(Path dir, boolean kill) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        HarmonicPruningCli.class.getName(),
                        "prune",
                        "--model",
                        model.toString(),
                        "--out",
                        dir.resolve("o.zip").toString(),
                        "--energy",
                        "1",
                        "--json",
                        dir.resolve("r.json").toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().remove("OMP_WAIT_POLICY");
        builder.environment().remove("RELU_SPECTRA_RELAUNCHED");
        Process launcher = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (temporaryFiles(dir).isEmpty() && launcher.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(temporaryFiles(dir)).as("the child started writing").isNotEmpty();
        List<ProcessHandle> children = launcher.toHandle().children().toList();
        assertThat(children).as("the launcher started a child").hasSize(1);
        if (kill) {
            launcher.destroyForcibly();
        } else {
            launcher.destroy();
        }
        assertThat(launcher.waitFor(60, TimeUnit.SECONDS)).isTrue();
        children.get(0).onExit().get(60, TimeUnit.SECONDS);
        assertThat(Files.exists(dir.resolve("o.zip"))).as("model published").isFalse();
        assertThat(Files.exists(dir.resolve("r.json"))).as("report published").isFalse();
        assertThat(temporaryFiles(dir)).isEmpty();
    }

    private static List<Path> temporaryFiles(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tmp"))
                    .toList();
        }
    }
}
