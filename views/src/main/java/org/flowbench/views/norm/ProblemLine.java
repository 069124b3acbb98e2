package org.flowbench.views.norm;

import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * A page's one-line problem (bad settings, a failed run), or null. A typed value the inspector
 * refused shows here until a valid edit clears it; clearing leaves other problems alone.
 */
final class ProblemLine {

    private final ReadOnlyStringWrapper line;
    private boolean refusalShown;

    ProblemLine(Object bean) {
        this.line = new ReadOnlyStringWrapper(bean, "problem");
    }

    ReadOnlyStringProperty property() {
        return line.getReadOnlyProperty();
    }

    void set(String problem) {
        line.set(problem);
    }

    /** Shows a refused typed value's one-line reason; null clears an earlier refusal. */
    void reportRefusal(String reason) {
        if (reason != null) {
            line.set(reason);
            refusalShown = true;
        } else if (refusalShown) {
            line.set(null);
            refusalShown = false;
        }
    }
}
