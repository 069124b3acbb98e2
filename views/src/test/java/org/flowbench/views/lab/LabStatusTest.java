package org.flowbench.views.lab;

import org.flowbench.views.jobs.BackgroundTask;
import org.flowbench.views.jobs.CurrentThreadTaskExecutor;
import org.flowbench.views.jobs.HeldTaskExecutor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A lab's status line and busy flag: overlapping jobs, failures, exports. */
class LabStatusTest {

    private final CurrentThreadTaskExecutor executor = new CurrentThreadTaskExecutor();
    private final LabStatus line = new LabStatus(this, "Loading\u2026", executor);

    @Test
    void opensOnItsFirstStatusWithNoProblemAndNothingRunning() {
        assertThat(line.statusProperty().get()).isEqualTo("Loading\u2026");
        assertThat(line.problemProperty().get()).isNull();
        assertThat(line.busyProperty().get()).isFalse();
        assertThat(line.statusProperty().getBean()).isSameAs(this);
    }

    @Test
    void busyHoldsUntilTheLastOfOverlappingJobsEnds() {
        List<Boolean> seen = new ArrayList<>();
        line.tracked(BackgroundTask.of("outer", ctx -> {
            seen.add(line.busyProperty().get());
            // a second job starts and ends while the first still runs
            line.tracked(BackgroundTask.of("inner", inner -> {
                seen.add(line.busyProperty().get());
                return 2;
            })).executeWith(executor);
            seen.add(line.busyProperty().get());
            return 1;
        })).executeWith(executor);
        assertThat(seen).as("outer running, both running, outer still running").containsExactly(true, true, true);
        assertThat(line.busyProperty().get()).isFalse();
    }

    @Test
    void aFailedJobEndsItsBusyTimeToo() {
        line.tracked(BackgroundTask.<Integer>of("fails", ctx -> {
            throw new IOException("disk full");
        })).onFailure(line::fail).executeWith(executor);
        assertThat(line.busyProperty().get()).isFalse();
        assertThat(line.problemProperty().get()).isEqualTo("disk full");
    }

    @Test
    void aJobCancelledBeforeItRanLeavesTheNextOneBusy() {
        HeldTaskExecutor held = new HeldTaskExecutor();
        line.tracked(BackgroundTask.of("replaced", ctx -> 1)).executeWith(held).cancel();
        held.runAll();
        assertThat(line.busyProperty().get()).isFalse();
        List<Boolean> seen = new ArrayList<>();
        line.tracked(BackgroundTask.of("latest", ctx -> seen.add(line.busyProperty().get()))).executeWith(executor);
        assertThat(seen).as("busy while the latest job runs").containsExactly(true);
        assertThat(line.busyProperty().get()).isFalse();
    }

    @Test
    void anExportSaysDoneOrItsProblemInOneLine() {
        line.runExport("Export figure.png", ctx -> 1);
        assertThat(line.statusProperty().get()).isEqualTo("Export figure.png: done");
        assertThat(line.problemProperty().get()).isNull();

        line.runExport("Export figure.svg", ctx -> {
            throw new IOException("figure.svg: read-only folder\nsecond line");
        });
        assertThat(line.statusProperty().get()).as("the last good news stays").isEqualTo("Export figure.png: done");
        assertThat(line.problemProperty().get()).contains("read-only folder").doesNotContain("\n");
        assertThat(line.busyProperty().get()).isFalse();
    }

    @Test
    void aProblemIsClearedByNull() {
        line.problem("bad value");
        line.say("Trained.");
        assertThat(line.problemProperty().get()).isEqualTo("bad value");
        line.problem(null);
        assertThat(line.problemProperty().get()).isNull();
        assertThat(line.statusProperty().get()).isEqualTo("Trained.");
    }
}
