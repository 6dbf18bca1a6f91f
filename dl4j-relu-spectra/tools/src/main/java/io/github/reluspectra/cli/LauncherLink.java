package io.github.reluspectra.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;

/**
 * The launcher's sign of life to the child JVM it started: a byte on the child's standard input every
 * {@value #BEAT_MILLIS} ms. A SIGKILL stops the launcher's threads at once, while its process takes milliseconds
 * more to end (long enough for a child that only asks whether its parent is alive to publish); so before it
 * publishes, the child waits for a beat written after it asked. End of input means the launcher has gone.
 */
final class LauncherLink {

    static final int BEAT_MILLIS = 5;
    /** A live launcher beats within milliseconds; this allows for long pauses of a loaded machine. */
    private static final long PATIENCE_SECONDS = 5;

    private final Object lock = new Object();
    private long reads;
    private boolean closed;

    private LauncherLink() {}

    /** In the launcher: beats into the child's standard input until the child ends (a daemon thread). */
    static void beat(Process child) {
        Thread beats = new Thread(
                () -> {
                    try (OutputStream out = child.getOutputStream()) {
                        while (child.isAlive()) {
                            out.write(0);
                            out.flush();
                            Thread.sleep(BEAT_MILLIS);
                        }
                    } catch (IOException | InterruptedException e) {
                        // The child has ended (its input is closed), or this JVM is going down.
                    }
                },
                "launcher-beat");
        beats.setDaemon(true);
        beats.start();
    }

    /**
     * In the child: reads the beats from {@code in} on a daemon thread; {@code onEnd} runs when they end (the
     * launcher has gone).
     */
    static LauncherLink listen(InputStream in, Runnable onEnd) {
        LauncherLink link = new LauncherLink();
        Thread reader = new Thread(
                () -> {
                    byte[] buffer = new byte[8192];
                    try {
                        while (in.read(buffer) >= 0) {
                            link.received(false);
                        }
                    } catch (IOException e) {
                        // As the end of input: nothing more will come.
                    }
                    link.received(true);
                    onEnd.run();
                },
                "launcher-link");
        reader.setDaemon(true);
        reader.start();
        return link;
    }

    private void received(boolean end) {
        synchronized (lock) {
            reads++;
            closed |= end;
            lock.notifyAll();
        }
    }

    /**
     * Whether the launcher wrote after this call began. Each read takes all that is waiting, so the second read
     * that completes after the call returns only bytes written after the first: proof that the launcher was
     * running then.
     */
    boolean launcherAnswers() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
        synchronized (lock) {
            long wanted = reads + 2;
            while (!closed && reads < wanted) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return !closed;
        }
    }
}
