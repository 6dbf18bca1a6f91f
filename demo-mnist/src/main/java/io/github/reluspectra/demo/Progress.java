package io.github.reluspectra.demo;

import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress lines for the long steps, so that nothing sits silent for more than a few seconds: a heartbeat with
 * the elapsed time while a step runs, batch counts inside long epochs, and estimates of the time left.
 */
final class Progress implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("demo");
    static final long HEARTBEAT_SECONDS = 5;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "demo-progress");
        t.setDaemon(true);
        return t;
    });

    /** Runs a step, logging "still ..." every few seconds until it is done. */
    <T> T step(String what, Callable<T> work) throws Exception {
        long start = System.nanoTime();
        ScheduledFuture<?> beat = timer.scheduleAtFixedRate(
                () -> log.info("  ... {} ({} s)", what, Math.round(seconds(start))),
                HEARTBEAT_SECONDS,
                HEARTBEAT_SECONDS,
                TimeUnit.SECONDS);
        try {
            return work.call();
        } finally {
            beat.cancel(false);
        }
    }

    /** Time left after {@code done} of {@code total} equal units took {@code elapsed} seconds. */
    static String eta(int done, int total, double elapsed) {
        if (done == 0) {
            return "?";
        }
        return duration(elapsed / done * (total - done));
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s < 60 ? s + " s" : String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Logs the batch count inside an epoch at most every few seconds, with the epoch's time left. */
    static BaseTrainingListener batches(String what, int batchesPerEpoch) {
        return new BaseTrainingListener() {
            private long epochStart = System.nanoTime();
            private long last = epochStart;
            private int batch;

            @Override
            public void onEpochStart(Model model) {
                epochStart = System.nanoTime();
                last = epochStart;
                batch = 0;
            }

            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                batch++;
                long now = System.nanoTime();
                if (now - last >= TimeUnit.SECONDS.toNanos(HEARTBEAT_SECONDS) && batch < batchesPerEpoch) {
                    last = now;
                    log.info(
                            "  {}: batch {}/{}, about {} left in this epoch",
                            what,
                            batch,
                            batchesPerEpoch,
                            eta(batch, batchesPerEpoch, seconds(epochStart)));
                }
            }
        };
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
