package org.flowbench.app.cli;

import org.flowbench.compute.device.ComputeDevices;
import org.flowbench.compute.device.DeviceInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code flowbench devices}: the compute devices of this machine and the default choice. */
@Command(name = "devices",
        description = "List the compute devices (name, type, compute units, memory) and the default one.",
        mixinStandardHelpOptions = true)
public final class DevicesCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<DeviceInfo> devices = ComputeDevices.list();
        out.printf(Locale.ROOT, "%-10s %-6s %-4s %6s %11s %11s  %s%n", "NAME", "KIND", "TYPE", "UNITS", "MEMORY",
                "MAX BUFFER", "DESCRIPTION");
        for (DeviceInfo d : devices) {
            out.printf(Locale.ROOT, "%-10s %-6s %-4s %6d %11s %11s  %s%n", d.name(),
                    d.kind().name().toLowerCase(Locale.ROOT), d.hardware(), d.computeUnits(), gib(d.memoryBytes()),
                    gib(d.maxBufferBytes()), d.description());
        }
        String reason = ComputeDevices.openClUnavailableReason();
        if (reason != null) {
            out.println("opencl: none, " + reason);
        }
        String best = ComputeDevices.defaultName();
        out.println("default: " + best + (best.equals(ComputeDevices.CPU)
                ? (devices.size() > 1 ? " (no OpenCL GPU; a CPU OpenCL driver is not faster than cpu)" : " (no OpenCL GPU)")
                : " (a GPU)"));
        out.flush();
        return 0;
    }

    private static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
    }
}
