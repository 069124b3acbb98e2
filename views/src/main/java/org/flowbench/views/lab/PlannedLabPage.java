package org.flowbench.views.lab;

import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.VBox;
import org.flowbench.views.figure.Figure;
import org.flowbench.views.params.LabParameters;

import java.util.List;
import java.util.Optional;

/**
 * The honest page of a lab that is not built yet: it says what the lab will show and on which
 * published results it rests, and shows no invented content.
 */
public final class PlannedLabPage implements Lab {

    private final String id;
    private final String title;
    private final String summary;
    private final List<String> willShow;
    private Node view;

    public PlannedLabPage(String id, String title, String summary, List<String> willShow) {
        this.id = id;
        this.title = title;
        this.summary = summary;
        this.willShow = List.copyOf(willShow);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public Node view() {
        if (view == null) {
            Label heading = new Label(title);
            heading.getStyleClass().add("page-title");
            Label status = new Label("This lab is not built yet. Nothing on this page is computed.");
            status.getStyleClass().add("page-status");
            Label text = new Label(summary);
            text.setWrapText(true);
            text.getStyleClass().add("page-text");
            VBox box = new VBox(12, heading, status, text, new Label("When it is built, it will show:"));
            for (String item : willShow) {
                Label bullet = new Label("\u2022 " + item);
                bullet.setWrapText(true);
                bullet.getStyleClass().add("page-text");
                box.getChildren().add(bullet);
            }
            box.setPadding(new Insets(24));
            box.setMaxWidth(760);
            box.setId("planned-" + id);
            ScrollPane scroll = new ScrollPane(box);
            scroll.setFitToWidth(true);
            view = scroll;
        }
        return view;
    }

    @Override
    public LabParameters parameters() {
        return LabParameters.none();
    }

    @Override
    public Optional<Figure> currentFigure() {
        return Optional.empty();
    }
}
