package org.flowbench.compute.device.opencl;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The device time of each kernel launched while a profile was recorded ({@link
 * OpenClDevice#profileKernels}), as the OpenCL driver measured it from each launch's start to its
 * end. What the kernels leave out of the wall time is launch gaps and host work.
 *
 * @param kernels one entry per kernel launched at least once, the longest total first
 */
public record KernelProfile(List<Kernel> kernels) {

    /**
     * One kernel's launches and their summed device time.
     *
     * @param name     the kernel's name in the OpenCL program, {@code op_<code>_<name>}
     * @param launches how many times it ran
     * @param nanos    its device time over all of them
     */
    public record Kernel(String name, long launches, long nanos) {
    }

    public KernelProfile {
        kernels = kernels.stream().sorted(Comparator.comparingLong(Kernel::nanos).reversed()
                .thenComparing(Kernel::name)).toList();
    }

    /** Launches of every kernel. */
    public long launches() {
        return kernels.stream().mapToLong(Kernel::launches).sum();
    }

    /** Device time of every kernel, in nanoseconds. */
    public long nanos() {
        return kernels.stream().mapToLong(Kernel::nanos).sum();
    }

    /**
     * A table, the longest kernel first, with launches and milliseconds per repetition of the
     * profiled work ({@code repetitions} of it were recorded), each kernel's share of the kernel
     * time and its mean microseconds per launch; at most {@code rows} kernels, the rest summed.
     */
    public String table(int repetitions, int rows) {
        if (repetitions < 1 || rows < 1) {
            throw new IllegalArgumentException("repetitions and rows must be at least 1, got " + repetitions + ", " + rows);
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-34s %10s %10s %7s %10s%n", "kernel",
                "launches", "ms", "share", "us/launch"));
        double total = Math.max(1, nanos());
        long otherLaunches = 0;
        long otherNanos = 0;
        for (int i = 0; i < kernels.size(); i++) {
            Kernel k = kernels.get(i);
            if (i < rows) {
                out.append(row(k.name(), k.launches(), k.nanos(), repetitions, total));
            } else {
                otherLaunches += k.launches();
                otherNanos += k.nanos();
            }
        }
        if (kernels.size() > rows) {
            out.append(row((kernels.size() - rows) + " other kernels", otherLaunches, otherNanos, repetitions, total));
        }
        out.append(row("all kernels", launches(), nanos(), repetitions, total));
        return out.toString();
    }

    private static String row(String name, long launches, long nanos, int repetitions, double total) {
        return String.format(Locale.ROOT, "%-34s %10.1f %10.3f %6.1f%% %10.1f%n", name, launches / (double) repetitions,
                nanos / 1e6 / repetitions, 100 * nanos / total, launches == 0 ? 0 : nanos / 1e3 / launches);
    }
}
