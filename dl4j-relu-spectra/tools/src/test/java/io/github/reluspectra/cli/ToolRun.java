package io.github.reluspectra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of {@code relu-spectra}: exit code and what it printed, with the error policy's checks. */
record ToolRun(int code, String out, String err) {

    static ToolRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ReluSpectraCli.run(args, new PrintWriter(out), new PrintWriter(err));
        return new ToolRun(code, out.toString(), err.toString());
    }

    /** Exit 2, the message, and the help command on a second line. */
    static void assertUsage(ToolRun r, String message) {
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains(message).doesNotContain("\tat ");
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(2);
    }

    /** Exit 3 and the message, on one line. */
    static void assertInput(ToolRun r, String message) {
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.INPUT);
        assertThat(r.err()).contains(message).doesNotContain("\tat ");
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
    }
}
