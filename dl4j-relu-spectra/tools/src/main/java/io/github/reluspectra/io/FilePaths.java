package io.github.reluspectra.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether two paths name one file, whatever links, {@code ..} or relative forms lead there. */
public final class FilePaths {

    private FilePaths() {}

    /**
     * True when writing {@code a} would replace {@code b}: the same path once links and {@code ..} are resolved
     * (for a file that does not exist yet, through its directory), or the same file under two names (hard links).
     */
    public static boolean same(Path a, Path b) {
        if (canonical(a).equals(canonical(b))) {
            return true;
        }
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /** The real path of {@code p}, or of its directory joined with its name when {@code p} does not exist yet. */
    public static Path canonical(Path p) {
        Path absolute = p.toAbsolutePath();
        try {
            return absolute.toRealPath();
        } catch (IOException e) {
            Path normal = absolute.normalize();
            Path parent = normal.getParent();
            if (parent != null && normal.getFileName() != null) {
                try {
                    return parent.toRealPath().resolve(normal.getFileName());
                } catch (IOException ignored) {
                    // The directory does not exist either: the normalised path is all there is to compare.
                }
            }
            return normal;
        }
    }
}
