package org.flowbench.app.cli.poincare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.flowbench.compute.hierarchy.EdgeList;
import org.flowbench.compute.hierarchy.EdgeListFiles;
import org.flowbench.compute.hierarchy.HierarchyFormatException;

/** Checks shared by the Poincaré lab's commands. */
final class PoincareCli {

    private PoincareCli() {
    }

    /** Refuses to replace an existing file unless --force was given. */
    static void checkWritable(String option, Path out, boolean force) {
        if (out == null) {
            throw new IllegalArgumentException(option + " is required");
        }
        if (Files.isDirectory(out)) {
            throw new IllegalArgumentException(option + " " + out + " is a directory");
        }
        if (Files.exists(out) && !force) {
            throw new IllegalArgumentException(option + " " + out + " already exists; pass --force to replace it");
        }
    }

    /** Reads an edge list and refuses one with a cycle. */
    static EdgeList readHierarchy(Path file) throws IOException {
        EdgeList edges = EdgeListFiles.read(file);
        String cycle = edges.findCycle();
        if (cycle != null) {
            throw new HierarchyFormatException(file, cycle);
        }
        return edges;
    }

    /**
     * Processor time used by this process so far, in nanoseconds (0 where the JVM does not
     * report it): on a shared machine it says more about the work than the wall time.
     */
    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return Math.max(0, ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime());
        }
        return 0;
    }

    /** Worker threads when the user does not say: the machine's cores, at most 8. */
    static int defaultThreads() {
        return Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));
    }
}
