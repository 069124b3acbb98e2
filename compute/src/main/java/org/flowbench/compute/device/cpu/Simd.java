package org.flowbench.compute.device.cpu;

/**
 * Whether the cpu device may use the Vector API ({@link VectorKernels}): the module is
 * incubating in Java 17, so it is there only when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} (README's run command does; the tests and benchmarks
 * do). Without it the device runs its plain loops, which give the same results to rounding.
 */
public final class Simd {

    /** The JVM option that turns the Vector API kernels on. */
    public static final String JVM_OPTION = "--add-modules jdk.incubator.vector";

    private static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private Simd() {
    }

    /** Whether the Vector API kernels are in use. */
    public static boolean available() {
        return AVAILABLE;
    }
}
