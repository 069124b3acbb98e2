package org.flowbench.app;

import javafx.application.Application;
import javafx.concurrent.Task;
import javafx.stage.Stage;
import org.controlsfx.control.TaskProgressView;
import org.flowbench.app.shell.Labs;
import org.flowbench.app.shell.MainWindow;
import org.flowbench.app.shell.Settings;
import org.flowbench.app.shell.ShellModel;
import org.flowbench.views.device.DeviceSelection;
import org.flowbench.views.jobs.FxTaskExecutor;

/** The JavaFX application: builds the shell around the labs and shows the main window. */
public final class FlowbenchApp extends Application {

    private FxTaskExecutor executor;
    private MainWindow window;

    @Override
    public void start(Stage stage) {
        long startedMillis = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        Settings settings = Settings.load();
        TaskProgressView<Task<?>> jobs = new TaskProgressView<>();
        executor = new FxTaskExecutor(task -> jobs.getTasks().add(task));
        DeviceSelection devices = new DeviceSelection();
        ShellModel model = new ShellModel(Labs.create(executor, devices, settings.darkTheme()), executor);
        window = new MainWindow(stage, model, settings, jobs, devices);
        devices.discover(executor, settings.device(), warning -> model.showMessage("Warning: " + warning));
        stage.setOnShown(e -> model.showMessage(String.format("Ready (window shown %.1f s after start)",
                (System.currentTimeMillis() - startedMillis) / 1e3)));
        stage.show();
        stage.requestFocus();
    }

    public MainWindow window() {
        return window;
    }

    @Override
    public void stop() {
        if (executor != null) {
            executor.shutdown();
        }
    }
}
