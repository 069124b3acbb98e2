package org.flowbench.views.lab;

import javafx.beans.value.ObservableValue;
import org.flowbench.views.device.DeviceSelection;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.jobs.TaskExecutor;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * What the shell hands every lab when it is built: where jobs run, which compute device they use,
 * the figure theme, the dialogs, the status line, and how to run something later on the FX thread.
 *
 * @param executor runs the lab's background jobs
 * @param devices  the compute device new jobs use
 * @param theme    the figure theme, following the window's light or dark theme
 * @param dialogs  file choosers and questions
 * @param status   shows one line in the window's status bar
 * @param later    runs an action after the current event (Platform.runLater in the window); coalesces
 *                 bursts of parameter changes into one job
 */
public record LabContext(TaskExecutor executor, DeviceSelection devices, ObservableValue<FigureTheme> theme,
                         DialogService dialogs, Consumer<String> status, Executor later) {

    public LabContext {
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(devices, "devices");
        Objects.requireNonNull(theme, "theme");
        Objects.requireNonNull(dialogs, "dialogs");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(later, "later");
    }
}
