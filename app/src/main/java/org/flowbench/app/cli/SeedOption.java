package org.flowbench.app.cli;

import picocli.CommandLine.Option;

/**
 * The {@code --seed} option of commands whose every random draw (data, initialisation, batches)
 * comes from one seed. Commands whose seed covers less say what in an option of their own.
 */
public final class SeedOption {

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed of every random draw (default: ${DEFAULT-VALUE}).")
    long seed;

    public long seed() {
        return seed;
    }
}
