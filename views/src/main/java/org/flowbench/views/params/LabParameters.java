package org.flowbench.views.params;

import javafx.beans.Observable;
import javafx.beans.value.ChangeListener;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The ordered parameters of one lab, as the inspector shows them and a session stores them. */
public final class LabParameters {

    private final List<Parameter<?>> parameters;

    public LabParameters(List<Parameter<?>> parameters) {
        this.parameters = List.copyOf(parameters);
    }

    public static LabParameters none() {
        return new LabParameters(List.of());
    }

    public List<Parameter<?>> all() {
        return parameters;
    }

    public Parameter<?> byKey(String key) {
        for (Parameter<?> p : parameters) {
            if (p.key().equals(key)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no parameter '" + key + "'");
    }

    /** Current values by key, in order; enums as their names (what a session file stores). */
    public Map<String, Object> values() {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Parameter<?> p : parameters) {
            Object v = p.get();
            values.put(p.key(), v instanceof Enum<?> e ? e.name() : v);
        }
        return Collections.unmodifiableMap(values);
    }

    /**
     * Applies stored values all or nothing: every value is checked first, and if any is bad,
     * nothing changes and the problems come back as one line. Unknown keys are ignored (a
     * session from a build with more parameters still opens).
     */
    public void applyAll(Map<String, ?> stored) {
        String problems = problems(stored);
        if (problems != null) {
            throw new IllegalArgumentException(problems);
        }
        for (Map.Entry<String, ?> entry : stored.entrySet()) {
            for (Parameter<?> p : parameters) {
                if (p.key().equals(entry.getKey())) {
                    p.trySet(entry.getValue());
                }
            }
        }
    }

    /**
     * What {@link #applyAll} would refuse in {@code stored}, as one line ("Name: reason; ..."),
     * or null when every known value is valid. Changes nothing.
     */
    public String problems(Map<String, ?> stored) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, ?> entry : stored.entrySet()) {
            for (Parameter<?> p : parameters) {
                if (p.key().equals(entry.getKey())) {
                    String problem = p.check(entry.getValue());
                    if (problem != null) {
                        problems.add(p.name() + ": " + problem);
                    }
                }
            }
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    /** Calls {@code onChange} whenever any parameter changes. */
    public void addListener(Runnable onChange) {
        ChangeListener<Object> listener = (obs, old, now) -> onChange.run();
        for (Parameter<?> p : parameters) {
            p.valueProperty().addListener(listener);
        }
    }

    /** The observables, for bindings that depend on every parameter. */
    public Observable[] observables() {
        return parameters.stream().map(Parameter::valueProperty).toArray(Observable[]::new);
    }
}
