package org.flowbench.compute.device;

/**
 * What a device reports about itself, for {@code flowbench devices} and the status bar.
 *
 * @param name          the name {@link ComputeDevices#byName(String)} accepts, e.g. {@code cpu}, {@code opencl:0}
 * @param kind          cpu or OpenCL
 * @param hardware      the hardware type as the driver reports it: {@code CPU}, {@code GPU}, {@code ACC}
 * @param description   vendor and model in words, e.g. {@code NVIDIA H200 (NVIDIA CUDA)}
 * @param computeUnits  threads (cpu) or OpenCL compute units
 * @param memoryBytes   memory buffers can use: the Java heap limit for cpu, global memory for OpenCL
 * @param maxBufferBytes the largest single allocation the device accepts
 */
public record DeviceInfo(String name, DeviceKind kind, String hardware, String description,
                         int computeUnits, long memoryBytes, long maxBufferBytes) {

    /** One line for a status bar: {@code opencl:0 · NVIDIA H200 (GPU, 132 CU, 139.8 GiB)}. */
    public String summary() {
        return String.format(java.util.Locale.ROOT, "%s · %s (%s, %d %s, %.1f GiB)", name, description, hardware,
                computeUnits, kind == DeviceKind.CPU ? "threads" : "CU", memoryBytes / (1024.0 * 1024 * 1024));
    }
}
