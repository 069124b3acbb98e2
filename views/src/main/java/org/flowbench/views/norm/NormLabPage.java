package org.flowbench.views.norm;

import javafx.scene.Node;
import org.flowbench.views.figure.Figure;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * One page (tab) of the Normalization &amp; depth lab: its own parameters, jobs and figures. The
 * lab shows the pages as tabs, forwards its lifecycle to them and hands each lesson set-up to the
 * page it names ({@code page=depth|sweep|layers|scale}).
 */
interface NormLabPage {

    /** The tab's title. */
    String title();

    /** The page, built once. */
    Node node();

    /** What "Export figure..." writes while this tab is selected. */
    Optional<Figure> currentFigure();

    /** Applies a lesson section's set-up keys (all of them; the {@code page} key is already consumed). */
    void applySetup(Map<String, String> setup);

    /** What a session keeps of this page (JSON values), file paths relative to {@code sessionFolder}. */
    Map<String, Object> viewState(Path sessionFolder);

    /** Restores {@link #viewState}; malformed entries are skipped. */
    void restoreViewState(Map<String, Object> state, Path sessionFolder);

    /** The tab came on screen (pages that animate nothing keep this default). */
    default void onShown() {
    }

    /** The tab left the screen: animations stop. */
    default void onHidden() {
    }

    /** Cancels jobs and releases what the page holds. */
    void close();
}
