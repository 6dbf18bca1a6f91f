package io.github.reluspectra.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.nd4j.shade.jackson.databind.JsonNode;

/** Appends JSON documents to a file, one per line (the format the listeners write). */
public final class JsonLines {

    private JsonLines() {
    }

    /** Appends one line, creating the file and its directory if needed. */
    public static void append(Path file, JsonNode node) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Files.writeString(file, node.toString() + System.lineSeparator(), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
