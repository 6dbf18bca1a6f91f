package io.github.reluspectra.demo;

import io.github.reluspectra.cli.InputException;
import io.github.reluspectra.data.IdxMnist;
import io.github.reluspectra.demo.results.DemoConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.datasets.iterator.impl.MnistDataSetIterator;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Training and test digits, 784 pixels in [0, 1] and one-hot labels, with where they came from.
 *
 * @param train  training digits
 * @param test   held-out digits
 * @param source a line saying where they came from
 */
public record MnistSplits(DataSet train, DataSet test, String source) {

    private static final String BUNDLED = "/mnist-10k/";

    /** Loads the digits a run asks for. */
    public static MnistSplits load(DemoConfig.DataSource source, long seed) {
        if (source instanceof DemoConfig.DataSource.Directory d) {
            return directory(d.dir());
        }
        if (source instanceof DemoConfig.DataSource.Full) {
            return full(seed);
        }
        return bundled();
    }

    /** The 8,000/2,000 real MNIST digits shipped in this jar. */
    public static MnistSplits bundled() {
        try {
            return new MnistSplits(
                    resource("train"),
                    resource("t10k"),
                    "bundled MNIST digits (8,000 train / 2,000 test, from the MNIST database)");
        } catch (IOException e) {
            throw new IllegalStateException("the bundled digits are damaged: " + e.getMessage(), e);
        }
    }

    /** MNIST-format IDX files (gzipped or raw) named like the originals. */
    public static MnistSplits directory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InputException("--data-dir " + dir + " is not a directory");
        }
        try {
            return new MnistSplits(IdxMnist.train(dir), IdxMnist.test(dir), "IDX files in " + dir.toAbsolutePath());
        } catch (IOException e) {
            throw new InputException(e.getMessage(), e);
        }
    }

    /** DL4J's MNIST iterator: the full 60,000/10,000 set, downloaded on first use. */
    public static MnistSplits full(long seed) {
        try {
            return new MnistSplits(
                    collect(new MnistDataSetIterator(1000, true, (int) seed)),
                    collect(new MnistDataSetIterator(1000, false, (int) seed)),
                    "full MNIST (60,000 train / 10,000 test) through DL4J's MnistDataSetIterator");
        } catch (IOException | RuntimeException e) {
            throw new InputException(
                    "--full could not get MNIST through DL4J's MnistDataSetIterator (it downloads "
                            + "the set; is the network reachable?): " + rootMessage(e)
                            + "; without --full the demo uses the "
                            + "bundled digits",
                    e);
        }
    }

    /** The first {@code train} and {@code test} samples (0 keeps all). */
    public MnistSplits limit(int trainSamples, int testSamples) {
        DataSet tr = head(train, trainSamples);
        DataSet te = head(test, testSamples);
        if (tr == train && te == test) {
            return this;
        }
        return new MnistSplits(tr, te, source + ", first " + tr.numExamples() + " / " + te.numExamples());
    }

    private static DataSet head(DataSet data, int n) {
        if (n == 0 || n >= data.numExamples()) {
            return data;
        }
        return (DataSet) data.getRange(0, n);
    }

    private static DataSet resource(String split) throws IOException {
        String images = BUNDLED + split + "-images-idx3-ubyte.gz";
        String labels = BUNDLED + split + "-labels-idx1-ubyte.gz";
        try (InputStream i = open(images);
                InputStream l = open(labels)) {
            return IdxMnist.read(images, i, labels, l);
        }
    }

    private static InputStream open(String resource) throws IOException {
        InputStream in = MnistSplits.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("missing resource " + resource);
        }
        return in;
    }

    private static DataSet collect(DataSetIterator it) {
        List<DataSet> batches = new ArrayList<>();
        while (it.hasNext()) {
            batches.add(it.next());
        }
        return DataSet.merge(batches);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
