package io.github.reluspectra.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

class IdxMnistTest {

    @TempDir
    Path dir;

    private static byte[] images(int magic, int count, int rows, int cols, int dataBytes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        out.writeInt(count);
        out.writeInt(rows);
        out.writeInt(cols);
        for (int i = 0; i < dataBytes; i++) {
            out.writeByte(i * 37);
        }
        return bytes.toByteArray();
    }

    private static byte[] labels(int magic, int... values) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        out.writeInt(values.length);
        for (int v : values) {
            out.writeByte(v);
        }
        return bytes.toByteArray();
    }

    private Path write(String name, byte[] content, boolean gzip) throws IOException {
        Path p = dir.resolve(gzip ? name + ".gz" : name);
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
            out.write(content);
        }
        return p;
    }

    @Test
    void readsRawAndGzippedFiles() throws IOException {
        for (boolean gzip : new boolean[] {false, true}) {
            Path sub = Files.createDirectories(dir.resolve("gz" + gzip));
            write("gz" + gzip + "/t10k-images-idx3-ubyte", images(2051, 3, 2, 2, 12), gzip);
            write("gz" + gzip + "/t10k-labels-idx1-ubyte", labels(2049, 7, 0, 9), gzip);
            DataSet data = IdxMnist.test(sub);
            assertThat(data.getFeatures().shape()).containsExactly(3, 4);
            assertThat(data.getFeatures().getDouble(0, 1))
                    .isEqualTo(37 / 255.0, org.assertj.core.api.Assertions.within(1e-6));
            assertThat(data.getFeatures().maxNumber().doubleValue()).isLessThanOrEqualTo(1.0);
            assertThat(data.getLabels().argMax(1).toIntVector()).containsExactly(7, 0, 9);
        }
    }

    @Test
    void badFilesGetOneClearError() throws IOException {
        Path labels = write("l", labels(2049, 1, 2), false);
        assertThatThrownBy(() -> IdxMnist.read(write("bad", images(1234, 2, 2, 2, 8), false), labels))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("magic number 1234");
        assertThatThrownBy(() -> IdxMnist.read(write("short", images(2051, 2, 2, 2, 5), false), labels))
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> IdxMnist.read(write("three", images(2051, 3, 2, 2, 12), false), labels))
                .hasMessageContaining("has 2 labels but")
                .hasMessageContaining("has 3 images");
        assertThatThrownBy(() -> IdxMnist.read(
                        write("ok", images(2051, 2, 2, 2, 8), false), write("l11", labels(2049, 1, 11), false)))
                .hasMessageContaining("outside 0..9");
        assertThatThrownBy(() -> IdxMnist.test(dir.resolve("nowhere"))).hasMessageContaining("t10k-images-idx3-ubyte");
    }

    /** At most maxSamples items are read; the header's counts are checked before they size anything. */
    @Test
    void readsNoMoreThanAskedAndChecksCountsFirst() throws IOException {
        Path labels = write("l5", labels(2049, 1, 2, 3, 4, 5), false);
        DataSet two = IdxMnist.read(write("i5", images(2051, 5, 2, 2, 20), false), labels, 2);
        assertThat(two.getFeatures().shape()).containsExactly(2, 4);
        assertThat(two.getLabels().argMax(1).toIntVector()).containsExactly(1, 2);
        assertThatThrownBy(() -> IdxMnist.read(write("none", images(2051, 0, 2, 2, 0), false), labels))
                .hasMessageEndingWith("holds no images");
        assertThatThrownBy(() -> IdxMnist.read(write("neg", images(2051, -3, 2, 2, 0), false), labels))
                .hasMessageContaining("damaged header: -3 images");
        assertThatThrownBy(() -> IdxMnist.read(write("wide", images(2051, 5, 1 << 16, 1 << 16, 0), false), labels))
                .hasMessageContaining("damaged header: images of 65536 x 65536 pixels");
        Path claims = write("claims", images(2051, 1_000_000, 2, 2, 12), true);
        Path claimedLabels = write("claimsl", labels(2049, new int[1_000_000]), true);
        assertThat(IdxMnist.read(claims, claimedLabels, 3).getFeatures().rows()).isEqualTo(3);
        assertThatThrownBy(() -> IdxMnist.read(claims, claimedLabels, 4))
                .hasMessageContaining("is truncated: it ends after 3 of the 4 items");
    }
}
