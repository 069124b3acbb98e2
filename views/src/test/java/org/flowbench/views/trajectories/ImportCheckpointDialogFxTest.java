package org.flowbench.views.trajectories;

import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.flowbench.compute.device.Activation;
import org.flowbench.compute.nn.ImportPreset;
import org.flowbench.views.figure.FigureCanvas;
import org.flowbench.views.jobs.FxTaskExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The import dialog headless (Monocle): a fixture's tensors, a preset that does not fit, the preview, OK. */
@ExtendWith(ApplicationExtension.class)
class ImportCheckpointDialogFxTest {

    private Stage owner;

    @Start
    void start(Stage stage) {
        owner = stage;
        stage.setScene(new javafx.scene.Scene(new javafx.scene.layout.Pane(), 200, 100));
        stage.setX(0);
        stage.setY(0);
        stage.show();
    }

    @Test
    void showsTheFileAndReturnsTheChoicesOnOk(FxRobot robot) throws Exception {
        Path file = ImportCheckpointModelTest.FIXTURES.resolve("torchcfm-mlp-f32.safetensors");
        AtomicReference<ImportCheckpointDialog> dialog = new AtomicReference<>();
        AtomicReference<ImportCheckpointModel.Request> result = new AtomicReference<>();
        robot.interact(() -> {
            ImportCheckpointDialog d = new ImportCheckpointDialog(
                    new ImportCheckpointModel(file, new FxTaskExecutor(task -> { }), javafx.application.Platform::runLater));
            d.initOwner(owner);
            d.resultProperty().addListener((obs, before, now) -> result.set(now));
            dialog.set(d);
            d.show();
        });
        FigureCanvas preview = robot.lookup("#importPreview").queryAs(FigureCanvas.class);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> preview.getFigure() != null);
        WaitForAsyncUtils.waitForFxEvents();
        TableView<?> tensors = robot.lookup("#importTensors").queryAs(TableView.class);
        assertThat(tensors.getItems()).hasSize(8);
        assertThat(robot.lookup("#importArchitecture").queryAs(Label.class).getText())
                .isEqualTo("4 Linear layers (F32), 642 parameters: mlp:in=2, out=2, time=raw, hidden=16x16x16, activation=selu");
        assertThat(robot.lookup("#importReason").queryAs(Label.class).isVisible()).isFalse();
        assertThat(preview.paintCount()).isPositive();
        Node ok = robot.lookup("#importOk").query();
        assertThat(ok.isDisabled()).isFalse();

        @SuppressWarnings("unchecked")
        ComboBox<ImportPreset> preset = robot.lookup("#importPreset").queryAs(ComboBox.class);
        robot.interact(() -> preset.setValue(ImportPreset.FLOW_MATCHING_MLP));
        Label reason = robot.lookup("#importReason").queryAs(Label.class);
        assertThat(reason.isVisible()).isTrue();
        assertThat(reason.getText()).contains("is not a Linear layer of a flow-matching-mlp");
        assertThat(ok.isDisabled()).isTrue();

        robot.interact(() -> preset.setValue(ImportPreset.TORCHCFM_MLP));
        @SuppressWarnings("unchecked")
        ComboBox<Activation> activation = robot.lookup("#importActivation").queryAs(ComboBox.class);
        assertThat(activation.getValue()).isEqualTo(Activation.SELU);
        @SuppressWarnings("unchecked")
        ComboBox<String> target = robot.lookup("#importTarget").queryAs(ComboBox.class);
        robot.interact(() -> target.setValue("8gaussians"));
        assertThat(ok.isDisabled()).isFalse();
        robot.clickOn(ok);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(dialog.get().isShowing()).isFalse();
        ImportCheckpointModel.Request request = result.get();
        assertThat(request).isNotNull();
        assertThat(request.file()).isEqualTo(file);
        assertThat(request.preset()).isEqualTo(ImportPreset.TORCHCFM_MLP);
        assertThat(request.activation()).isEqualTo(Activation.SELU);
        assertThat(request.source()).isEqualTo("normal");
        assertThat(request.target()).isEqualTo("8gaussians");
    }
}
