package org.flowbench.views.trajectories;

import javafx.scene.Scene;
import javafx.stage.Stage;
import org.flowbench.views.device.DeviceSelection;
import org.flowbench.views.jobs.FxTaskExecutor;
import org.flowbench.views.lab.ScriptedDialogs;
import org.flowbench.views.lab.TestLabContexts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A playing Trajectories page stops animating when the shell hides it, and the lab releases everything on close. */
@ExtendWith(ApplicationExtension.class)
class TrajectoriesVisibilityFxTest {

    private TrajectoriesLab lab;

    @Start
    void start(Stage stage) {
        lab = new TrajectoriesLab(TestLabContexts.fx(new FxTaskExecutor(task -> { }), new DeviceSelection(), new ScriptedDialogs()), true);
        stage.setScene(new Scene((javafx.scene.Parent) lab.view(), 1200, 760));
        stage.setX(0);
        stage.setY(0);
        stage.show();
    }

    @Test
    void hidingThePageStopsItsAnimationAndClosingFreesTheModels(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> lab.figureProperty().get() != null);
        // it opens playing: time moves
        double first = lab.timeProperty().get();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> lab.timeProperty().get() != first);

        robot.interact(lab::onHidden);
        WaitForAsyncUtils.waitForFxEvents();
        double hidden = lab.timeProperty().get();
        Thread.sleep(400);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(lab.timeProperty().get()).as("no timer runs while the page is hidden").isEqualTo(hidden);

        robot.interact(lab::close);
        assertThat(lab.openDevices()).isZero();
        assertThat(lab.model(TrajectoriesLab.CURVED)).isNull();
    }
}
