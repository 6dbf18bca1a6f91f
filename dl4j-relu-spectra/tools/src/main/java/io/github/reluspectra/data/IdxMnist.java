package io.github.reluspectra.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads MNIST-format IDX files (gzipped or raw): images as 784 pixels scaled to [0, 1], as DL4J's own MNIST
 * iterator gives them, and one-hot labels over 10 classes.
 */
public final class IdxMnist {

    private static final int IMAGE_MAGIC = 2051;
    private static final int LABEL_MAGIC = 2049;
    private static final int CLASSES = 10;

    private IdxMnist() {
    }

    /** The training split of a directory: {@code train-images-idx3-ubyte[.gz]} and its labels. */
    public static DataSet train(Path dir) throws IOException {
        return read(find(dir, "train-images-idx3-ubyte"), find(dir, "train-labels-idx1-ubyte"));
    }

    /** The test split of a directory: {@code t10k-images-idx3-ubyte[.gz]} and its labels. */
    public static DataSet test(Path dir) throws IOException {
        return read(find(dir, "t10k-images-idx3-ubyte"), find(dir, "t10k-labels-idx1-ubyte"));
    }

    /** The file {@code name} or {@code name.gz} in {@code dir}. */
    public static Path find(Path dir, String name) throws IOException {
        for (Path candidate : new Path[] {dir.resolve(name), dir.resolve(name + ".gz")}) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IOException("no " + name + " or " + name + ".gz in " + dir);
    }

    /**
     * Images and labels as a DataSet: features {@code [n, rows*cols]} FLOAT in [0, 1], labels {@code [n, 10]}.
     *
     * @throws IOException naming the file for a wrong magic number, a truncated file, a label outside 0..9 or
     *                     image and label counts that differ
     */
    public static DataSet read(Path images, Path labels) throws IOException {
        try (InputStream imageStream = Files.newInputStream(images);
             InputStream labelStream = Files.newInputStream(labels)) {
            return read(images.toString(), imageStream, labels.toString(), labelStream);
        }
    }

    /**
     * As {@link #read(Path, Path)}, from streams (gzipped or raw), for example classpath resources; the names
     * appear in error messages. The streams are read to their end but not closed.
     */
    public static DataSet read(String imagesName, InputStream images, String labelsName, InputStream labels)
            throws IOException {
        float[] pixels;
        int count;
        int size;
        try {
            DataInputStream in = open(images);
            int magic = in.readInt();
            if (magic != IMAGE_MAGIC) {
                throw new IOException(imagesName + ": not an IDX image file (magic number " + magic + ", expected "
                        + IMAGE_MAGIC + ")");
            }
            count = in.readInt();
            size = Math.multiplyExact(in.readInt(), in.readInt());
            byte[] raw = new byte[Math.multiplyExact(count, size)];
            readFully(in, raw, imagesName);
            pixels = new float[raw.length];
            for (int i = 0; i < raw.length; i++) {
                pixels[i] = (raw[i] & 0xff) / 255f;
            }
        } catch (EOFException e) {
            throw new IOException(imagesName + ": truncated header");
        }
        byte[] classes;
        try {
            DataInputStream in = open(labels);
            int magic = in.readInt();
            if (magic != LABEL_MAGIC) {
                throw new IOException(labelsName + ": not an IDX label file (magic number " + magic + ", expected "
                        + LABEL_MAGIC + ")");
            }
            int labelCount = in.readInt();
            if (labelCount != count) {
                throw new IOException(labelsName + " has " + labelCount + " labels but " + imagesName + " has "
                        + count + " images");
            }
            classes = new byte[labelCount];
            readFully(in, classes, labelsName);
        } catch (EOFException e) {
            throw new IOException(labelsName + ": truncated header");
        }
        float[] oneHot = new float[count * CLASSES];
        for (int i = 0; i < count; i++) {
            int c = classes[i] & 0xff;
            if (c >= CLASSES) {
                throw new IOException(labelsName + ": label " + c + " at index " + i + " is outside 0..9");
            }
            oneHot[i * CLASSES + c] = 1;
        }
        INDArray features = Nd4j.create(pixels, new long[] {count, size}, 'c').castTo(DataType.FLOAT);
        return new DataSet(features, Nd4j.create(oneHot, new long[] {count, CLASSES}, 'c'));
    }

    private static void readFully(DataInputStream in, byte[] target, String file) throws IOException {
        try {
            in.readFully(target);
        } catch (EOFException e) {
            throw new IOException(file + ": truncated (expected " + target.length + " data bytes)");
        }
    }

    private static DataInputStream open(InputStream stream) throws IOException {
        InputStream raw = new BufferedInputStream(stream);
        raw.mark(2);
        int b1 = raw.read();
        int b2 = raw.read();
        raw.reset();
        boolean gzip = b1 == 0x1f && b2 == 0x8b;
        return new DataInputStream(gzip ? new GZIPInputStream(raw) : raw);
    }
}
