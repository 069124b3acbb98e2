package org.flowbench.app.shell;

import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.concurrent.Task;
import javafx.geometry.Orientation;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TitledPane;
import javafx.scene.control.Tooltip;
import javafx.scene.input.DragEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.util.Duration;
import org.controlsfx.control.StatusBar;
import org.controlsfx.control.TaskProgressView;
import org.flowbench.views.device.DeviceSelection;
import org.flowbench.views.figure.FigureCanvas;
import org.flowbench.views.lab.Lab;
import org.flowbench.views.lab.LabDescriptor;
import org.flowbench.views.params.ParameterSheet;

import java.io.File;
import java.util.List;

/**
 * The main window: menus on top, the lab navigator on the left, the lab's page in the middle,
 * the inspector (parameters) on the right when the lab has any, a status bar at the bottom with
 * the running jobs.
 */
public final class MainWindow {

    public static final String TITLE = "Flowbench";
    /** The smallest window in which every lab's plots keep a usable size. */
    public static final double MIN_WIDTH = 800;
    public static final double MIN_HEIGHT = 560;
    /** Width of the inspector column, and the least it gives way to on a narrow window. */
    static final double SIDE_PANELS_WIDTH = 320;
    static final double SIDE_PANELS_MIN_WIDTH = 180;
    /** The lab navigator's width at actual size. */
    static final double NAVIGATOR_WIDTH = 180;

    private final Stage stage;
    private final ShellModel model;
    private final Settings settings;
    private final BorderPane root = new BorderPane();
    private final ListView<LabDescriptor> navigator = new ListView<>();
    private final StackPane workspace = new StackPane();
    private final ParameterSheet inspector = new ParameterSheet();
    private final TaskProgressView<Task<?>> jobs;
    private final SplitPane center = new SplitPane();
    private final TitledPane sidePanel = new TitledPane("Inspector", inspector);
    private final StatusBar statusBar = new StatusBar() {
        /** The skin measures its grid without a width, so a wrapped message would get one line; measure it at the bar's width. */
        @Override
        protected double computePrefHeight(double width) {
            double measured = super.computePrefHeight(width);
            if (width < 0 || getChildrenUnmodifiable().isEmpty()) {
                return measured;
            }
            double inside = width - snappedLeftInset() - snappedRightInset();
            return Math.max(measured, getChildrenUnmodifiable().get(0).prefHeight(inside) + snappedTopInset() + snappedBottomInset());
        }
    };
    private final Label deviceLabel = new Label();
    private final Label memoryLabel = new Label();
    private final ShellActions actions;
    private final Theme theme;

    public MainWindow(Stage stage, ShellModel model, Settings settings, TaskProgressView<Task<?>> jobs,
                      DeviceSelection devices) {
        this.stage = stage;
        this.model = model;
        this.settings = settings;
        this.jobs = jobs;
        this.theme = new Theme(root, settings);
        this.actions = new ShellActions(stage, model, settings, theme);
        // figures on screen grow with the controls: View > Zoom scales their text, lines and markers too
        FigureCanvas.sharedDisplayScale().bind(theme.zoomProperty());
        // and so do the side columns, whose labels and editors grow with the root font
        theme.zoomProperty().addListener((obs, before, now) -> sizeColumns());

        root.setId("mainWindow");
        root.setTop(new ShellMenus(actions, settings, devices).menuBar());
        root.setLeft(buildNavigator());
        root.setCenter(buildCenter());
        root.setBottom(buildStatusBar(devices));

        model.currentLabProperty().addListener((obs, old, lab) -> showLab(lab));
        showLab(model.currentLab());

        javafx.geometry.Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
        Scene scene = new Scene(root, Math.min(1440, screen.getWidth()), Math.min(900, screen.getHeight()));
        theme.apply();
        for (int i = 0; i < model.descriptors().size() && i < 9; i++) {
            String id = model.descriptors().get(i).id();
            scene.getAccelerators().put(javafx.scene.input.KeyCombination.keyCombination("Shortcut+" + (i + 1)),
                    () -> model.selectLab(id));
        }
        scene.setOnDragOver(this::acceptFiles);
        scene.setOnDragDropped(this::dropFiles);
        stage.setScene(scene);
        stage.setMinWidth(MIN_WIDTH);
        stage.setMinHeight(MIN_HEIGHT);
        stage.titleProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> model.sessionFileProperty().get() == null ? TITLE
                        : TITLE + " \u2014 " + model.sessionFileProperty().get().getFileName(),
                model.sessionFileProperty()));
        restoreBounds();
        stage.setOnCloseRequest(e -> actions.rememberWindow());
        stage.iconifiedProperty().addListener((obs, was, iconified) -> {
            if (iconified) {
                model.currentLab().onHidden();
            } else {
                model.currentLab().onShown();
            }
        });
    }

    public Parent root() {
        return root;
    }

    public ShellActions actions() {
        return actions;
    }

    private Parent buildNavigator() {
        navigator.setId("labNavigator");
        navigator.getItems().setAll(model.descriptors());
        navigator.setCellFactory(list -> new ListCell<>() {
            @Override
            protected void updateItem(LabDescriptor lab, boolean empty) {
                super.updateItem(lab, empty);
                setText(empty || lab == null ? null : lab.title());
                setId(empty || lab == null ? null : "nav-" + lab.id());
            }
        });
        navigator.getSelectionModel().select(descriptorOf(model.currentLab()));
        navigator.getSelectionModel().selectedItemProperty().addListener((obs, old, lab) -> {
            if (lab != null && !lab.id().equals(model.currentLab().id())) {
                model.selectLab(lab.id());
            }
        });
        Label heading = new Label("Labs");
        heading.getStyleClass().add("panel-heading");
        VBox box = new VBox(6, heading, navigator);
        box.getStyleClass().add("navigator");
        VBox.setVgrow(navigator, javafx.scene.layout.Priority.ALWAYS);
        return box;
    }

    private Parent buildCenter() {
        workspace.setId("workspace");
        workspace.getStyleClass().add("workspace");
        sidePanel.setId("sidePanels");
        sidePanel.setCollapsible(false);
        sidePanel.setMaxHeight(Double.MAX_VALUE);
        sizeColumns();
        workspace.setMinWidth(0);
        center.getItems().setAll(workspace, sidePanel);
        // The lab's page takes what the window gains; on a narrow window the inspector gives way first.
        center.widthProperty().addListener((obs, before, now) -> placeDivider());
        return center;
    }

    /** The navigator's and the inspector's widths: their sizes at actual size times the zoom. */
    private void sizeColumns() {
        double zoom = theme.zoom();
        navigator.setPrefWidth(NAVIGATOR_WIDTH * zoom);
        sidePanel.setPrefWidth(SIDE_PANELS_WIDTH * zoom);
        sidePanel.setMinWidth(SIDE_PANELS_MIN_WIDTH * zoom);
        sidePanel.setMaxWidth(SIDE_PANELS_WIDTH * zoom);
        placeDivider();
    }

    private void placeDivider() {
        double width = center.getWidth();
        if (width > 0 && center.getItems().size() > 1) {
            double zoom = theme.zoom();
            double side = Math.max(SIDE_PANELS_MIN_WIDTH * zoom, Math.min(SIDE_PANELS_WIDTH * zoom, 0.4 * width));
            center.setDividerPositions(1 - side / width);
        }
    }

    /** The inspector column is there only for a lab that has parameters in it. */
    private void showInspectorWhenUsed() {
        boolean used = !inspector.sheet().getItems().isEmpty();
        if (used && !center.getItems().contains(sidePanel)) {
            center.getItems().add(sidePanel);
            placeDivider();
        } else if (!used) {
            center.getItems().remove(sidePanel);
        }
    }

    private Parent buildStatusBar(DeviceSelection devices) {
        statusBar.setId("statusBar");
        statusBar.textProperty().bind(model.statusMessageProperty());
        Button details = new Button("Details\u2026");
        details.setId("failureDetails");
        details.setTooltip(new Tooltip("Show the full report of the last failure"));
        details.visibleProperty().bind(model.lastFailureProperty().isNotNull());
        details.managedProperty().bind(details.visibleProperty());
        details.setOnAction(e -> actions.showFailureDetails());
        deviceLabel.setId("deviceLabel");
        // The short name fits any window; the whole description (driver, threads, kernels) is the tooltip.
        deviceLabel.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> "Device: " + devices.selectedProperty().get(), devices.selectedProperty()));
        Tooltip deviceTip = new Tooltip();
        deviceTip.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> devices.describe() + "\nCompute device used by new jobs; change it in View > Compute device",
                devices.selectedProperty(), devices.selectedInfoProperty()));
        deviceLabel.setTooltip(deviceTip);
        memoryLabel.setId("memoryLabel");
        memoryLabel.setTooltip(new Tooltip("Java heap in use / maximum"));
        updateMemory();
        Timeline memory = new Timeline(new KeyFrame(Duration.seconds(2), e -> updateMemory()));
        memory.setCycleCount(Timeline.INDEFINITE);
        memory.play();
        statusBar.getLeftItems().add(details);
        statusBar.getRightItems().addAll(new JobsIndicator(jobs), new javafx.scene.control.Separator(Orientation.VERTICAL), deviceLabel, new javafx.scene.control.Separator(Orientation.VERTICAL), memoryLabel);
        // The message gives way (it wraps, base.css); the buttons and labels around it keep their width.
        details.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        for (javafx.scene.Node item : statusBar.getRightItems()) {
            if (item instanceof javafx.scene.layout.Region region) {
                region.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
            }
        }
        return statusBar;
    }

    private void updateMemory() {
        Runtime rt = Runtime.getRuntime();
        long used = (rt.totalMemory() - rt.freeMemory()) >> 20;
        long max = rt.maxMemory() >> 20;
        memoryLabel.setText("Memory: " + used + " / " + max + " MB");
    }

    private void showLab(Lab lab) {
        workspace.getChildren().setAll(lab.view());
        inspector.show(lab.parameters());
        showInspectorWhenUsed();
        if (navigator.getSelectionModel().getSelectedItem() != descriptorOf(lab)) {
            navigator.getSelectionModel().select(descriptorOf(lab));
        }
    }

    private LabDescriptor descriptorOf(Lab lab) {
        return model.descriptors().stream().filter(d -> d.id().equals(lab.id())).findFirst().orElseThrow();
    }

    private void acceptFiles(DragEvent event) {
        if (event.getDragboard().hasFiles()) {
            event.acceptTransferModes(TransferMode.COPY);
        }
        event.consume();
    }

    private void dropFiles(DragEvent event) {
        List<File> files = event.getDragboard().getFiles();
        boolean done = files != null && !files.isEmpty();
        if (done) {
            Platform.runLater(() -> actions.openFile(files.get(0).toPath()));
        }
        event.setDropCompleted(done);
        event.consume();
    }

    private void restoreBounds() {
        double[] b = settings.windowBounds();
        javafx.geometry.Rectangle2D visible = javafx.stage.Screen.getPrimary().getVisualBounds();
        if (b == null) {
            // First run: a generous window that still fits the screen.
            stage.setWidth(Math.min(1440, visible.getWidth()));
            stage.setHeight(Math.min(900, visible.getHeight()));
            stage.centerOnScreen();
            return;
        }
        stage.setWidth(Math.min(b[2], visible.getWidth()));
        stage.setHeight(Math.min(b[3], visible.getHeight()));
        if (Double.isFinite(b[0]) && Double.isFinite(b[1])
                && !javafx.stage.Screen.getScreensForRectangle(b[0], b[1], 50, 50).isEmpty()) {
            stage.setX(b[0]);
            stage.setY(b[1]);
        } else {
            stage.centerOnScreen();
        }
        stage.setMaximized(b[4] > 0);
    }
}
