package org.flowbench.app.cli;

import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code --force} option of the commands that write a single {@code --out} file of their own
 * format (train-lm, sweep-lm, wordnet-glosses, wordnet-closure, embed). Commands that write
 * checkpoints or CSV next to inputs of the same run use {@link OverwriteOption} instead.
 */
public final class ReplaceOutOption {

    @Option(names = "--force", description = "Replace --out if it exists.")
    boolean force;

    public boolean force() {
        return force;
    }

    /**
     * Refuses to go on when {@code out} exists and {@code --force} was not given.
     *
     * @throws IllegalArgumentException naming the file and the way out
     */
    public void refuseExisting(Path out) {
        if (Files.exists(out) && !force) {
            throw new IllegalArgumentException(out + " exists; pass --force to replace it");
        }
    }
}
