package org.flowbench.views.lab;

import javafx.application.Platform;
import javafx.beans.property.SimpleObjectProperty;
import org.flowbench.views.device.DeviceSelection;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.jobs.TaskExecutor;


/** Lab contexts for tests: the lab's jobs on the given executor, scripted dialogs, no status bar. */
public final class TestLabContexts {

    private TestLabContexts() {
    }

    /** Everything on the calling thread: a coalesced request starts its job at once (view-model tests). */
    public static LabContext direct(TaskExecutor executor, DeviceSelection devices) {
        return new LabContext(executor, devices, new SimpleObjectProperty<>(FigureTheme.LIGHT), new ScriptedDialogs(),
                message -> { }, Runnable::run);
    }

    /** As in the window: coalesced requests run after the current FX event. */
    public static LabContext fx(TaskExecutor executor, DeviceSelection devices, DialogService dialogs) {
        return new LabContext(executor, devices, new SimpleObjectProperty<>(FigureTheme.LIGHT), dialogs,
                message -> { }, Platform::runLater);
    }
}
