package io.github.reluspectra.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads MNIST-format IDX files (gzipped or raw): images as their pixels scaled to [0, 1], as DL4J's own MNIST
 * iterator gives them, and one-hot labels over 10 classes.
 *
 * <p>A file's header is never trusted with memory: its counts are checked against the file's size (raw files)
 * and against the heap before anything is allocated, and pixels are read in chunks as they arrive, so a header
 * that claims more images than the stream holds costs only what the stream really holds.
 */
public final class IdxMnist {

    private static final int IMAGE_MAGIC = 2051;
    private static final int LABEL_MAGIC = 2049;
    private static final int IMAGE_HEADER_BYTES = 16;
    private static final int LABEL_HEADER_BYTES = 8;
    private static final int CLASSES = 10;
    /** Images read per allocation: memory grows with what the stream holds, not with what its header says. */
    private static final int CHUNK_BYTES = 1 << 20;
    /** Bytes of memory per pixel while reading: the raw byte twice (chunks, then one array), a float, ND4J's copy. */
    private static final int BYTES_PER_PIXEL_READ = 10;

    private IdxMnist() {}

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

    /** All images and labels of two files; see {@link #read(Path, Path, int)}. */
    public static DataSet read(Path images, Path labels) throws IOException {
        return read(images, labels, Integer.MAX_VALUE);
    }

    /**
     * The first {@code maxSamples} images and labels as a DataSet: features {@code [n, rows*cols]} FLOAT in
     * [0, 1], labels {@code [n, 10]}.
     *
     * @throws IOException naming the file for a wrong magic number, a damaged header (no images, a negative or
     *                     impossible count), a file shorter than its header says, data that are not gzip as
     *                     their first bytes claim, a label outside 0..9, image and label counts that differ, or
     *                     more images than the heap can hold
     */
    public static DataSet read(Path images, Path labels, int maxSamples) throws IOException {
        try (InputStream imageStream = Files.newInputStream(images);
                InputStream labelStream = Files.newInputStream(labels)) {
            return read(
                    new Source(images.toString(), imageStream, Files.size(images)),
                    new Source(labels.toString(), labelStream, Files.size(labels)),
                    maxSamples);
        }
    }

    /**
     * As {@link #read(Path, Path)}, from streams (gzipped or raw), for example classpath resources; the names
     * appear in error messages. The streams are not closed.
     */
    public static DataSet read(String imagesName, InputStream images, String labelsName, InputStream labels)
            throws IOException {
        return read(new Source(imagesName, images, -1), new Source(labelsName, labels, -1), Integer.MAX_VALUE);
    }

    /** A named stream and, for a file, its size in bytes (-1: unknown). */
    private record Source(String name, InputStream stream, long size) {}

    /** One file's header: its item count and, for images, rows x cols pixels per item. */
    private record Header(int count, int itemBytes) {}

    private static DataSet read(Source images, Source labels, int maxSamples) throws IOException {
        Opened imageFile = open(images);
        Header imageHeader = imageHeader(imageFile);
        Opened labelFile = open(labels);
        Header labelHeader = labelHeader(labelFile);
        if (labelHeader.count() != imageHeader.count()) {
            throw new IOException(labels.name() + " has " + labelHeader.count() + " labels but " + images.name()
                    + " has " + imageHeader.count() + " images");
        }
        int n = Math.min(imageHeader.count(), maxSamples);
        requireHeap(images.name(), n, imageHeader.itemBytes());
        byte[] pixels = readItems(imageFile, n, imageHeader.itemBytes());
        byte[] classes = readItems(labelFile, n, 1);
        return dataSet(labels.name(), pixels, classes, n, imageHeader.itemBytes());
    }

    /** A stream past its gzip layer, if any, with the source it came from. */
    private record Opened(Source source, DataInputStream in, boolean gzip) {}

    private static Opened open(Source source) throws IOException {
        InputStream raw = new BufferedInputStream(source.stream());
        raw.mark(2);
        int b1 = raw.read();
        int b2 = raw.read();
        raw.reset();
        boolean gzip = b1 == 0x1f && b2 == 0x8b;
        try {
            return new Opened(source, new DataInputStream(gzip ? new GZIPInputStream(raw) : raw), gzip);
        } catch (ZipException | EOFException e) {
            throw damagedGzip(source.name(), e);
        }
    }

    /** magic 2051, count, rows, cols (big-endian ints), each checked before it sizes anything. */
    private static Header imageHeader(Opened file) throws IOException {
        String name = file.source().name();
        requireMagic(file, IMAGE_MAGIC, "image");
        int count = requireCount(name, readInt(file), "images");
        int rows = readInt(file);
        int cols = readInt(file);
        if (rows < 1 || cols < 1 || (long) rows * cols > Integer.MAX_VALUE) {
            throw new IOException(name + ": damaged header: images of " + rows + " x " + cols + " pixels");
        }
        requireSize(file, IMAGE_HEADER_BYTES, count, rows * cols, "images of " + rows + " x " + cols + " pixels");
        return new Header(count, rows * cols);
    }

    /** magic 2049 and count. */
    private static Header labelHeader(Opened file) throws IOException {
        String name = file.source().name();
        requireMagic(file, LABEL_MAGIC, "label");
        int count = requireCount(name, readInt(file), "labels");
        requireSize(file, LABEL_HEADER_BYTES, count, 1, "labels");
        return new Header(count, 1);
    }

    private static void requireMagic(Opened file, int expected, String kind) throws IOException {
        int magic = readInt(file);
        if (magic != expected) {
            throw new IOException(file.source().name() + ": not an IDX " + kind + " file (magic number " + magic
                    + ", expected " + expected + ")");
        }
    }

    private static int requireCount(String name, int count, String what) throws IOException {
        if (count < 0) {
            throw new IOException(name + ": damaged header: " + count + " " + what);
        }
        if (count == 0) {
            throw new IOException(name + " holds no " + what);
        }
        return count;
    }

    /** A raw file must hold what its header announces; a gzipped one is checked as it is read. */
    private static void requireSize(Opened file, int headerBytes, int count, int itemBytes, String what)
            throws IOException {
        long size = file.source().size();
        long needed = headerBytes + (long) count * itemBytes;
        if (!file.gzip() && size >= 0 && size < needed) {
            throw new IOException(file.source().name() + " is truncated: its header announces " + count + " " + what
                    + " (" + needed + " bytes), but the file has " + size + " bytes");
        }
    }

    /** Refuses before reading what could not be held: the raw bytes, the floats and ND4J's copy of them. */
    private static void requireHeap(String name, int n, int itemBytes) throws IOException {
        long needed = (long) n * itemBytes * BYTES_PER_PIXEL_READ;
        if ((long) n * itemBytes > Integer.MAX_VALUE
                || needed > Runtime.getRuntime().maxMemory()) {
            throw new IOException(String.format(
                    Locale.ROOT,
                    "%s: %d images of %d pixels need about %.1f GB, more "
                            + "than this JVM may use (%.1f GB); read fewer (--data-samples) or raise -Xmx",
                    name,
                    n,
                    itemBytes,
                    needed / 1e9,
                    Runtime.getRuntime().maxMemory() / 1e9));
        }
    }

    /** n items of {@code itemBytes}, read in chunks so that memory follows the bytes that really arrive. */
    private static byte[] readItems(Opened file, int n, int itemBytes) throws IOException {
        long total = (long) n * itemBytes;
        List<byte[]> chunks = new ArrayList<>();
        long read = 0;
        while (read < total) {
            byte[] chunk = new byte[(int) Math.min(CHUNK_BYTES, total - read)];
            int got = readFully(file, chunk);
            if (got < chunk.length) {
                throw new IOException(file.source().name() + " is truncated: it ends after " + (read + got) / itemBytes
                        + " of the " + n + " items its header announces");
            }
            chunks.add(chunk);
            read += got;
        }
        byte[] all = new byte[(int) total];
        int at = 0;
        for (byte[] chunk : chunks) {
            System.arraycopy(chunk, 0, all, at, chunk.length);
            at += chunk.length;
        }
        return all;
    }

    private static DataSet dataSet(String labelsName, byte[] raw, byte[] classes, int n, int size) throws IOException {
        float[] pixels = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            pixels[i] = (raw[i] & 0xff) / 255f;
        }
        float[] oneHot = new float[n * CLASSES];
        for (int i = 0; i < n; i++) {
            int c = classes[i] & 0xff;
            if (c >= CLASSES) {
                throw new IOException(labelsName + ": label " + c + " at index " + i + " is outside 0..9");
            }
            oneHot[i * CLASSES + c] = 1;
        }
        INDArray features = Nd4j.create(pixels, new long[] {n, size}, 'c').castTo(DataType.FLOAT);
        return new DataSet(features, Nd4j.create(oneHot, new long[] {n, CLASSES}, 'c'));
    }

    private static int readInt(Opened file) throws IOException {
        try {
            return file.in().readInt();
        } catch (EOFException e) {
            throw new IOException(file.source().name() + ": truncated header");
        } catch (ZipException e) {
            throw damagedGzip(file.source().name(), e);
        }
    }

    /** Fills {@code target} as far as the stream goes; returns how many bytes it got. */
    private static int readFully(Opened file, byte[] target) throws IOException {
        try {
            return file.in().readNBytes(target, 0, target.length);
        } catch (ZipException | EOFException e) {
            throw damagedGzip(file.source().name(), e);
        }
    }

    private static IOException damagedGzip(String name, IOException e) {
        return new IOException(
                name + " is not valid gzip data ("
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")",
                e);
    }
}
