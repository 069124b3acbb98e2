package org.flowbench.views.trajectories;

import org.flowbench.views.lab.SampleFolder;

import java.nio.file.Path;

/**
 * Finds the folder of bundled checkpoints ({@code samples/}): the {@code flowbench.samples}
 * system property when set, else {@code samples/} in the working directory or one of its parents
 * (running from the repository or from {@code app/}).
 */
public final class SampleModels {

    /** The curved model the lab opens on: rectified flow on independent pairs, N(0, I) to moons. */
    public static final String CURVED = "moons-1rf.safetensors";
    /** The straight one: the same flow after one reflow round. */
    public static final String STRAIGHT = "moons-2rf.safetensors";

    private SampleModels() {
    }

    /** The samples folder. */
    public static Path folder() {
        return SampleFolder.find("", CURVED);
    }
}
