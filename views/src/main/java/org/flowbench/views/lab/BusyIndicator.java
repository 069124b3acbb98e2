package org.flowbench.views.lab;

import javafx.beans.value.ObservableValue;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.layout.StackPane;

/** The small spinner in the top right corner of a lab's figure while any of its jobs runs. */
public final class BusyIndicator {

    private BusyIndicator() {
    }

    /**
     * A spinner, shown while {@code busy} holds, for a {@link StackPane} over a figure: in its top
     * right corner and transparent to the mouse, so the figure under it keeps its clicks.
     */
    public static ProgressIndicator corner(ObservableValue<Boolean> busy) {
        ProgressIndicator spinner = new ProgressIndicator();
        spinner.setMaxSize(30, 30);
        spinner.visibleProperty().bind(busy);
        spinner.setMouseTransparent(true);
        StackPane.setAlignment(spinner, Pos.TOP_RIGHT);
        StackPane.setMargin(spinner, new Insets(8));
        return spinner;
    }
}
