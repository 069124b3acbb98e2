package org.flowbench.views.device;

import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.ComputeDevices;
import org.flowbench.compute.device.DeviceInfo;
import org.flowbench.views.jobs.BackgroundTask;
import org.flowbench.views.jobs.TaskExecutor;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The compute device new jobs use, chosen by the user (or the best one found) and shown in the
 * status bar. The list of devices is looked up once in the background: enumerating OpenCL
 * drivers can take a moment and must not hold up the window.
 */
public final class DeviceSelection {

    private final ObservableList<DeviceInfo> available = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<String> selected = new ReadOnlyObjectWrapper<>(this, "selected", ComputeDevices.CPU);
    private final ReadOnlyObjectWrapper<DeviceInfo> selectedInfo = new ReadOnlyObjectWrapper<>(this, "selectedInfo");

    /** Starts with cpu; {@link #discover} replaces it with {@code preferred} (or the best device) once found. */
    public DeviceSelection() {
    }

    /** Lists the devices in the background, then selects {@code preferred} if it exists, else the best one. */
    public void discover(TaskExecutor executor, String preferred, Consumer<String> warnings) {
        BackgroundTask.of("Find compute devices", ctx -> {
                    List<DeviceInfo> found = ComputeDevices.list();
                    String choice;
                    try {
                        choice = preferred == null || preferred.isBlank()
                                ? ComputeDevices.defaultName() : ComputeDevices.resolve(preferred);
                    } catch (IllegalArgumentException e) {
                        warnings.accept("saved device " + preferred + " is not available; using "
                                + ComputeDevices.defaultName());
                        choice = ComputeDevices.defaultName();
                    }
                    return new Discovery(found, choice);
                })
                .onSuccess(d -> {
                    available.setAll(d.devices());
                    select(d.choice());
                })
                .onFailure(error -> warnings.accept("could not list compute devices (" + error.getMessage() + "); using cpu"))
                .executeWith(executor);
    }

    private record Discovery(List<DeviceInfo> devices, String choice) {
    }

    public ObservableList<DeviceInfo> available() {
        return FXCollections.unmodifiableObservableList(available);
    }

    /** Selects a device by canonical name (cpu, opencl:N). */
    public void select(String name) {
        Objects.requireNonNull(name);
        selected.set(name);
        selectedInfo.set(available.stream().filter(d -> d.name().equals(name)).findFirst().orElse(null));
    }

    public ReadOnlyObjectProperty<String> selectedProperty() {
        return selected.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<DeviceInfo> selectedInfoProperty() {
        return selectedInfo.getReadOnlyProperty();
    }

    /** Opens the selected device for one job, falling back to cpu with a warning if its kernels fail. */
    public ComputeDevice open(Consumer<String> warnings) {
        return ComputeDevices.openWithFallback(selected.get(), warnings);
    }

    /** What the status bar shows. */
    public String describe() {
        DeviceInfo info = selectedInfo.get();
        return info == null ? selected.get() : info.summary();
    }
}
