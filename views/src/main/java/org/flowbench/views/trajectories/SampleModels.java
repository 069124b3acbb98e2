package org.flowbench.views.trajectories;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

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
        String configured = System.getProperty("flowbench.samples");
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured);
        }
        Path dir = Paths.get("").toAbsolutePath();
        for (int up = 0; up < 4 && dir != null; up++, dir = dir.getParent()) {
            Path candidate = dir.resolve("samples");
            if (Files.isRegularFile(candidate.resolve(CURVED))) {
                return candidate;
            }
        }
        return Paths.get("samples");
    }
}
