package org.flowbench.views.figure;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The named figures that {@code flowbench export --figure NAME} and the export dialog offer: the
 * {@link FigureSpec}s of every lab, gathered by the shell from its lab list. Immutable.
 */
public final class FigureCatalog {

    private final Map<String, FigureSpec> specs = new TreeMap<>();

    /** @throws IllegalArgumentException when two specs share a name */
    public FigureCatalog(Collection<FigureSpec> specs) {
        for (FigureSpec spec : specs) {
            if (this.specs.put(spec.name(), spec) != null) {
                throw new IllegalArgumentException("figure '" + spec.name() + "' is registered twice");
            }
        }
    }

    /** The names in alphabetical order. */
    public List<String> names() {
        return List.copyOf(specs.keySet());
    }

    /** Every spec, by name. */
    public List<FigureSpec> specs() {
        return List.copyOf(specs.values());
    }

    /**
     * The spec of figure {@code name}.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public FigureSpec spec(String name) {
        FigureSpec spec = name == null ? null : specs.get(name.strip());
        if (spec == null) {
            throw new IllegalArgumentException("unknown figure '" + name + "' (known: " + String.join(", ", specs.keySet()) + ")");
        }
        return spec;
    }
}
