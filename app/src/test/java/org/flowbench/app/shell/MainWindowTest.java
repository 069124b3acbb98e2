package org.flowbench.app.shell;

import javafx.concurrent.Task;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DialogPane;
import javafx.scene.control.TextField;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.controlsfx.control.TaskProgressView;
import org.flowbench.app.session.Session;
import org.flowbench.views.device.DeviceSelection;
import org.flowbench.views.figure.ExportFormat;
import org.flowbench.views.figure.FigureCanvas;
import org.flowbench.views.jobs.FxTaskExecutor;
import org.flowbench.views.params.Parameter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole shell, headless (Monocle): navigator, pages, export dialog, sessions. */
@ExtendWith(ApplicationExtension.class)
class MainWindowTest {

    private static final String SETTINGS_NODE = "/org/flowbench/test-" + UUID.randomUUID();

    @TempDir
    Path dir;

    private ShellModel model;
    private MainWindow window;

    @BeforeAll
    static void isolateSettings() {
        System.setProperty("flowbench.settings.node", SETTINGS_NODE);
    }

    @AfterAll
    static void dropSettings() throws Exception {
        Preferences.userRoot().node(SETTINGS_NODE).removeNode();
        FigureCanvas.sharedDisplayScale().unbind();
        FigureCanvas.sharedDisplayScale().set(1);
    }

    @Start
    void start(Stage stage) {
        Settings settings = Settings.load();
        TaskProgressView<Task<?>> jobs = new TaskProgressView<>();
        FxTaskExecutor executor = new FxTaskExecutor(task -> jobs.getTasks().add(task));
        DeviceSelection devices = new DeviceSelection();
        model = new ShellModel(Labs.descriptors(), AppTestContexts.fx(executor, devices), null);
        window = new MainWindow(stage, model, settings, jobs, devices);
        devices.discover(executor, "", warning -> { });
        stage.show();
        stage.requestFocus();
    }

    @Test
    void windowOpensOnTheTrajectoriesLab(FxRobot robot) {
        assertThat(robot.lookup("#mainWindow").tryQuery()).isPresent();
        assertThat(robot.lookup("#labNavigator").tryQuery()).isPresent();
        assertThat(robot.lookup("#inspectorSheet").tryQuery()).isPresent();
        assertThat(robot.lookup("#jobsIndicator").tryQuery()).isPresent();
        assertThat(robot.lookup("#deviceLabel").queryLabeled().getText()).startsWith("Device: ");
        assertThat(robot.lookup("#memoryLabel").queryLabeled().getText()).matches("Memory: \\d+ / \\d+ MB");
        assertThat(model.currentLab().id()).isEqualTo("trajectories");
    }

    @Test
    void viewZoomScalesTheFiguresOnScreenAndActualSizeRestoresThem(FxRobot robot) {
        FigureCanvas canvas = robot.lookup("#trajectoriesCanvas").queryAs(FigureCanvas.class);
        robot.interact(window.actions()::zoomReset);
        assertThat(canvas.displayScale()).isEqualTo(1);
        double width = canvas.canvas().getWidth();
        assertThat(canvas.figureArea().getWidth()).isEqualTo(width);

        for (int i = 0; i < 3; i++) {
            robot.interact(window.actions()::zoomIn);
        }
        double zoom = window.actions().theme().zoom();
        assertThat(zoom).isCloseTo(1.331, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(canvas.displayScale()).isEqualTo(zoom);
        assertThat(canvas.figureArea().getWidth()).isCloseTo(canvas.canvas().getWidth() / zoom,
                org.assertj.core.api.Assertions.within(1e-9));

        robot.interact(window.actions()::zoomReset);
        assertThat(canvas.displayScale()).isEqualTo(1);
    }

    @Test
    void eachNavigatorEntryOpensItsPage(FxRobot robot) {
        for (String id : new String[] {"normalization", "poincare", "gflownets", "trajectories"}) {
            robot.clickOn("#nav-" + id);
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(model.currentLab().id()).isEqualTo(id);
            StackPane workspace = robot.lookup("#workspace").queryAs(StackPane.class);
            assertThat(workspace.getChildren()).containsExactly(model.currentLab().view());
        }
        robot.clickOn("#nav-gflownets");
        assertThat(robot.lookup("#gflownetsPage").tryQuery()).isPresent();
    }

    @Test
    void exportDialogWritesTheFigure(FxRobot robot) throws Exception {
        Path out = dir.resolve("figure.png");
        // The lab loads its models and samples them in the background before it has a figure.
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> model.currentLab().currentFigure().isPresent());
        // The dialog runs a nested event loop: open it without waiting for it to close.
        javafx.application.Platform.runLater(() -> window.actions().exportFigure());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#exportFormat").tryQuery().isPresent());
        @SuppressWarnings("unchecked")
        ComboBox<ExportFormat> format = robot.lookup("#exportFormat").queryAs(ComboBox.class);
        robot.interact(() -> {
            format.setValue(ExportFormat.PNG);
            @SuppressWarnings("unchecked")
            ComboBox<Double> scale = robot.lookup("#exportScale").queryAs(ComboBox.class);
            scale.setValue(2.0);
            robot.lookup("#exportWidth").queryAs(TextField.class).setText("600");
            robot.lookup("#exportHeight").queryAs(TextField.class).setText("200");
            robot.lookup("#exportFile").queryAs(TextField.class).setText(out.toString());
        });
        DialogPane pane = robot.lookup(".dialog-pane").queryAs(DialogPane.class);
        Button ok = (Button) pane.lookupButton(ButtonType.OK);
        assertThat(ok.isDisabled()).isFalse();
        robot.clickOn(ok);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> Files.exists(out));
        BufferedImage image = ImageIO.read(out.toFile());
        assertThat(image.getWidth()).isEqualTo(1200);
        assertThat(image.getHeight()).isEqualTo(400);
    }

    @Test
    void sessionSavesAndReopensIdentically(FxRobot robot) throws Exception {
        Path file = dir.resolve("session.flowbench.json");
        // a lab visited after saving keeps its state when the session reopens (labs not in a
        // session keep theirs): visit it before saving, so the session holds it too
        robot.clickOn("#nav-poincare");
        robot.clickOn("#nav-trajectories");
        // the time is part of a session: hold the animation still
        robot.interact(() -> model.currentLab().onHidden());
        Parameter<?> first = model.currentLab().parameters().all().get(0);
        robot.interact(() -> window.actions().saveSessionTo(file));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> file.equals(model.sessionFileProperty().get()));
        Session saved = model.snapshot();

        robot.clickOn("#nav-poincare");
        assertThat(first.type()).isEqualTo(Integer.class);
        robot.interact(() -> assertThat(first.trySet(321)).isNull());
        assertThat(model.snapshot()).isNotEqualTo(saved);
        robot.interact(() -> window.actions().openFile(file));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> model.currentLab().id().equals(saved.currentLab()));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(model.snapshot()).isEqualTo(saved);
    }

    @Test
    void fileOpenRoutesAnEmbeddingTextFileToThePoincareLabAndRefusesAPickleWithTheReason(FxRobot robot) throws Exception {
        Path tsv = dir.resolve("mammals.tsv");
        org.flowbench.compute.embedding.EmbeddingFiles.write(tsv, org.flowbench.compute.embedding.EmbeddingFiles.read(
                org.flowbench.views.poincare.PoincareSamples.embedding(2),
                org.flowbench.compute.embedding.PoincareManifold.INSTANCE), java.util.Map.of());
        robot.interact(() -> window.actions().openFile(tsv));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> model.currentLab() instanceof org.flowbench.views.poincare.PoincareLab lab
                && lab.discProperty().get() != null && lab.discProperty().get().scene().name().contains("mammals.tsv"));
        assertThat(((org.flowbench.views.poincare.PoincareLab) model.currentLab()).problemProperty().get()).isNull();

        Path pickle = dir.resolve("model.pth");
        Files.write(pickle, new byte[] {(byte) 0x80, 2, 'X', '.'});
        robot.interact(() -> window.actions().openFile(pickle));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> model.lastFailureProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(model.statusMessageProperty().get()).containsIgnoringCase("pickle").doesNotContain("\n");
        robot.clickOn("#nav-trajectories");
    }

    @Test
    void inTheDarkThemeTheChosenLabReadsWhenTheListHasNoFocus(FxRobot robot) {
        robot.interact(() -> window.actions().theme().darkProperty().set(true));
        try {
            robot.interact(() -> robot.lookup("#jobsList").query().requestFocus());
            WaitForAsyncUtils.waitForFxEvents();
            javafx.scene.control.ListCell<?> cell = robot.lookup("#nav-" + model.currentLab().id()).queryAs(javafx.scene.control.ListCell.class);
            assertThat(cell.isSelected()).isTrue();
            assertThat(robot.lookup("#labNavigator").query().isFocused()).isFalse();
            javafx.scene.paint.Color text = (javafx.scene.paint.Color) cell.getTextFill();
            java.util.List<javafx.scene.layout.BackgroundFill> fills = cell.getBackground().getFills();
            javafx.scene.paint.Color back = (javafx.scene.paint.Color) fills.get(fills.size() - 1).getFill();
            assertThat(contrast(text, back)).as("text %s on %s", text, back).isGreaterThan(4.5);
        } finally {
            robot.interact(() -> window.actions().theme().darkProperty().set(false));
        }
    }

    /** WCAG contrast ratio of two colours. */
    private static double contrast(javafx.scene.paint.Color a, javafx.scene.paint.Color b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(javafx.scene.paint.Color c) {
        double[] rgb = {c.getRed(), c.getGreen(), c.getBlue()};
        for (int i = 0; i < 3; i++) {
            rgb[i] = rgb[i] <= 0.03928 ? rgb[i] / 12.92 : Math.pow((rgb[i] + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
    }

    @Test
    void theAboutBoxNamesEveryLabAndWhatItIsAbout() {
        String about = ShellActions.aboutText(Labs.descriptors());
        assertThat(about).contains("hyperbolic embeddings").contains("GFlowNets behave");
        for (org.flowbench.views.lab.LabDescriptor lab : Labs.descriptors()) {
            assertThat(about).contains(lab.title());
        }
    }

    @Test
    void aCorruptCheckpointIsNamedOnceInTheReason(FxRobot robot) throws Exception {
        Path file = dir.resolve("broken.safetensors");
        // an 8-byte header length, then no JSON header
        Files.write(file, new byte[] {16, 0, 0, 0, 0, 0, 0, 0, 'n', 'o', 't', ' ', 'j', 's', 'o', 'n'});
        robot.interact(() -> window.actions().openFile(file));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> model.lastFailureProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
        String message = model.statusMessageProperty().get();
        assertThat(message).startsWith("Could not open broken.safetensors: ").doesNotContain("\n");
        assertThat(message.split("broken\\.safetensors", -1)).as(message).hasSize(2);
    }

    @Test
    void corruptSessionShowsOneLineAndKeepsTheState(FxRobot robot) throws Exception {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{ not json");
        robot.interact(() -> model.currentLab().onHidden());
        Session before = model.snapshot();
        robot.interact(() -> window.actions().openFile(file));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> model.lastFailureProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(model.snapshot()).isEqualTo(before);
        Node details = robot.lookup("#failureDetails").query();
        assertThat(details.isVisible()).isTrue();
        assertThat(model.statusMessageProperty().get()).contains("not valid JSON").doesNotContain("\n");
    }
}
