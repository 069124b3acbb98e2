package org.flowbench.app.shell;

import javafx.application.Platform;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.cell.PropertyValueFactory;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import org.flowbench.app.session.SessionFiles;
import org.flowbench.compute.checkpoint.CheckpointIndex;
import org.flowbench.views.figure.ExportDialog;
import org.flowbench.views.figure.ExportFormat;
import org.flowbench.views.figure.ExportRequest;
import org.flowbench.views.figure.Figure;
import org.flowbench.views.figure.FigureExporter;
import org.flowbench.views.jobs.BackgroundTask;
import org.flowbench.views.jobs.Failures;
import org.flowbench.views.trajectories.ImportCheckpointDialog;
import org.flowbench.views.trajectories.ImportCheckpointModel;
import org.flowbench.views.trajectories.TrajectoriesLab;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What the menus, shortcuts and drag and drop do. Each file operation runs as a background job. */
public final class ShellActions {

    private final Stage stage;
    private final ShellModel model;
    private final Settings settings;
    private final Theme theme;
    private final CheckpointOpener checkpoints;
    /** The last export's entries, so the dialog starts where the user left it. */
    private ExportRequest lastExport = new ExportRequest(ExportFormat.PNG, 1500, 500, 2.0,
            Path.of(System.getProperty("user.home"), "flowbench-figure.png"));

    ShellActions(Stage stage, ShellModel model, Settings settings, Theme theme) {
        this.stage = stage;
        this.model = model;
        this.settings = settings;
        this.theme = theme;
        // Later, not inside the opening job's callback: the dialog then starts from a settled window.
        this.checkpoints = new CheckpointOpener(model, file -> Platform.runLater(() -> importCheckpoint(file)));
    }

    public Theme theme() {
        return theme;
    }

    public void openCheckpoint() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Open checkpoint");
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("Checkpoints (*.safetensors, *.npz, *.npy)", "*.safetensors", "*.npz", "*.npy"),
                new FileChooser.ExtensionFilter("All files", "*.*"));
        java.io.File file = chooser.showOpenDialog(stage);
        if (file != null) {
            openFile(file.toPath());
        }
    }

    /** File > Import checkpoint: a PyTorch state dict, read as the dialog's choices say. */
    public void importCheckpoint() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Import checkpoint");
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("State dicts (*.safetensors, *.npz)", "*.safetensors", "*.npz"),
                new FileChooser.ExtensionFilter("All files", "*.*"));
        java.io.File file = chooser.showOpenDialog(stage);
        if (file != null) {
            importCheckpoint(file.toPath());
        }
    }

    /**
     * Shows the import dialog for {@code file} and returns at once (the window never waits on it);
     * OK imports the model into the Trajectories lab's left panel and puts that lab on screen.
     */
    public ImportCheckpointDialog importCheckpoint(Path file) {
        ImportCheckpointDialog dialog = new ImportCheckpointDialog(new ImportCheckpointModel(file, model.executor(), Platform::runLater));
        dialog.initOwner(stage);
        dialog.resultProperty().addListener((obs, before, request) -> {
            if (request != null) {
                importInto(request);
            }
        });
        dialog.show();
        return dialog;
    }

    private void importInto(ImportCheckpointModel.Request request) {
        model.selectLab(TrajectoriesLab.ID);
        TrajectoriesLab lab = (TrajectoriesLab) model.lab(TrajectoriesLab.ID);
        lab.files().importCheckpoint(request.file(), request.preset(), request.activation(), request.time(), request.source(),
                request.target());
        settings.addRecentFile(request.file());
        model.showMessage("Importing " + request.file().getFileName() + " with " + request.preset().id());
    }

    public void openSession() {
        FileChooser chooser = sessionChooser("Open session");
        java.io.File file = chooser.showOpenDialog(stage);
        if (file != null) {
            openFile(file.toPath());
        }
    }

    public void saveSession() {
        Path current = model.sessionFileProperty().get();
        if (current == null) {
            saveSessionAs();
        } else {
            saveSessionTo(current);
        }
    }

    public void saveSessionAs() {
        FileChooser chooser = sessionChooser("Save session as");
        chooser.setInitialFileName("session" + SessionFiles.EXTENSION);
        java.io.File file = chooser.showSaveDialog(stage);
        if (file != null) {
            saveSessionTo(file.toPath());
        }
    }

    public void saveSessionTo(Path file) {
        model.saveSession(file, () -> settings.addRecentFile(file));
    }

    /**
     * Opens whatever the file is by its name: a session, a checkpoint (PyTorch's pickles go the
     * same way, to be refused with the reason), or a file a lab declares it reads (an embedding's
     * .tsv in the Poincaré lab).
     */
    public void openFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        Optional<String> lab = model.labOpeningFile(name);
        if (name.endsWith(".json")) {
            model.openSession(file, () -> settings.addRecentFile(file));
        } else if (name.endsWith(".safetensors") || name.endsWith(".npz") || name.endsWith(".npy")
                || CheckpointIndex.hasPyTorchName(file)) {
            checkpoints.open(file, () -> settings.addRecentFile(file));
        } else if (lab.isPresent()) {
            model.selectLab(lab.get());
            model.currentLab().open(file);
            settings.addRecentFile(file);
        } else {
            model.showFailure("Cannot open " + file.getFileName(), new IllegalArgumentException(
                    "not a session (.json), a checkpoint (.safetensors, .npz, .npy) or an embedding (.tsv, .txt, .vec, .w2v)"));
        }
    }

    public List<Path> recentFiles() {
        return settings.recentFiles();
    }

    public void exportFigure() {
        Optional<Figure> figure = model.currentLab().currentFigure();
        if (figure.isEmpty()) {
            model.showFailure("Nothing to export", new IllegalStateException(model.currentLab().title() + " has no figure yet"));
            return;
        }
        ExportDialog dialog = new ExportDialog(figure.get().title(), lastExport);
        dialog.initOwner(stage);
        dialog.showAndWait().ifPresent(request -> {
            lastExport = request;
            exportFigure(figure.get(), request);
        });
    }

    /** Writes the figure as the request says, in the background. */
    public void exportFigure(Figure figure, ExportRequest request) {
        BackgroundTask.of("Export " + request.file().getFileName(), ctx -> {
                    FigureExporter.export(figure, request.format(), request.width(), request.height(), request.scale(), request.file());
                    return request.file();
                })
                .onSuccess(file -> model.showMessage("Exported " + file))
                .onFailure(error -> model.showFailure("Export failed", error))
                .executeWith(model.executor());
    }

    public void toggleTheme() {
        theme.darkProperty().set(!theme.isDark());
    }

    public void zoomIn() {
        theme.zoomBy(1.1);
    }

    public void zoomOut() {
        theme.zoomBy(1 / 1.1);
    }

    public void zoomReset() {
        theme.setZoom(1.0);
    }

    public void quit() {
        rememberWindow();
        Platform.exit();
    }

    void rememberWindow() {
        boolean maximized = stage.isMaximized();
        settings.saveWindowBounds(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(), maximized);
        settings.flush();
    }

    public void showAbout() {
        Alert about = new Alert(Alert.AlertType.INFORMATION);
        about.initOwner(stage);
        about.setTitle("About Flowbench");
        about.setHeaderText("Flowbench");
        String version = ShellActions.class.getPackage().getImplementationVersion();
        about.setContentText(aboutText(model.descriptors()) + "\n\n"
                + "Version: " + (version == null ? "development build" : version) + "\n"
                + "Java " + System.getProperty("java.version") + ", JavaFX " + System.getProperty("javafx.runtime.version"));
        about.showAndWait();
    }

    /** What Flowbench is, naming its labs. */
    static String aboutText(java.util.List<org.flowbench.views.lab.LabDescriptor> labs) {
        return "A workbench for seeing how flow-based generative models, normalization layers, hyperbolic embeddings "
                + "and GFlowNets behave, made for teaching and exploring.\n\nLabs: "
                + String.join(", ", labs.stream().map(org.flowbench.views.lab.LabDescriptor::title).toList()) + ".";
    }

    public void showShortcuts() {
        TableView<Shortcut> table = new TableView<>();
        TableColumn<Shortcut, String> keys = new TableColumn<>("Keys");
        keys.setCellValueFactory(new PropertyValueFactory<>("keys"));
        keys.setPrefWidth(140);
        TableColumn<Shortcut, String> action = new TableColumn<>("Action");
        action.setCellValueFactory(new PropertyValueFactory<>("action"));
        action.setPrefWidth(340);
        table.getColumns().add(keys);
        table.getColumns().add(action);
        table.getItems().setAll(Shortcut.ALL);
        table.setPrefHeight(520);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY);
        Alert dialog = new Alert(Alert.AlertType.NONE, "", ButtonType.CLOSE);
        dialog.initOwner(stage);
        dialog.setTitle("Keyboard shortcuts");
        dialog.getDialogPane().setContent(table);
        dialog.showAndWait();
    }

    public void showFailureDetails() {
        Throwable failure = model.lastFailureProperty().get();
        if (failure == null) {
            return;
        }
        Alert alert = new Alert(Alert.AlertType.ERROR);
        alert.initOwner(stage);
        alert.setTitle("Failure details");
        alert.setHeaderText(Failures.oneLine(failure));
        TextArea trace = new TextArea(Failures.details(failure));
        trace.setEditable(false);
        trace.setWrapText(false);
        trace.setPrefSize(760, 360);
        VBox.setVgrow(trace, Priority.ALWAYS);
        alert.getDialogPane().setContent(new VBox(8, new Label("Full report:"), trace));
        alert.showAndWait();
    }

    private static FileChooser sessionChooser(String title) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("Flowbench sessions (*.json)", "*.json"),
                new FileChooser.ExtensionFilter("All files", "*.*"));
        return chooser;
    }
}
