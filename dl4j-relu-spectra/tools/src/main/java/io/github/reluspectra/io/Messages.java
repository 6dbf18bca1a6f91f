package io.github.reluspectra.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/** Short, one-line error texts: the reason of an I/O failure, and user content clipped for quoting. */
public final class Messages {

    /** Longest piece of a user's file quoted in a message. */
    private static final int QUOTE = 40;
    /** Longest message passed on from a library. */
    private static final int BRIEF = 200;

    private Messages() {}

    /**
     * Why an I/O operation failed, without the (often temporary) path the JDK puts in its messages:
     * "no such file or directory", "permission denied", "No space left on device", ...
     */
    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "it already exists";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason().toLowerCase(Locale.ROOT);
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : brief(e.getMessage());
    }

    /** A piece of user content for a message: one line, control and invisible characters shown, clipped. */
    public static String quote(String text) {
        StringBuilder b = new StringBuilder("'");
        text.codePoints().limit(QUOTE).forEach(c -> {
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                b.append(String.format(Locale.ROOT, "\\u%04X", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        b.append('\'');
        long length = text.codePointCount(0, text.length());
        if (length > QUOTE) {
            b.append(" (")
                    .append(length)
                    .append(" characters, first ")
                    .append(QUOTE)
                    .append(" shown)");
        }
        return b.toString();
    }

    /** A message from a library as one line of at most 200 characters. */
    public static String brief(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() <= BRIEF ? line : line.substring(0, BRIEF) + "...";
    }
}
