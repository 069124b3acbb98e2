package org.flowbench.app.cli;

import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.ComputeDevices;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/**
 * The {@code --device} option every computing command mixes in. The default is the best
 * available device (a GPU when the machine has one, else cpu), or the {@code flowbench.device}
 * system property the application settings set. An unknown name is one line and exit code 2;
 * a device that fails (kernels that do not compile, memory that runs out) falls back to cpu with
 * a warning on stderr.
 */
public final class DeviceOptions {

    @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "${sys:flowbench.device:-best}",
            description = "Compute device: best (a GPU if there is one, else cpu), cpu, opencl or opencl:N; "
                    + "see `flowbench devices` (default: ${DEFAULT-VALUE}).")
    String name = "best";

    /** The device name as given. */
    public String name() {
        return name;
    }

    /**
     * The canonical name of the chosen device ({@code cpu}, {@code opencl:0}...).
     *
     * @throws IllegalArgumentException naming the choices when the name is unknown
     */
    public String resolve() {
        return ComputeDevices.resolve(name);
    }

    /**
     * Opens the chosen device; warnings about falling back to cpu go to {@code err}, one line each.
     * The caller closes the device.
     *
     * @throws IllegalArgumentException naming the choices when the name is unknown
     */
    public ComputeDevice open(PrintWriter err) {
        return ComputeDevices.openWithFallback(name, warning -> {
            err.println("flowbench: warning: " + warning);
            err.flush();
        });
    }
}
