package org.flowbench.app.shell;

import javafx.concurrent.Task;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.stage.Stage;
import org.controlsfx.control.TaskProgressView;
import org.flowbench.views.device.DeviceSelection;
import org.flowbench.views.figure.FigureCanvas;
import org.flowbench.views.jobs.FxTaskExecutor;
import org.flowbench.views.trajectories.LoadedFlow;
import org.flowbench.views.trajectories.TrajectoriesLab;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;

import static org.assertj.core.api.Assertions.assertThat;

/** File > Import checkpoint in the whole shell, headless: the menu, the dialog, OK, and File > Open meeting a foreign file. */
@ExtendWith(ApplicationExtension.class)
class ImportCheckpointShellTest {

    private static final String SETTINGS_NODE = "/org/flowbench/test-" + UUID.randomUUID();
    /** The NumPy-made fixtures of the compute module; tests run in the app module's folder. */
    private static final Path FIXTURES = Path.of("../compute/src/test/resources/org/flowbench/compute/nn/import");

    private ShellModel model;
    private MainWindow window;

    @BeforeAll
    static void isolateSettings() {
        System.setProperty("flowbench.settings.node", SETTINGS_NODE);
    }

    @AfterAll
    static void dropSettings() throws Exception {
        Preferences.userRoot().node(SETTINGS_NODE).removeNode();
    }

    @Start
    void start(Stage stage) {
        Settings settings = Settings.load();
        TaskProgressView<Task<?>> jobs = new TaskProgressView<>();
        FxTaskExecutor executor = new FxTaskExecutor(task -> jobs.getTasks().add(task));
        DeviceSelection devices = new DeviceSelection();
        model = new ShellModel(Labs.descriptors(), AppTestContexts.fx(executor, devices), null);
        window = new MainWindow(stage, model, settings, jobs, devices);
        stage.show();
        stage.requestFocus();
    }

    private TrajectoriesLab trajectories() throws Exception {
        TrajectoriesLab lab = (TrajectoriesLab) model.lab(TrajectoriesLab.ID);
        // The lab opens on its two sample models in the background; the import must come after.
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> lab.figureProperty().get() != null);
        return lab;
    }

    @Test
    void theFileMenuHasImportCheckpointWithItsShortcut(FxRobot robot) {
        MenuBar bar = robot.lookup("#menuBar").queryAs(MenuBar.class);
        MenuItem item = bar.getMenus().get(0).getItems().stream()
                .filter(i -> "menuImportCheckpoint".equals(i.getId())).findFirst().orElseThrow();
        assertThat(item.getText()).isEqualTo("Import checkpoint\u2026");
        assertThat(item.getAccelerator()).isEqualTo(Shortcut.IMPORT_CHECKPOINT);
        assertThat(Shortcut.ALL).extracting(Shortcut::getAction).contains("Import a PyTorch checkpoint");
    }

    @Test
    void okImportsIntoTheTrajectoriesLabAndShowsIt(FxRobot robot) throws Exception {
        TrajectoriesLab lab = trajectories();
        robot.interact(() -> model.selectLab("normalization"));
        Path file = FIXTURES.resolve("rectified-flow-mlp-bf16.safetensors");
        robot.interact(() -> window.actions().importCheckpoint(file));
        FigureCanvas preview = robot.lookup("#importPreview").queryAs(FigureCanvas.class);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> preview.getFigure() != null);
        Node ok = robot.lookup("#importOk").query();
        assertThat(ok.isDisabled()).isFalse();
        robot.clickOn(ok);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> lab.model(TrajectoriesLab.CURVED) != null
                && lab.model(TrajectoriesLab.CURVED).label().contains("rectified-flow-mlp-bf16.safetensors"));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(model.currentLab().id()).isEqualTo(TrajectoriesLab.ID);
        LoadedFlow left = lab.model(TrajectoriesLab.CURVED);
        assertThat(left.model().architecture().activation().name()).isEqualTo("TANH");
        assertThat(lab.problemProperty().get()).isNull();
    }

    @Test
    void openingAForeignCheckpointOffersTheImportDialog(FxRobot robot) throws Exception {
        TrajectoriesLab lab = trajectories();
        LoadedFlow before = lab.model(TrajectoriesLab.CURVED);
        Path file = FIXTURES.resolve("flow-matching-mlp.npz");
        robot.interact(() -> window.actions().openFile(file));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#importTensors").tryQuery().isPresent());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(model.statusMessageProperty().get()).contains("flow-matching-mlp.npz").contains("choose how to import it");
        DialogPane pane = robot.lookup(".dialog-pane").queryAs(DialogPane.class);
        robot.clickOn((Button) pane.lookupButton(ButtonType.CANCEL));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#importTensors").tryQuery()).isEmpty();
        assertThat(lab.model(TrajectoriesLab.CURVED)).isSameAs(before);
    }
}
