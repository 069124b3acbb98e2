package org.flowbench.views.figure;

import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(ApplicationExtension.class)
class ExportDialogTest {

    @TempDir
    Path dir;

    private ExportDialog dialog;

    @Start
    void start(Stage stage) {
        // A modal dialog disables its owner, which under Monocle needs the owner to have a scene.
        stage.setScene(new Scene(new StackPane(), 200, 100));
        stage.show();
        stage.requestFocus();
    }

    @AfterEach
    void close(FxRobot robot) {
        if (dialog != null) {
            robot.interact(() -> dialog.close());
        }
    }

    private void open(FxRobot robot, ExportRequest initial) {
        robot.interact(() -> {
            dialog = new ExportDialog("Probability path", initial);
            dialog.show();
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    @SuppressWarnings("unchecked")
    private <T extends Node> T find(String id) {
        return (T) dialog.getDialogPane().lookup(id);
    }

    @Test
    void startsFromTheInitialRequestAndReturnsItOnOk(FxRobot robot) {
        ExportRequest initial = new ExportRequest(ExportFormat.PNG, 1500, 300, 2, dir.resolve("path.png"));
        open(robot, initial);

        assertThat(this.<TextField>find("#exportWidth").getText()).isEqualTo("1500");
        assertThat(this.<Label>find("#exportSize").getText()).isEqualTo("3000 x 600 pixels");
        assertThat(find("#exportOk").isDisabled()).isFalse();
        assertThat(this.<Label>find("#exportMessage").getText()).isEmpty();

        robot.interact(() -> ((Button) dialog.getDialogPane().lookupButton(ButtonType.OK)).fire());
        assertThat(dialog.getResult()).isEqualTo(initial);
    }

    @Test
    void typingABadWidthDisablesOkAndSaysWhy(FxRobot robot) {
        open(robot, new ExportRequest(ExportFormat.PNG, 800, 300, 1, dir.resolve("a.png")));

        TextField width = find("#exportWidth");
        robot.clickOn(width);
        robot.interact(() -> width.selectAll());
        robot.write("0");
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(width.getText()).isEqualTo("0");
        assertThat(find("#exportOk").isDisabled()).isTrue();
        assertThat(this.<Label>find("#exportMessage").getText()).isEqualTo("width must be a whole number from 1 to 10000");

        robot.interact(() -> width.setText("640"));
        assertThat(find("#exportOk").isDisabled()).isFalse();
        assertThat(this.<Label>find("#exportMessage").getText()).isEmpty();
    }

    @Test
    void choosingAVectorFormatRenamesTheFileAndDisablesTheScale(FxRobot robot) {
        open(robot, new ExportRequest(ExportFormat.PNG, 800, 300, 4, dir.resolve("figure.png")));
        ComboBox<ExportFormat> format = find("#exportFormat");
        ComboBox<Double> scale = find("#exportScale");

        robot.interact(() -> format.setValue(ExportFormat.SVG));

        assertThat(this.<TextField>find("#exportFile").getText()).isEqualTo(dir.resolve("figure.svg").toString());
        assertThat(scale.isDisabled()).isTrue();
        assertThat(this.<Label>find("#exportSize").getText()).isEqualTo("800 x 300 px");
        assertThat(dialog.request()).isEqualTo(new ExportRequest(ExportFormat.SVG, 800, 300, 4, dir.resolve("figure.svg")));
    }

    @Test
    void aFileInAMissingFolderIsRejectedAndAMissingExtensionAdded(FxRobot robot) {
        open(robot, new ExportRequest(ExportFormat.PDF, 800, 300, 1, dir.resolve("figure.pdf")));
        TextField file = find("#exportFile");

        robot.interact(() -> file.setText(dir.resolve("missing").resolve("figure.pdf").toString()));
        assertThat(find("#exportOk").isDisabled()).isTrue();
        assertThat(this.<Label>find("#exportMessage").getText())
                .isEqualTo("folder " + dir.resolve("missing") + " does not exist");

        robot.interact(() -> file.setText(dir.resolve("slides-figure").toString()));
        assertThat(find("#exportOk").isDisabled()).isFalse();
        assertThat(dialog.request().file()).isEqualTo(dir.resolve("slides-figure.pdf"));
    }
}
