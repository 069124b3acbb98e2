package org.flowbench.compute.device.opencl;

import com.aparapi.Config;
import com.aparapi.device.OpenCLDevice;
import org.flowbench.compute.device.DeviceInfo;
import org.flowbench.compute.device.DeviceKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The OpenCL devices Aparapi finds, numbered {@code opencl:0, opencl:1...} in the order the
 * platforms report them, and opening one of them.
 */
public final class OpenClDevices {

    /** Default bound on one device's memory pool, in floats (8 GiB). */
    public static final long DEFAULT_MAX_POOL_FLOATS = 2L * 1024 * 1024 * 1024;

    /** Kept strongly reachable so the level set here stays in force. */
    private static final Logger APARAPI_LOG = Logger.getLogger(Config.getLoggerName());

    private static List<OpenCLDevice> devices;
    private static List<DeviceInfo> infos;
    private static String unavailableReason;

    private OpenClDevices() {
    }

    private static synchronized void discover() {
        if (devices != null) {
            return;
        }
        // Aparapi logs its own fallbacks as warnings; this package detects and reports failures itself.
        APARAPI_LOG.setLevel(Level.SEVERE);
        List<OpenCLDevice> found = new ArrayList<>();
        try {
            found.addAll(NativeStandardError.silenced(() -> OpenCLDevice.listDevices(null)));
            if (found.isEmpty()) {
                unavailableReason = "no OpenCL platform reported a device (install an OpenCL driver, e.g. the "
                        + "GPU vendor's or pocl-opencl-icd for the CPU)";
            }
        } catch (Throwable e) {
            unavailableReason = "OpenCL could not be loaded (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")";
        }
        List<DeviceInfo> described = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            described.add(describe(i, found.get(i)));
        }
        devices = List.copyOf(found);
        infos = List.copyOf(described);
    }

    private static DeviceInfo describe(int index, OpenCLDevice d) {
        String platform = d.getOpenCLPlatform() == null ? "OpenCL" : d.getOpenCLPlatform().getName();
        String hardware = d.getType() == null ? "OpenCL" : d.getType().name();
        return new DeviceInfo("opencl:" + index, DeviceKind.OPENCL, hardware,
                d.getName().strip() + " (" + platform.strip() + ")", d.getMaxComputeUnits(), d.getGlobalMemSize(),
                d.getMaxMemAllocSize());
    }

    /** Every OpenCL device found, described; empty when there is none (see {@link #unavailableReason()}). */
    public static List<DeviceInfo> list() {
        discover();
        return infos;
    }

    /** Why {@link #list()} is empty, or null when it is not. */
    public static String unavailableReason() {
        discover();
        return unavailableReason;
    }

    /** Index of the OpenCL device a default choice would take: the GPU with most compute units, or -1. */
    public static int bestGpu() {
        discover();
        int best = -1;
        for (int i = 0; i < infos.size(); i++) {
            DeviceInfo info = infos.get(i);
            if ("GPU".equals(info.hardware().toUpperCase(Locale.ROOT))
                    && (best < 0 || info.computeUnits() > infos.get(best).computeUnits())) {
                best = i;
            }
        }
        return best;
    }

    /** Index of the OpenCL device {@code opencl} means: the best GPU, else the first device, or -1 when none. */
    public static int preferred() {
        int gpu = bestGpu();
        return gpu >= 0 ? gpu : (infos.isEmpty() ? -1 : 0);
    }

    /** Opens {@code opencl:index} with the default pool bound; compiles its kernels. */
    public static OpenClDevice open(int index) {
        return open(index, DEFAULT_MAX_POOL_FLOATS);
    }

    /**
     * Opens {@code opencl:index} with at most {@code maxPoolFloats} floats of device memory.
     *
     * @throws IllegalArgumentException when there is no such device
     * @throws org.flowbench.compute.device.DeviceFailureException when its kernels fail to compile or run
     */
    public static OpenClDevice open(int index, long maxPoolFloats) {
        discover();
        if (index < 0 || index >= devices.size()) {
            throw new IllegalArgumentException(devices.isEmpty()
                    ? "no OpenCL device: " + unavailableReason
                    : "no OpenCL device opencl:" + index + " (there are " + devices.size() + ": opencl:0"
                    + (devices.size() > 1 ? " to opencl:" + (devices.size() - 1) : "") + ")");
        }
        if (maxPoolFloats < 1) {
            throw new IllegalArgumentException("the device memory bound must be positive, got " + maxPoolFloats);
        }
        return OpenClDevice.open("opencl:" + index, devices.get(index), infos.get(index), maxPoolFloats);
    }
}
