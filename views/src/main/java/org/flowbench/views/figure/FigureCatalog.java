package org.flowbench.views.figure;

import org.flowbench.views.trajectories.ProbabilityPathFigure;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The named figures that {@code flowbench export --figure NAME} and the export dialog offer.
 *
 * <p>Each entry is a name, a one-line description and a factory that builds the figure from a
 * seed and a theme. Labs add their figures with {@link #register}; the built-in ones are
 * registered when this class loads. Thread-safe.
 */
public final class FigureCatalog {

    /** Builds a figure for one seed and theme. */
    @FunctionalInterface
    public interface Factory {
        Figure create(long seed, FigureTheme theme);
    }

    /**
     * One catalogue entry.
     *
     * @param width  logical width the figure is laid out for, the default of exports
     * @param height logical height the figure is laid out for
     */
    public record Entry(String name, String description, int width, int height, Factory factory) {
    }

    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Map<String, Entry> ENTRIES = new TreeMap<>();

    static {
        register("probability-path",
                "samples of x_t = (1-t) x0 + t x1 at t = 0, 0.25, 0.5, 0.75, 1, N(0, I) to two moons, n = "
                        + ProbabilityPathFigure.DEFAULT_COUNT,
                ProbabilityPathFigure.PREFERRED_WIDTH, ProbabilityPathFigure.PREFERRED_HEIGHT,
                ProbabilityPathFigure::create);
        register("probability-path-ot",
                "the same path with optimal-transport pairs: x0 and x1 matched to minimise total squared distance, n = "
                        + ProbabilityPathFigure.DEFAULT_COUNT,
                ProbabilityPathFigure.PREFERRED_WIDTH, ProbabilityPathFigure.PREFERRED_HEIGHT,
                (seed, theme) -> ProbabilityPathFigure.create("ot", seed, theme));
    }

    private FigureCatalog() {
    }

    /**
     * Adds a figure under {@code name} (lower case words joined by hyphens, like "probability-path")
     * with the logical size it is laid out for.
     *
     * @throws IllegalArgumentException for a malformed name, one already taken, or a bad size
     */
    public static void register(String name, String description, int width, int height, Factory factory) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("figure name '" + name
                    + "' must be lower-case words joined by hyphens, like 'probability-path'");
        }
        if (description == null || description.isBlank() || factory == null) {
            throw new IllegalArgumentException("figure '" + name + "' needs a description and a factory");
        }
        FigureExporter.validate(ExportFormat.SVG, width, height, 1.0);
        synchronized (ENTRIES) {
            if (ENTRIES.containsKey(name)) {
                throw new IllegalArgumentException("figure '" + name + "' is already registered");
            }
            ENTRIES.put(name, new Entry(name, description.strip(), width, height, factory));
        }
    }

    /** The registered names in alphabetical order. */
    public static List<String> names() {
        synchronized (ENTRIES) {
            return List.copyOf(ENTRIES.keySet());
        }
    }

    /**
     * The one-line description of a figure.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static String describe(String name) {
        return entry(name).description();
    }

    /**
     * The whole entry of figure {@code name}, with its default export size.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static Entry entry(String name) {
        synchronized (ENTRIES) {
            Entry entry = name == null ? null : ENTRIES.get(name.strip());
            if (entry == null) {
                throw new IllegalArgumentException("unknown figure '" + name + "' (known: "
                        + String.join(", ", ENTRIES.keySet()) + ")");
            }
            return entry;
        }
    }

    /** Builds figure {@code name} for {@code seed} in the light theme. */
    public static Figure create(String name, long seed) {
        return create(name, seed, FigureTheme.LIGHT);
    }

    /**
     * Builds figure {@code name} for {@code seed} in {@code theme}.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static Figure create(String name, long seed, FigureTheme theme) {
        Entry entry = entry(name);
        return entry.factory().create(seed, theme == null ? FigureTheme.LIGHT : theme);
    }
}
