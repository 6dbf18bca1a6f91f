package io.github.reluspectra.results;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * What produced a result: carried with every listener record and written into every JSON document, so that a
 * number can be traced back to its code and settings.
 *
 * @param library        {@value #LIBRARY}
 * @param libraryVersion this library's version
 * @param dl4jVersion    the DL4J version this library was built against
 * @param created        when the result was produced (ISO-8601, UTC, milliseconds)
 * @param seed           the run's seed where a run has one (the demo's, a tool's {@code --seed}), or null; the
 *                       options carry the seeds of each computation
 * @param options        the options of the computation, by name (option records, in the order given)
 */
public record Provenance(
        String library,
        String libraryVersion,
        String dl4jVersion,
        String created,
        Long seed,
        Map<String, Object> options)
        implements Serializable {

    public static final String LIBRARY = "dl4j-relu-spectra";
    private static final Properties VERSIONS = versions();

    public Provenance {
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /** Provenance of a result produced now with these options. */
    public static Provenance of(Long seed, Map<String, ?> options) {
        return new Provenance(
                LIBRARY,
                VERSIONS.getProperty("library.version"),
                VERSIONS.getProperty("dl4j.version"),
                Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(),
                seed,
                new LinkedHashMap<>(options));
    }

    private static Properties versions() {
        Properties p = new Properties();
        try (InputStream in = Provenance.class.getResourceAsStream("/io/github/reluspectra/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the library's version.properties", e);
        }
        return p;
    }

    @Override
    public String toString() {
        return LIBRARY + " " + libraryVersion + " (DL4J " + dl4jVersion + "), " + created
                + (seed == null ? "" : ", seed " + seed);
    }
}
