package org.flowbench.views.poincare;

import org.flowbench.views.lab.SampleFolder;

import java.nio.file.Path;

/**
 * Finds the lab's bundled files ({@code samples/poincare/}): under the {@code flowbench.samples}
 * system property when set, else under {@code samples/} in the working directory or one of its
 * parents (running from the repository or from a module folder).
 */
public final class PoincareSamples {

    /** The WordNet mammal closure: 1,180 nodes, 6,540 (hyponym, hypernym) rows. */
    public static final String CLOSURE = "mammal_closure.csv";
    /** A Poincaré embedding of the closure at dimension 2 (see samples/poincare/README.md). */
    public static final String EMBEDDING_2D = "mammal-poincare-2d.safetensors";
    /** The same at dimension 5, the reference setting. */
    public static final String EMBEDDING_5D = "mammal-poincare-5d.safetensors";

    private PoincareSamples() {
    }

    /** The folder holding the closure and the embeddings. */
    public static Path folder() {
        return SampleFolder.find("poincare", CLOSURE);
    }

    public static Path closure() {
        return folder().resolve(CLOSURE);
    }

    public static Path embedding(int dim) {
        return folder().resolve(dim == 5 ? EMBEDDING_5D : EMBEDDING_2D);
    }
}
