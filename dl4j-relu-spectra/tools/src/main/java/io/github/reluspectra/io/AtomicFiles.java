package io.github.reluspectra.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Outputs that appear only when complete: content goes to a temporary file beside the target, named
 * {@code .TARGET.PID.RANDOM.tmp}, which is then renamed onto the target. Temporary files in flight are removed
 * when the JVM shuts down (Ctrl-C, SIGTERM); those a killed process left behind are recognised by their dead
 * PID and swept before the next write of the same target.
 *
 * <p>Publishing and the shutdown share one lock: once shutdown has begun nothing is published, and a run's
 * outputs published together ({@link #publishing}) appear all or none, whenever the signal comes. A process may
 * also name a condition under which it must not publish at all ({@link #refusePublishingWhen}), for example that
 * the process that launched it and waits for its result has gone.
 */
public final class AtomicFiles {

    private static final Pattern TEMP = Pattern.compile("\\.(.+)\\.(\\d+)\\.[0-9a-f]{16}\\.tmp");
    private static final long PID = ProcessHandle.current().pid();
    private static final Set<Path> IN_FLIGHT = ConcurrentHashMap.newKeySet();
    /** Held while publishing and while the shutdown deletes what is in flight. */
    private static final Object PUBLISHING = new Object();

    private static boolean shutDown;
    private static volatile Supplier<String> refusal = () -> null;

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            synchronized (PUBLISHING) {
                                shutDown = true;
                                deleteInFlight();
                            }
                        },
                        "atomic-files-cleanup"));
    }

    private AtomicFiles() {}

    /**
     * From now on, nothing is published while {@code reason} answers non-null; the answer is the reason given in
     * the refusal (for example "the launching JVM has ended").
     */
    public static void refusePublishingWhen(Supplier<String> reason) {
        refusal = reason;
    }

    /** Publishing steps of one run: {@link Staged#publish} and {@link Staged#retract} calls. */
    @FunctionalInterface
    public interface Publication {
        void run() throws IOException;
    }

    /**
     * Runs the steps as one: the shutdown cannot begin deleting between them, and if publishing is refused (the
     * JVM is shutting down, or the condition given to {@link #refusePublishingWhen} holds) none of them runs.
     *
     * @throws IOException saying why publishing was refused, or from the steps
     */
    public static void publishing(Publication steps) throws IOException {
        synchronized (PUBLISHING) {
            requireMayPublish();
            steps.run();
        }
    }

    private static void requireMayPublish() throws IOException {
        requireRunning();
        String reason = refusal.get();
        if (reason != null) {
            throw new IOException("nothing published: " + reason);
        }
    }

    /** What writes the content into the temporary file. */
    @FunctionalInterface
    public interface Writer {
        void write(Path tmp) throws IOException;
    }

    /**
     * Writes {@code target} completely or not at all, replacing an existing file.
     *
     * @throws IOException whose message names {@code target} (never the temporary file) and the reason
     */
    public static void write(Path target, Writer writer) throws IOException {
        try (Staged staged = stage(target, writer)) {
            staged.publish(true);
        }
    }

    public static void writeString(Path target, String text) throws IOException {
        write(target, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    }

    /**
     * Writes the content to a temporary file beside {@code target} and returns it unpublished, so that a run
     * with several outputs can write all of them before any appears. Closing an unpublished file deletes it.
     */
    public static Staged stage(Path target, Writer writer) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir == null || absolute.getFileName() == null) {
            throw new IOException("cannot write " + target + ": not a file path");
        }
        sweepStale(absolute);
        String name = "." + absolute.getFileName() + "." + PID + "."
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()) + ".tmp";
        Staged staged;
        // Created and registered as one step, never once the shutdown has deleted what is in flight.
        synchronized (PUBLISHING) {
            requireRunning();
            try {
                // Files.createFile keeps the umask's permissions (createTempFile would make it owner-only).
                staged = new Staged(target, Files.createFile(dir.resolve(name)));
            } catch (IOException e) {
                throw cannotWrite(target, e);
            }
        }
        try {
            writer.write(staged.tmp);
        } catch (IOException e) {
            staged.close();
            throw cannotWrite(target, e);
        } catch (RuntimeException e) {
            staged.close();
            throw e;
        }
        synchronized (PUBLISHING) {
            // A writer that opened the file by name after the shutdown deleted it has made it anew.
            if (shutDown) {
                staged.close();
                requireRunning();
            }
        }
        return staged;
    }

    private static void requireRunning() throws IOException {
        if (shutDown) {
            throw new IOException("the run was stopped before its outputs were published");
        }
    }

    /**
     * Deletes temporary files of this naming for {@code target} that no running process owns: those of a
     * process that is gone.
     *
     * @return how many were deleted
     */
    public static int sweepStale(Path target) {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir == null || absolute.getFileName() == null || !Files.isDirectory(dir)) {
            return 0;
        }
        String own = absolute.getFileName().toString();
        int deleted = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "." + escapeGlob(own) + ".*")) {
            for (Path entry : entries) {
                if (isStale(entry, own)) {
                    deleted += Files.deleteIfExists(entry) ? 1 : 0;
                }
            }
        } catch (IOException e) {
            // Sweeping is a courtesy; the write itself will report a directory it cannot use.
        }
        return deleted;
    }

    private static boolean isStale(Path entry, String target) {
        Matcher m = TEMP.matcher(entry.getFileName().toString());
        if (!m.matches() || !m.group(1).equals(target)) {
            return false;
        }
        long pid = Long.parseLong(m.group(2));
        return pid != PID && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }

    /** The failure as the user should read it: their file and the reason, not the temporary file. */
    private static IOException cannotWrite(Path target, IOException e) {
        return new IOException("cannot write " + target + ": " + Messages.reason(e), e);
    }

    private static String escapeGlob(String name) {
        return name.replaceAll("([\\\\*?\\[\\]{}])", "\\\\$1");
    }

    private static void deleteInFlight() {
        for (Path tmp : IN_FLIGHT) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                // The JVM is going down; nothing else can be done about it.
            }
        }
    }

    /** A complete output waiting in its temporary file. */
    public static final class Staged implements AutoCloseable {
        private final Path target;
        private final Path tmp;
        private boolean published;

        private Staged(Path target, Path tmp) {
            this.target = target;
            this.tmp = tmp;
            IN_FLIGHT.add(tmp);
        }

        public Path target() {
            return target;
        }

        /**
         * Renames the content onto the target. Without {@code replace} an existing target is never touched,
         * even one that another process created a moment ago (the file is linked in place, which fails if the
         * name exists, where the file system supports links).
         *
         * @throws FileAlreadyExistsException naming the target, without {@code replace}, if it exists
         * @throws IOException                naming the target and the reason
         */
        public void publish(boolean replace) throws IOException {
            synchronized (PUBLISHING) {
                try {
                    requireMayPublish();
                } catch (IOException e) {
                    close();
                    throw e;
                }
                rename(replace);
            }
        }

        private void rename(boolean replace) throws IOException {
            try {
                if (replace) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } else {
                    publishNew();
                }
                published = true;
            } catch (FileAlreadyExistsException e) {
                throw new FileAlreadyExistsException(target.toString(), null, "it already exists");
            } catch (IOException e) {
                throw cannotWrite(target, e);
            } finally {
                close();
            }
        }

        private void publishNew() throws IOException {
            try {
                Files.createLink(target, tmp);
                Files.delete(tmp);
            } catch (FileAlreadyExistsException e) {
                throw e;
            } catch (UnsupportedOperationException | IOException e) {
                // No hard links here: a plain rename, which refuses an existing target too (though not atomically).
                Files.move(tmp, target);
            }
        }

        /** Removes a published output again (a later step of the same run failed). */
        public void retract() throws IOException {
            if (published) {
                Files.deleteIfExists(target);
                published = false;
            }
        }

        /** Deletes the temporary file unless it was published. */
        @Override
        public void close() throws IOException {
            try {
                Files.deleteIfExists(tmp);
            } finally {
                IN_FLIGHT.remove(tmp);
            }
        }
    }
}
