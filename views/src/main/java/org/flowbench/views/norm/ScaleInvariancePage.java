package org.flowbench.views.norm;

import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.flowbench.views.lab.LabContext;

import java.util.List;

/**
 * The Scale invariance tab: a weight followed by a normalization, where only the weight's
 * direction matters. SGD, SGD with momentum, Adam, SGDP and AdamP run side by side on a toy loss
 * in the plane (the weight's path, ||w|| and the effective step lr / ||w||^2: Heo et al.), and a
 * random BatchNorm network is trained in gamma and beta only against the same network frozen
 * and the same network fully trained (Frankle et al.).
 *
 * <p>Set-up keys ({@link #applySetup}, lesson sections with {@code page=scale}):
 * {@code optimizer} (sgd, momentum, adam, sgdp, adamp: the one drawn on top), {@code lr},
 * {@code steps}, {@code momentum}, {@code wd} (weight decay), {@code noise}, {@code angle} (start
 * direction, degrees), {@code task} (moons, spirals), {@code width}, {@code depth},
 * {@code bn-steps}, {@code bn-lr}, {@code seed}, and {@code view} (path, norm, bn-only). For
 * example {@code optimizer=sgdp, lr=0.1, view=norm}. A bad value changes nothing and shows one
 * line naming the key.
 */
public final class ScaleInvariancePage extends PlaygroundPage<ScaleInvarianceView, ScaleInvarianceFigure, ScaleInvarianceModel> {

    public ScaleInvariancePage(LabContext context) {
        super(context, new ScaleInvarianceModel(context), new Names("Scale invariance", "scaleInvarianceCanvas",
                "scaleInvarianceStatus", "scaleCsvButton", "Save the numbers behind the current view as CSV",
                "Nothing computed yet to export"), List.of(ScaleInvarianceView.values()));
    }

    @Override
    Node settingsColumn() {
        ScaleInvarianceModel model = model();
        VBox controls = new VBox(6);
        controls.setPadding(new Insets(10));
        ComboBox<String> optimizer = new ComboBox<>();
        optimizer.getItems().setAll(model.optimizer().choices());
        optimizer.setId("optimizerChoice");
        // named as the legend names them (SGD + momentum, AdamP), the ids stay the session's values
        optimizer.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(String id) {
                return id == null ? "" : org.flowbench.compute.norm.invariance.InvarianceOptimizer.byId(id).label();
            }

            @Override
            public String fromString(String label) {
                return java.util.Arrays.stream(org.flowbench.compute.norm.invariance.InvarianceOptimizer.values())
                        .filter(o -> o.label().equals(label)).map(org.flowbench.compute.norm.invariance.InvarianceOptimizer::id)
                        .findFirst().orElse(null);
            }
        });
        optimizer.setMaxWidth(Double.MAX_VALUE);
        PlaygroundControls.bind(optimizer, model.optimizer());
        ComboBox<String> task = new ComboBox<>();
        task.getItems().setAll(model.task().choices());
        task.setId("taskChoice");
        task.setMaxWidth(Double.MAX_VALUE);
        PlaygroundControls.bind(task, model.task());
        Label toyHeader = new Label("Toy: w then a norm");
        toyHeader.setStyle("-fx-font-weight: bold;");
        toyHeader.setMinWidth(Region.USE_PREF_SIZE);
        Label bnHeader = new Label("BatchNorm only");
        bnHeader.setStyle("-fx-font-weight: bold;");
        bnHeader.setMinWidth(Region.USE_PREF_SIZE);
        controls.getChildren().addAll(
                toyHeader,
                PlaygroundControls.labelled("Highlighted optimizer", optimizer, model.optimizer().description()),
                PlaygroundControls.labelled("Learning rate", PlaygroundControls.realField(model.lr(), "lrField", model::reportProblem),
                        model.lr().description()),
                PlaygroundControls.labelled("Momentum", PlaygroundControls.realField(model.momentum(), "momentumField", model::reportProblem),
                        model.momentum().description()),
                PlaygroundControls.labelled("Weight decay", PlaygroundControls.realField(model.weightDecay(), "wdField", model::reportProblem),
                        model.weightDecay().description()),
                PlaygroundControls.labelled("Gradient noise", PlaygroundControls.realField(model.noise(), "noiseField", model::reportProblem),
                        model.noise().description()),
                PlaygroundControls.labelled("Start angle", PlaygroundControls.realField(model.angle(), "angleField", model::reportProblem),
                        model.angle().description()),
                PlaygroundControls.labelled("Steps", PlaygroundControls.spinner(model.steps(), 1, 5000, "stepsSpinner"),
                        model.steps().description()),
                bnHeader,
                PlaygroundControls.labelled("Task", task, model.task().description()),
                PlaygroundControls.labelled("Width", PlaygroundControls.spinner(model.width(), 2, 256, "widthSpinner"),
                        model.width().description()),
                PlaygroundControls.labelled("Depth", PlaygroundControls.spinner(model.depth(), 1, 4, "depthSpinner"),
                        model.depth().description()),
                PlaygroundControls.labelled("Training steps", PlaygroundControls.spinner(model.bnSteps(), 1, 3000,
                        "bnStepsSpinner"), model.bnSteps().description()),
                PlaygroundControls.labelled("Training lr", PlaygroundControls.realField(model.bnLr(), "bnLrField", model::reportProblem),
                        model.bnLr().description()),
                PlaygroundControls.labelled("Seed", PlaygroundControls.seedField(model.seed(), "scaleSeedField", model::reportProblem),
                        model.seed().description()));
        ScrollPane scroll = new ScrollPane(controls);
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        scroll.setPrefWidth(230);
        scroll.setMinWidth(210);
        return scroll;
    }

    /** Busy while either job runs. */
    @Override
    List<Node> viewBarExtras() {
        ProgressIndicator busy = new ProgressIndicator();
        busy.setPrefSize(22, 22);
        busy.visibleProperty().bind(model().runningProperty());
        return List.of(busy);
    }

    @Override
    String table(ScaleInvarianceFigure figure) {
        return ScaleInvarianceCsv.table(figure);
    }

    @Override
    String tableName(ScaleInvarianceFigure figure) {
        return ScaleInvarianceFigures.name(figure.view());
    }
}
