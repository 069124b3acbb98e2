package org.flowbench.views.lab;

import org.flowbench.views.figure.FigureSpec;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One entry of the lab list: what the shell needs to show a lab in the navigator, build it on
 * its first visit, and export its figures headless without building it.
 *
 * @param id      stable identifier ("trajectories"), also the lesson file assets/lessons/&lt;id&gt;.md
 * @param title   name in the navigator
 * @param factory builds the lab for the window
 * @param figures the figures {@code flowbench export} can draw for this lab
 * @param opens   what the lab opens from File > Open and drops: checkpoint kinds (metadata
 *                {@code kind}), and file name endings beginning with '.' (e.g. ".tsv") that its
 *                {@link Lab#open} reads
 */
public record LabDescriptor(String id, String title, Function<LabContext, Lab> factory, List<FigureSpec> figures,
                            List<String> opens) {

    public LabDescriptor {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(factory, "factory");
        figures = List.copyOf(figures);
        opens = List.copyOf(opens);
    }

    /** A lab that opens no checkpoint. */
    public LabDescriptor(String id, String title, Function<LabContext, Lab> factory, List<FigureSpec> figures) {
        this(id, title, factory, figures, List.of());
    }
}
