package org.flowbench.views.lab;

import javafx.scene.Node;
import org.flowbench.views.figure.Figure;
import org.flowbench.views.params.LabParameters;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A lab as the application shell hosts it: a page, its parameters, and the figure it exports.
 * The shell builds a lab on its first visit (from its {@link LabDescriptor}), tells it when its
 * page is shown and hidden, and closes it when the application quits.
 */
public interface Lab extends AutoCloseable {

    /** Stable identifier stored in sessions, e.g. "trajectories". */
    String id();

    /** Name shown in the navigator. */
    String title();

    /** The page shown in the central workspace. Built once, reused on every visit. */
    Node view();

    LabParameters parameters();

    /** What "Export figure..." writes: exactly what the page shows, drawn by the same routine. */
    Optional<Figure> currentFigure();

    /** The page came on screen: animations may run. */
    default void onShown() {
    }

    /** The page left the screen: animations and timers stop. */
    default void onHidden() {
    }

    /**
     * Opens {@code file}, a checkpoint of a kind its descriptor lists, in the background; a bad
     * file leaves the lab as it was and says why.
     */
    default void open(Path file) {
        throw new UnsupportedOperationException(title() + " opens no files");
    }

    /**
     * What the lab shows beyond its parameters (loaded files, time, zoom), for a session saved in
     * {@code sessionFolder} (file paths relative to it; null when unknown). Values are JSON values:
     * numbers, strings, booleans, lists of them.
     */
    default Map<String, Object> viewState(Path sessionFolder) {
        return Map.of();
    }

    /** Restores what {@link #viewState} saved; entries that are missing, malformed or name missing files are skipped. */
    default void restoreViewState(Map<String, Object> state, Path sessionFolder) {
    }

    /** Releases models, devices and timers. Called once, when the application quits. */
    @Override
    default void close() {
    }
}
