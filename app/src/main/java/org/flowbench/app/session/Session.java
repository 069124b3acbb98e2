package org.flowbench.app.session;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a session file holds: the lab on screen, every visited lab's parameters (values as
 * stored: numbers, booleans, strings, enum names), what each lab shows beyond its parameters
 * (loaded checkpoints, time, zoom: JSON values), and the window's theme.
 *
 * @param theme "light", "dark", or null when the file does not say
 */
public record Session(String currentLab, Map<String, Map<String, Object>> labParameters,
                      Map<String, Map<String, Object>> labViews, String theme) {

    public Session {
        Objects.requireNonNull(currentLab, "currentLab");
        labParameters = copy(labParameters);
        labViews = copy(labViews);
    }

    /** A session of parameters only. */
    public Session(String currentLab, Map<String, Map<String, Object>> labParameters) {
        this(currentLab, labParameters, Map.of(), null);
    }

    private static Map<String, Map<String, Object>> copy(Map<String, Map<String, Object>> byLab) {
        Map<String, Map<String, Object>> copy = new LinkedHashMap<>();
        byLab.forEach((lab, values) -> copy.put(lab, Map.copyOf(values)));
        return Map.copyOf(copy);
    }
}
