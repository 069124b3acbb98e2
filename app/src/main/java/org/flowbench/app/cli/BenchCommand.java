package org.flowbench.app.cli;

import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.QuickBenchmark;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code flowbench bench}: a benchmark of a few seconds on one device, printed as a table of
 * rates next to the sgemm and memory-copy figures measured in the same run.
 */
@Command(name = "bench",
        description = "Quick benchmark of a compute device: MLP forward (GFLOP/s, particle evaluations/s) and "
                + "LayerNorm (GB/s), next to ND4J sgemm and memory copy measured in the same run.",
        mixinStandardHelpOptions = true)
public final class BenchCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    DeviceOptions device;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "1",
            description = "Time spent measuring each case, in seconds (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!(seconds > 0) || seconds > 60) {
            throw new IllegalArgumentException("--seconds must be in (0, 60], got " + seconds);
        }
        try (ComputeDevice d = device.open(err)) {
            err.println("benchmarking " + d.info().summary());
            err.flush();
            List<QuickBenchmark.Result> results = QuickBenchmark.run(d, seconds, step -> {
                err.println("  " + step + "...");
                err.flush();
            }, () -> Thread.currentThread().isInterrupted());
            out.printf(Locale.ROOT, "%-20s %-9s %-30s %10s %13s  %s%n", "CASE", "DEVICE", "SIZE", "TIME", "RATE",
                    "VERSUS SAME-RUN BASELINE");
            for (QuickBenchmark.Result r : results) {
                String versus = r.baseline() == null ? "(baseline)"
                        : String.format(Locale.ROOT, "%.2f x %s", r.ratio(), r.baseline());
                if (r.evalsPerSecond() > 0) {
                    versus += String.format(Locale.ROOT, "; %.3g particle evaluations/s", r.evalsPerSecond());
                }
                out.printf(Locale.ROOT, "%-20s %-9s %-30s %7.2f ms %7.1f %-5s  %s%n", r.name(), r.device(), r.size(),
                        r.millis(), r.rate(), r.unit(), versus);
            }
            out.flush();
        }
        return 0;
    }
}
