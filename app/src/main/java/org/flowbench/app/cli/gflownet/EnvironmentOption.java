package org.flowbench.app.cli.gflownet;

import picocli.CommandLine.Option;

/** The {@code --env} option of the commands that build an environment from its spec (train-gfn, gfn-exact). */
final class EnvironmentOption {

    @Option(names = "--env", paramLabel = "ENV", required = true,
            description = "hypergrid:D=2,H=8[,R0=0.1,R1=0.5,R2=2] or sets:U=30,S=20[,energy_seed=0].")
    String spec;

    /** The environment spec as given; {@code Environments.parse} checks it. */
    String spec() {
        return spec;
    }
}
