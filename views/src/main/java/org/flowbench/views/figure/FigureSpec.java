package org.flowbench.views.figure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A figure that can be drawn without a window, with the parameters it accepts: what
 * {@code flowbench export --figure NAME --set key=value} and the export dialog offer. Each lab
 * lists its specs in its {@code LabDescriptor}; nothing here knows any lab.
 *
 * @param name        lower-case words joined by hyphens ("probability-path")
 * @param description one line for {@code export --list}
 * @param width       logical width the figure is laid out for, the default of exports
 * @param height      logical height the figure is laid out for
 * @param parameters  the keys {@code --set} accepts, with their defaults
 * @param factory     draws the figure for a set of values and a theme
 */
public record FigureSpec(String name, String description, int width, int height, List<Parameter> parameters,
                         Factory factory) {

    /** Builds the figure; throws IllegalArgumentException (naming the key) for a bad value. */
    @FunctionalInterface
    public interface Factory {
        Figure create(Values values, FigureTheme theme) throws Exception;
    }

    /** One key of {@code --set}, its default (as typed on the command line) and what it does. */
    public record Parameter(String key, String defaultValue, String description) {
        public Parameter {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(defaultValue, "defaultValue");
            Objects.requireNonNull(description, "description");
        }
    }

    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    /** The key every figure accepts: the seed of its random draws. */
    public static final Parameter SEED = new Parameter("seed", "7", "seed of every random draw");

    public FigureSpec {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("figure name '" + name
                    + "' must be lower-case words joined by hyphens, like 'probability-path'");
        }
        if (description == null || description.isBlank() || factory == null) {
            throw new IllegalArgumentException("figure '" + name + "' needs a description and a factory");
        }
        FigureExporter.validate(ExportFormat.SVG, width, height, 1.0);
        List<Parameter> all = new ArrayList<>(parameters);
        if (all.stream().noneMatch(p -> p.key().equals(SEED.key()))) {
            all.add(0, SEED);
        }
        if (all.stream().map(Parameter::key).distinct().count() != all.size()) {
            throw new IllegalArgumentException("figure '" + name + "' names a parameter twice");
        }
        parameters = List.copyOf(all);
        description = description.strip();
    }

    /** Defaults overlaid with {@code set}; an unknown key is refused, naming the keys that exist. */
    public Values values(Map<String, String> set) {
        Map<String, String> merged = new LinkedHashMap<>();
        for (Parameter p : parameters) {
            merged.put(p.key(), p.defaultValue());
        }
        for (Map.Entry<String, String> e : set.entrySet()) {
            if (!merged.containsKey(e.getKey())) {
                throw new IllegalArgumentException("figure '" + name + "' has no parameter '" + e.getKey()
                        + "' (it has: " + String.join(", ", merged.keySet()) + ")");
            }
            merged.put(e.getKey(), e.getValue());
        }
        return new Values(name, merged);
    }

    /** Draws the figure for {@code set} (over the defaults) in {@code theme}. */
    public Figure create(Map<String, String> set, FigureTheme theme) throws Exception {
        return factory.create(values(set), theme == null ? FigureTheme.LIGHT : theme);
    }

    /** The values of one drawing, read with typed getters whose errors name the key. */
    public static final class Values {
        private final String figure;
        private final Map<String, String> values;

        Values(String figure, Map<String, String> values) {
            this.figure = figure;
            this.values = Map.copyOf(values);
        }

        public String text(String key) {
            String v = values.get(key);
            if (v == null) {
                throw new IllegalArgumentException("figure '" + figure + "' has no parameter '" + key + "'");
            }
            return v.strip();
        }

        public long seed() {
            long seed = longValue(SEED.key());
            if (seed < 0) {
                throw bad(SEED.key(), "must not be negative");
            }
            return seed;
        }

        public long longValue(String key) {
            try {
                return Long.parseLong(text(key));
            } catch (NumberFormatException e) {
                throw bad(key, "must be a whole number");
            }
        }

        public int integer(String key, int min, int max) {
            long v = longValue(key);
            if (v < min || v > max) {
                throw bad(key, "must be between " + min + " and " + max);
            }
            return (int) v;
        }

        public double real(String key, double min, double max) {
            double v;
            try {
                v = Double.parseDouble(text(key));
            } catch (NumberFormatException e) {
                throw bad(key, "must be a number");
            }
            if (!(v >= min && v <= max)) {
                throw bad(key, "must be between " + min + " and " + max);
            }
            return v;
        }

        public boolean bool(String key) {
            String v = text(key).toLowerCase(Locale.ROOT);
            if (v.equals("true") || v.equals("yes") || v.equals("on")) {
                return true;
            }
            if (v.equals("false") || v.equals("no") || v.equals("off")) {
                return false;
            }
            throw bad(key, "must be true or false");
        }

        /** A comma-separated list; empty for an empty value. */
        public List<String> list(String key) {
            String v = text(key);
            return v.isEmpty() ? List.of() : List.of(v.split("\\s*,\\s*"));
        }

        private IllegalArgumentException bad(String key, String rule) {
            return new IllegalArgumentException("figure '" + figure + "': " + key + " " + rule + " (got '"
                    + values.get(key) + "')");
        }
    }
}
