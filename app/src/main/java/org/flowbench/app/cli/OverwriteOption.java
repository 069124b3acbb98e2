package org.flowbench.app.cli;

import picocli.CommandLine.Option;

/** The {@code --force} option of every command that writes: without it an existing file is never replaced. */
public final class OverwriteOption {

    @Option(names = "--force", description = "Replace the output file(s) if they exist (never an input of the same run).")
    boolean force;

    public boolean force() {
        return force;
    }
}
