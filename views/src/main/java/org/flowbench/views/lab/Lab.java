package org.flowbench.views.lab;

import javafx.scene.Node;
import org.flowbench.views.figure.Figure;
import org.flowbench.views.params.LabParameters;

import java.util.Optional;

/** A lab as the application shell hosts it: a page, its parameters, and the figure it exports. */
public interface Lab {

    /** Stable identifier stored in sessions, e.g. "trajectories". */
    String id();

    /** Name shown in the navigator. */
    String title();

    /** The page shown in the central workspace. Built once, reused on every visit. */
    Node view();

    LabParameters parameters();

    /** What "Export figure..." writes: exactly what the page shows, drawn by the same routine. */
    Optional<Figure> currentFigure();

    /** Called when the user switches between the light and dark theme, so figures can follow. */
    default void setDarkTheme(boolean dark) {
    }
}
