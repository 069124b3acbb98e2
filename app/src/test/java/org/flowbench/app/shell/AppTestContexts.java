package org.flowbench.app.shell;

import javafx.application.Platform;
import javafx.beans.property.SimpleObjectProperty;
import org.flowbench.views.device.DeviceSelection;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.jobs.TaskExecutor;
import org.flowbench.views.lab.DialogService;
import org.flowbench.views.lab.LabContext;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Lab contexts for the shell's tests: jobs on the given executor, dialogs that are cancelled. */
final class AppTestContexts {

    private AppTestContexts() {
    }

    /** Everything on the calling thread (view-model tests). */
    static LabContext direct(TaskExecutor executor) {
        return new LabContext(executor, new DeviceSelection(), new SimpleObjectProperty<>(FigureTheme.LIGHT), CANCELLED,
                message -> { }, Runnable::run);
    }

    /** As in the window: coalesced requests run after the current FX event. */
    static LabContext fx(TaskExecutor executor, DeviceSelection devices) {
        return new LabContext(executor, devices, new SimpleObjectProperty<>(FigureTheme.LIGHT), CANCELLED,
                message -> { }, Platform::runLater);
    }

    /** Every dialog cancelled, every question answered no: a test never opens a real dialog. */
    static final DialogService CANCELLED = new DialogService() {
        @Override
        public Optional<Path> chooseOpenFile(String title, List<FileType> types) {
            return Optional.empty();
        }

        @Override
        public Optional<Path> chooseSaveFile(String title, String suggestedName, List<FileType> types) {
            return Optional.empty();
        }

        @Override
        public Optional<Path> chooseFolder(String title) {
            return Optional.empty();
        }

        @Override
        public boolean confirm(String title, String question) {
            return false;
        }
    };
}
