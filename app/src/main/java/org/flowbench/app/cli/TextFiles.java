package org.flowbench.app.cli;

import org.flowbench.compute.checkpoint.AtomicFiles;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/** Text output of the commands (CSV, schedules, corpora): UTF-8 with '\n' line ends, written atomically. */
public final class TextFiles {

    private TextFiles() {
    }

    /** Writes the text of a file; line ends are the writer's to choose ('\n'). */
    @FunctionalInterface
    public interface Body {
        void write(Writer w) throws IOException;
    }

    /** The bytes of {@code text} in UTF-8, for {@link AtomicFiles} or {@code OutputFiles}. */
    public static AtomicFiles.Body utf8(Body text) {
        return out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            text.write(w);
            w.flush();
        };
    }
}
