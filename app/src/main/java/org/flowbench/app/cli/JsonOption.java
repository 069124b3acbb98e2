package org.flowbench.app.cli;

import picocli.CommandLine.Option;

/**
 * The {@code --json} option: one JSON object on stdout instead of the plain report. Its help
 * names the plain report it replaces, so there is one mixin per kind of plain report.
 */
public final class JsonOption {

    private JsonOption() {
    }

    /** For commands whose plain report is {@code name value} lines. */
    public static final class InsteadOfLines {

        @Option(names = "--json", description = "Print one JSON object instead of 'name value' lines.")
        boolean json;

        public boolean requested() {
            return json;
        }
    }

    /** For commands whose plain report is a table. */
    public static final class InsteadOfTable {

        @Option(names = "--json", description = "Print one JSON object instead of a table.")
        boolean json;

        public boolean requested() {
            return json;
        }
    }
}
