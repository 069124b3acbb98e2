package org.flowbench.app.session;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a session file holds: the lab on screen and every lab's parameters (values as stored:
 * numbers, booleans, strings, enum names).
 */
public record Session(String currentLab, Map<String, Map<String, Object>> labParameters) {

    public Session {
        Objects.requireNonNull(currentLab, "currentLab");
        Map<String, Map<String, Object>> copy = new LinkedHashMap<>();
        labParameters.forEach((lab, values) -> copy.put(lab, Map.copyOf(values)));
        labParameters = Map.copyOf(copy);
    }
}
