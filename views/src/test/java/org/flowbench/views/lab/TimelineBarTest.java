package org.flowbench.views.lab;

import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The timeline's playback, stepping, looping and life cycle, frame by frame (no real clock). */
@ExtendWith(ApplicationExtension.class)
class TimelineBarTest {

    private static final long SECOND = 1_000_000_000L;

    @Start
    void start(Stage stage) {
    }

    private static void frames(TimelineBar bar, double... seconds) {
        for (double s : seconds) {
            bar.advance((long) (s * SECOND));
        }
    }

    @Test
    void playsInRealTimeAtTheChosenSpeed(FxRobot robot) {
        DoubleProperty t = new SimpleDoubleProperty(0);
        robot.interact(() -> {
            TimelineBar bar = new TimelineBar(t, 0, 1);
            bar.setSecondsForRange(4);
            bar.play();
            frames(bar, 10, 11);
            assertThat(t.get()).isCloseTo(0.25, within(1e-9));
            bar.speedBox().setValue(2.0);
            frames(bar, 12);
            assertThat(t.get()).isCloseTo(0.75, within(1e-9));
            bar.stop();
            frames(bar, 13);
            assertThat(t.get()).as("stopped: frames change nothing").isCloseTo(0.75, within(1e-9));
            assertThat(bar.playingProperty().get()).isFalse();
        });
    }

    @Test
    void loopHoldsTheEndThenStartsAgainAndWithoutLoopItStops(FxRobot robot) {
        DoubleProperty t = new SimpleDoubleProperty(0.9);
        robot.interact(() -> {
            TimelineBar bar = new TimelineBar(t, 0, 1);
            bar.setSecondsForRange(1);
            bar.play();
            frames(bar, 1, 1.2);
            assertThat(t.get()).as("held at the end").isEqualTo(1.0);
            frames(bar, 1.3);
            assertThat(t.get()).as("still held (a quarter of a cycle)").isEqualTo(1.0);
            frames(bar, 1.5);
            assertThat(t.get()).as("started again").isZero();
            assertThat(bar.isPlaying()).isTrue();

            bar.loopBox().setSelected(false);
            t.set(0.95);
            frames(bar, 1.6);
            assertThat(t.get()).isEqualTo(1.0);
            assertThat(bar.isPlaying()).as("without loop playback ends at the end").isFalse();
            bar.play();
            assertThat(t.get()).as("play at the end starts from the beginning").isZero();
        });
    }

    @Test
    void stepsMoveInWholeStepsFromAnywhere(FxRobot robot) {
        DoubleProperty step = new SimpleDoubleProperty(0);
        robot.interact(() -> {
            TimelineBar bar = new TimelineBar(step, 0, 10);
            bar.setStepSize(1);
            bar.stepForward();
            bar.stepForward();
            assertThat(step.get()).isEqualTo(2.0);
            step.set(4.5);
            bar.stepForward();
            assertThat(step.get()).isEqualTo(5.0);
            step.set(4.5);
            bar.stepBack();
            assertThat(step.get()).isEqualTo(4.0);
            step.set(0);
            bar.stepBack();
            assertThat(step.get()).as("never below the start").isZero();
            bar.setSecondsForRange(10);
            bar.play();
            frames(bar, 1, 2.5);
            assertThat(step.get()).as("playing a step index shows whole steps").isEqualTo(1.0);
            frames(bar, 3.1);
            assertThat(step.get()).isEqualTo(2.0);
        });
    }

    @Test
    void anInactiveTimelineStopsAndRefusesToPlay(FxRobot robot) {
        DoubleProperty t = new SimpleDoubleProperty(0);
        robot.interact(() -> {
            TimelineBar bar = new TimelineBar(t, 0, 1);
            bar.play();
            bar.activeProperty().set(false);
            assertThat(bar.isPlaying()).isFalse();
            bar.play();
            assertThat(bar.isPlaying()).isFalse();
            bar.activeProperty().set(true);
            bar.play();
            assertThat(bar.isPlaying()).isTrue();
            bar.stop();
        });
    }
}
