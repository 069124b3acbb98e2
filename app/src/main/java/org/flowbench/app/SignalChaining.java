package org.flowbench.app;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts the workbench in a JVM that has the JDK's signal-chaining library preloaded.
 *
 * <p>PoCL, the OpenCL driver that runs kernels on the processor, compiles them with LLVM, and LLVM
 * installs its own one-shot handlers for SIGSEGV, SIGBUS, SIGTERM and others over the JVM's. The
 * JVM takes SIGSEGV for its safepoint polls; LLVM's handler passes the first one back, but a
 * second thread that faults in the same instant meets the default action and the process dies
 * with no error report (seen as a "Segmentation fault" of the window on the normalization lab).
 * With {@code libjsig} preloaded the JVM keeps its handlers and chains the library's behind them.
 * That library must be loaded before the JVM starts, so a JVM started without it starts a second
 * one with it, passes its arguments on and exits with its exit code.
 */
final class SignalChaining {

    /** Set in the second JVM so that it never starts a third. */
    static final String CHAINED = "FLOWBENCH_SIGNAL_CHAINING";
    private static final String PRELOAD = "LD_PRELOAD";
    private static final String LIBRARY = "libjsig.so";
    /** The exit code of a launcher interrupted while it waited (the shell's 128 + SIGINT). */
    private static final int INTERRUPTED = 130;

    private SignalChaining() {
    }

    /**
     * The command and environment changes of the second JVM, or empty when this one may go on:
     * not Linux, already chained or preloaded, no {@code libjsig.so} in {@code javaHome}, or a
     * command line that never opens an OpenCL device.
     */
    static Optional<Relaunch> plan(String osName, Map<String, String> env, Path javaHome, Path javaCommand,
                                   List<String> jvmArguments, String classPath, String[] args) {
        Path library = javaHome.resolve("lib").resolve(LIBRARY);
        String preload = env.getOrDefault(PRELOAD, "");
        if (!osName.toLowerCase(java.util.Locale.ROOT).startsWith("linux") || env.containsKey(CHAINED)
                || preload.contains(LIBRARY) || !Files.isRegularFile(library) || !mayOpenOpenCl(args)) {
            return Optional.empty();
        }
        List<String> command = new ArrayList<>();
        command.add(javaCommand.toString());
        command.addAll(jvmArguments);
        command.add("-cp");
        command.add(classPath);
        command.add(Main.class.getName());
        command.addAll(Arrays.asList(args));
        String chainedPreload = preload.isBlank() ? library.toString() : library + ":" + preload;
        return Optional.of(new Relaunch(command, Map.of(PRELOAD, chainedPreload, CHAINED, "1")));
    }

    /** The window may open an OpenCL device; the command line only when it names one. */
    static boolean mayOpenOpenCl(String[] args) {
        return args.length == 0 || Main.labOption(args) != null
                || Arrays.stream(args).anyMatch(arg -> arg.toLowerCase(java.util.Locale.ROOT).contains("opencl"));
    }

    /**
     * Runs {@code args} in a second JVM with signal chaining when this one needs it, and returns
     * its exit code; empty when this JVM should run them itself (also when the second JVM could
     * not be started: the workbench then runs as before).
     */
    static Optional<Integer> relaunchIfNeeded(String[] args) {
        Optional<Path> java = ProcessHandle.current().info().command().map(Path::of);
        if (java.isEmpty()) {
            return Optional.empty();
        }
        Optional<Relaunch> plan = plan(System.getProperty("os.name", ""), System.getenv(),
                Path.of(System.getProperty("java.home")), java.get(),
                ManagementFactory.getRuntimeMXBean().getInputArguments(),
                System.getProperty("java.class.path"), args);
        if (plan.isEmpty()) {
            return Optional.empty();
        }
        ProcessBuilder builder = new ProcessBuilder(plan.get().command()).inheritIO();
        builder.environment().putAll(plan.get().environment());
        Process child;
        try {
            child = builder.start();
        } catch (IOException e) {
            return Optional.empty();
        }
        // A signal to this JVM (a logout, kill) reaches the workbench too.
        Runtime.getRuntime().addShutdownHook(new Thread(child::destroy, "Flowbench relaunch stop"));
        try {
            return Optional.of(child.waitFor());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            child.destroy();
            return Optional.of(INTERRUPTED);
        }
    }

    /** The second JVM's command line and the variables added to its environment. */
    record Relaunch(List<String> command, Map<String, String> environment) {
    }
}
