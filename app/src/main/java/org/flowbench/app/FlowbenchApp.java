package org.flowbench.app;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.property.SimpleObjectProperty;
import javafx.concurrent.Task;
import javafx.stage.Stage;
import org.controlsfx.control.TaskProgressView;
import org.flowbench.app.shell.Labs;
import org.flowbench.app.shell.MainWindow;
import org.flowbench.app.shell.Settings;
import org.flowbench.app.shell.ShellModel;
import org.flowbench.views.device.DeviceSelection;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.jobs.FxTaskExecutor;
import org.flowbench.views.lab.FxDialogService;
import org.flowbench.views.lab.LabContext;

/** The JavaFX application: builds the shell around the labs and shows the main window. */
public final class FlowbenchApp extends Application {

    /** Named parameter of the lab to open on, e.g. {@code --lab=poincare}. */
    static final String LAB_OPTION = "--lab";

    private FxTaskExecutor executor;
    private MainWindow window;
    private ShellModel model;

    @Override
    public void start(Stage stage) {
        ShutdownRace.installOnCurrentThread();
        long startedMillis = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        Settings settings = Settings.load();
        TaskProgressView<Task<?>> jobs = new TaskProgressView<>();
        executor = new FxTaskExecutor(task -> jobs.getTasks().add(task));
        DeviceSelection devices = new DeviceSelection();
        SimpleObjectProperty<FigureTheme> figureTheme = new SimpleObjectProperty<>(
                settings.darkTheme() ? FigureTheme.DARK : FigureTheme.LIGHT);
        ShellModel[] shell = new ShellModel[1];
        LabContext context = new LabContext(executor, devices, figureTheme, new FxDialogService(() -> stage),
                message -> shell[0].showMessage(message), Platform::runLater);
        model = new ShellModel(Labs.descriptors(), context, getParameters().getNamed().get(LAB_OPTION.substring(2)));
        shell[0] = model;
        window = new MainWindow(stage, model, settings, jobs, devices);
        figureTheme.bind(Bindings.createObjectBinding(
                () -> window.actions().theme().isDark() ? FigureTheme.DARK : FigureTheme.LIGHT,
                window.actions().theme().darkProperty()));
        model.onThemeRestored(dark -> window.actions().theme().darkProperty().set(dark));
        devices.discover(executor, settings.device(), warning -> model.showMessage("Warning: " + warning));
        stage.setOnShown(e -> model.showMessage(String.format("Ready (%.1f s)",
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
        if (model != null) {
            model.close();
        }
    }
}
