package org.flowbench.compute.device;

import org.flowbench.compute.device.cpu.CpuDevice;
import org.flowbench.compute.device.opencl.OpenClDevice;
import org.flowbench.compute.device.opencl.OpenClDevices;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The devices this machine offers, by name, and the default choice.
 *
 * <p>Names: {@code cpu}; {@code opencl:N} for the N-th OpenCL device Aparapi reports;
 * {@code opencl} for the best OpenCL device (the GPU with most compute units, else the first
 * device, e.g. PoCL on the CPU); {@code best} for the default.
 *
 * <p>The default ({@link #defaultName()}) is a real GPU when there is one, otherwise {@code cpu}:
 * an OpenCL driver for the CPU such as PoCL runs the same kernels on the same cores as the cpu
 * device but without OpenBLAS, so it is never the faster choice; it is there for testing the
 * OpenCL path and for machines whose only OpenCL device is an accelerator.
 *
 * <p>Without any OpenCL driver, {@code opencl} names no device (Aparapi's Java thread-pool
 * fallback runs the kernels on Java threads more slowly than the cpu device, so Flowbench does
 * not offer it as a device of its own).
 */
public final class ComputeDevices {

    /** The cpu device's name. */
    public static final String CPU = CpuDevice.NAME;
    /** The best OpenCL device. */
    public static final String OPENCL = "opencl";
    /** The default device. */
    public static final String BEST = "best";

    private ComputeDevices() {
    }

    /** Every device available: cpu first, then each OpenCL device. Does not compile any kernel. */
    public static List<DeviceInfo> list() {
        List<DeviceInfo> all = new ArrayList<>();
        all.add(CpuDevice.describe(Runtime.getRuntime().availableProcessors()));
        all.addAll(OpenClDevices.list());
        return all;
    }

    /** Why no OpenCL device is listed, or null when at least one is. */
    public static String openClUnavailableReason() {
        return OpenClDevices.unavailableReason();
    }

    /** The default device: the best GPU as {@code opencl:N} when there is one, else {@code cpu}. */
    public static String defaultName() {
        int gpu = OpenClDevices.bestGpu();
        return gpu >= 0 ? "opencl:" + gpu : CPU;
    }

    /**
     * The canonical name of a device name as users type it: {@code cpu}, {@code opencl:N},
     * {@code opencl} (resolved to its index) or {@code best}.
     *
     * @throws IllegalArgumentException for an unknown name or a missing device, naming the choices
     */
    public static String resolve(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("no device name given (expected " + choices() + ")");
        }
        String n = name.strip().toLowerCase(Locale.ROOT);
        if (n.equals(BEST)) {
            return defaultName();
        }
        if (n.equals(CPU)) {
            return CPU;
        }
        List<DeviceInfo> cl = OpenClDevices.list();
        if (n.equals(OPENCL)) {
            int preferred = OpenClDevices.preferred();
            if (preferred < 0) {
                throw new IllegalArgumentException("no OpenCL device found: " + OpenClDevices.unavailableReason());
            }
            return "opencl:" + preferred;
        }
        if (n.startsWith(OPENCL + ":")) {
            String index = n.substring(OPENCL.length() + 1);
            int i;
            try {
                i = Integer.parseInt(index);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("unknown device '" + name.strip() + "' (expected " + choices() + ")");
            }
            if (i < 0 || i >= cl.size()) {
                throw new IllegalArgumentException(cl.isEmpty()
                        ? "no OpenCL device found: " + OpenClDevices.unavailableReason()
                        : "no device '" + name.strip() + "' (expected " + choices() + ")");
            }
            return "opencl:" + i;
        }
        throw new IllegalArgumentException("unknown device '" + name.strip() + "' (expected " + choices() + ")");
    }

    private static String choices() {
        StringBuilder s = new StringBuilder("cpu, best");
        int count = OpenClDevices.list().size();
        if (count > 0) {
            s.append(", opencl");
            for (int i = 0; i < count; i++) {
                s.append(", opencl:").append(i);
            }
        }
        return s.toString();
    }

    /**
     * Opens a device by name (see {@link #resolve}); the caller closes it.
     *
     * @throws IllegalArgumentException for an unknown name
     * @throws DeviceFailureException   when an OpenCL device's kernels do not compile
     */
    public static ComputeDevice open(String name) {
        String resolved = resolve(name);
        if (resolved.equals(CPU)) {
            return new CpuDevice();
        }
        return OpenClDevices.open(Integer.parseInt(resolved.substring(OPENCL.length() + 1)));
    }

    /** Opens the default device ({@link #defaultName()}), on cpu with a warning if the GPU fails. */
    public static ComputeDevice openBest(Consumer<String> warnings) {
        return openWithFallback(BEST, warnings);
    }

    /**
     * Opens a device by name so that it falls back to cpu, with one warning to {@code warnings},
     * when its kernels fail to compile, it runs out of memory or its driver fails. The cpu device
     * is returned as is.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static ComputeDevice openWithFallback(String name, Consumer<String> warnings) {
        String resolved = resolve(name);
        if (resolved.equals(CPU)) {
            return new CpuDevice();
        }
        return new FallbackDevice(resolved, () -> {
            ComputeDevice opened = open(resolved);
            if (opened instanceof OpenClDevice openCl && openCl.launcherWarning() != null && warnings != null) {
                warnings.accept(openCl.launcherWarning());
            }
            return opened;
        }, CpuDevice::new, warnings);
    }
}
