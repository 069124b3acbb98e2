package org.flowbench.views.norm;

import org.flowbench.views.lab.SampleFolder;

import java.nio.file.Path;
import java.util.List;

/**
 * The recorded runs and the sweep this lab opens with ({@code samples/norm/}): the
 * {@code flowbench.samples} system property when set, else {@code samples/} in the working
 * directory or one of its parents (running from the repository or from a module folder).
 */
public final class NormSamples {

    /** The depth runs shown when the lab opens, one per placement: Post-LN, Pre-LN, Peri-LN. */
    public static final List<String> DEPTH_RUNS = List.of("depth-post.safetensors", "depth-pre.safetensors",
            "depth-peri.safetensors");
    /** The sweep shown when the lab opens. */
    public static final String SWEEP = "sweep.csv";

    private NormSamples() {
    }

    /** The {@code samples/norm} folder. */
    public static Path folder() {
        return SampleFolder.find("norm", SWEEP);
    }

    /** The sample run of a placement label (post, pre, peri), or null when none is shipped. */
    public static Path depthRun(String placement) {
        String name = "depth-" + placement + ".safetensors";
        return DEPTH_RUNS.contains(name) ? folder().resolve(name) : null;
    }
}
