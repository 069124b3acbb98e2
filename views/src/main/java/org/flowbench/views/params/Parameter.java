package org.flowbench.views.params;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

import java.util.Objects;
import java.util.function.Function;

/**
 * One named, validated parameter of a lab. Its value property only ever holds valid values:
 * {@link #trySet} checks first and returns the problem instead of storing a bad value.
 *
 * @param <T> Integer, Long, Double, Boolean, String or an enum
 */
public final class Parameter<T> {

    private final String key;
    private final String name;
    private final String category;
    private final String description;
    private final Class<T> type;
    private final Function<T, String> validator;
    private final ObjectProperty<T> value;
    private java.util.List<T> choices = java.util.List.of();
    private Function<T, String> shownAs = String::valueOf;

    private Parameter(String key, String name, String category, String description, Class<T> type,
                      T initial, Function<T, String> validator) {
        this.key = Objects.requireNonNull(key);
        this.name = Objects.requireNonNull(name);
        this.category = Objects.requireNonNull(category);
        this.description = Objects.requireNonNull(description);
        this.type = Objects.requireNonNull(type);
        this.validator = validator == null ? v -> null : validator;
        String problem = this.validator.apply(initial);
        if (problem != null) {
            throw new IllegalArgumentException(name + ": " + problem);
        }
        this.value = new SimpleObjectProperty<>(this, key, initial);
    }

    public static <T> Parameter<T> of(String key, String name, String category, String description,
                                      Class<T> type, T initial, Function<T, String> validator) {
        return new Parameter<>(key, name, category, description, type, initial, validator);
    }

    /** An integer in [min, max]. */
    public static Parameter<Integer> integer(String key, String name, String category, String description,
                                             int initial, int min, int max) {
        return of(key, name, category, description, Integer.class, initial,
                v -> v == null ? "a whole number is required"
                        : v < min || v > max ? "must be between " + min + " and " + max + " (got " + v + ")" : null);
    }

    /** A seed: any non-negative long. */
    public static Parameter<Long> seed(String key, String name, String category, String description, long initial) {
        return of(key, name, category, description, Long.class, initial,
                v -> v == null ? "a seed is required" : v < 0 ? "must not be negative (got " + v + ")" : null);
    }

    /** A finite real in [min, max]. */
    public static Parameter<Double> real(String key, String name, String category, String description,
                                         double initial, double min, double max) {
        return of(key, name, category, description, Double.class, initial,
                v -> v == null || !Double.isFinite(v) ? "a finite number is required"
                        : v < min || v > max ? "must be between " + min + " and " + max + " (got " + v + ")" : null);
    }

    public static <E extends Enum<E>> Parameter<E> choice(String key, String name, String category, String description,
                                                          Class<E> type, E initial) {
        return of(key, name, category, description, type, initial, v -> v == null ? "a choice is required" : null);
    }

    /** A string chosen from a fixed list (shown as a drop-down in the inspector). */
    public static Parameter<String> oneOf(String key, String name, String category, String description,
                                          java.util.List<String> choices, String initial) {
        java.util.List<String> allowed = java.util.List.copyOf(choices);
        Parameter<String> p = of(key, name, category, description, String.class, initial,
                v -> v == null || !allowed.contains(v) ? "must be one of " + String.join(", ", allowed) + " (got " + v + ")" : null);
        p.choices = allowed;
        return p;
    }

    /**
     * Names each value as the inspector shows it (a choice's id "poincare" as "Poincaré"); the
     * values themselves, what sessions and the command line use, stay as they are.
     */
    public Parameter<T> shownAs(Function<T, String> label) {
        this.shownAs = Objects.requireNonNull(label);
        return this;
    }

    /** {@code value} as the inspector shows it. */
    public String shown(T value) {
        return value == null ? "" : shownAs.apply(value);
    }

    /** The allowed values of a choice parameter; empty for free-form ones. */
    public java.util.List<T> choices() {
        return choices;
    }

    /** Null when {@code candidate} would be accepted, else a one-line reason. */
    public String check(Object candidate) {
        T converted;
        try {
            converted = convert(candidate);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        return validator.apply(converted);
    }

    /** Stores the value if valid; returns null on success, else the one-line problem (value unchanged). */
    public String trySet(Object candidate) {
        T converted;
        try {
            converted = convert(candidate);
        } catch (IllegalArgumentException e) {
            return name + ": " + e.getMessage();
        }
        String problem = validator.apply(converted);
        if (problem != null) {
            return name + ": " + problem;
        }
        value.set(converted);
        return null;
    }

    /** Converts what a UI editor or a JSON file holds (a number of another width, a string) to T. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    T convert(Object candidate) {
        if (candidate == null) {
            return null;
        }
        if (type.isInstance(candidate)) {
            return type.cast(candidate);
        }
        try {
            if (type == Integer.class) {
                if (candidate instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                        && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE) {
                    return (T) Integer.valueOf(n.intValue());
                }
                return (T) Integer.valueOf(candidate.toString().trim());
            }
            if (type == Long.class) {
                if (candidate instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
                    return (T) Long.valueOf(n.longValue());
                }
                return (T) Long.valueOf(candidate.toString().trim());
            }
            if (type == Double.class) {
                return candidate instanceof Number n ? (T) Double.valueOf(n.doubleValue())
                        : (T) Double.valueOf(candidate.toString().trim());
            }
            if (type == Boolean.class) {
                String s = candidate.toString().trim();
                if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
                    return (T) Boolean.valueOf(s);
                }
            }
            if (type == String.class) {
                return (T) candidate.toString();
            }
            if (type.isEnum()) {
                return (T) Enum.valueOf((Class) type, candidate.toString().trim());
            }
        } catch (IllegalArgumentException e) {
            // Fall through to the message below: NumberFormatException and unknown enum names alike.
        }
        throw new IllegalArgumentException("'" + candidate + "' is not a valid " + typeName());
    }

    private String typeName() {
        if (type == Integer.class || type == Long.class) {
            return "whole number";
        }
        if (type == Double.class) {
            return "number";
        }
        if (type.isEnum()) {
            return "choice (one of " + java.util.Arrays.toString(type.getEnumConstants()) + ")";
        }
        return type.getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    public String key() {
        return key;
    }

    public String name() {
        return name;
    }

    public String category() {
        return category;
    }

    public String description() {
        return description;
    }

    public Class<T> type() {
        return type;
    }

    public T get() {
        return value.get();
    }

    /** Read-only view for bindings; writes go through {@link #trySet}. */
    public javafx.beans.value.ObservableValue<T> valueProperty() {
        return value;
    }
}
