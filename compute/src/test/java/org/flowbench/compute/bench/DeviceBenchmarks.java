package org.flowbench.compute.bench;

import org.flowbench.compute.device.ComputeDevices;
import org.flowbench.compute.device.DeviceInfo;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs JMH benchmarks and then prints the device benchmarks as rates a reader can compare:
 * particle evaluations per second and GFLOP/s for the MLP, GB/s for LayerNorm, next to the sgemm
 * GFLOP/s and copy GB/s measured in the same run, with their ratios and the targets.
 *
 * <p>Arguments are JMH's own command line ({@code -p device=opencl}, {@code -f 1}, a benchmark
 * regular expression...). Without a benchmark pattern it runs the device suite: MLP forward,
 * the Euler sampling loop, LayerNorm forward and backward, the flow-matching training step, and
 * the baselines.
 */
public final class DeviceBenchmarks {

    /** The device suite, when no benchmark pattern is given. */
    static final String SUITE = "org\\.flowbench\\.compute\\.bench\\.(DeviceMlpBenchmark|DeviceSamplingBenchmark"
            + "|DeviceNormBenchmark|BaselineBenchmark|TrainingBenchmark|ChannelNormBenchmark)\\..*";

    /** Targets on the cpu device, as fractions of the same-run baselines. */
    static final double MLP_TARGET = 0.60;
    static final double LAYER_NORM_TARGET = 0.60;
    /** Batch-style norm layers on the cpu device, forward and backward, as fractions of the copy rate. */
    static final double CHANNEL_NORM_FORWARD_TARGET = 0.60;
    static final double CHANNEL_NORM_BACKWARD_TARGET = 0.40;
    /** The language model's training step on the cpu device, as a fraction of the same-run sgemm rate. */
    static final double LM_STEP_SGEMM_TARGET = 0.35;
    /** Training steps per second at batch 256, 3 x 128, on the cpu device. */
    static final double TRAINING_STEPS_TARGET = 500;

    private DeviceBenchmarks() {
    }

    public static void main(String[] args) throws RunnerException {
        CommandLineOptions cli;
        try {
            cli = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        OptionsBuilder options = new OptionsBuilder();
        options.parent(cli);
        // The forked JVMs get the Vector API as the app does (see the cpu device's Simd).
        options.jvmArgsAppend("--add-modules=jdk.incubator.vector");
        if (cli.getIncludes().isEmpty()) {
            options.include(SUITE);
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        summarize(results, System.out);
    }

    /** One measured benchmark: its method, parameters and milliseconds per operation. */
    record Measured(String method, Map<String, String> params, double msPerOp) {
        int intParam(String name) {
            return Integer.parseInt(params.get(name));
        }
    }

    static List<Measured> measured(Collection<RunResult> results) {
        List<Measured> all = new ArrayList<>();
        for (RunResult r : results) {
            String label = r.getParams().getBenchmark();
            String method = label.substring(label.lastIndexOf('.', label.lastIndexOf('.') - 1) + 1);
            Map<String, String> params = new TreeMap<>();
            for (String key : r.getParams().getParamsKeys()) {
                params.put(key, r.getParams().getParam(key));
            }
            double score = r.getPrimaryResult().getScore();
            String unit = r.getPrimaryResult().getScoreUnit();
            all.add(new Measured(method, params, toMillis(score, unit)));
        }
        return all;
    }

    private static double toMillis(double score, String unit) {
        return switch (unit) {
            case "ms/op" -> score;
            case "s/op" -> score * 1e3;
            case "us/op" -> score / 1e3;
            case "ns/op" -> score / 1e6;
            case "ops/s" -> 1e3 / score;
            case "ops/ms" -> 1.0 / score;
            default -> throw new IllegalStateException("unexpected JMH unit " + unit);
        };
    }

    /** Prints the table; benchmarks outside the device suite are left to JMH's own report. */
    static void summarize(Collection<RunResult> results, PrintStream out) {
        List<Measured> all = measured(results);
        double sgemm = Double.NaN;
        double copy = Double.NaN;
        String sgemmShape = "";
        long copyBytes = 0;
        for (Measured m : all) {
            if (m.method().equals("BaselineBenchmark.sgemm")) {
                double flops = 2.0 * m.intParam("m") * m.intParam("n") * m.intParam("k");
                sgemm = flops / (m.msPerOp() * 1e6);
                sgemmShape = m.intParam("m") + "x" + m.intParam("k") + " * " + m.intParam("k") + "x" + m.intParam("n");
            } else if (m.method().equals("BaselineBenchmark.copy")) {
                copyBytes = 8L * m.intParam("copyFloats");
                copy = copyBytes / (m.msPerOp() * 1e6);
            }
        }
        out.println();
        out.println("Flowbench device benchmarks (" + Runtime.getRuntime().availableProcessors() + " cores; devices: "
                + String.join(", ", ComputeDevices.list().stream().map(DeviceInfo::summary).toList()) + ")");
        out.printf(Locale.ROOT, "%-22s %-10s %-34s %12s  %s%n", "benchmark", "device", "size", "time/op", "rate");
        for (Measured m : all) {
            String device = m.params().getOrDefault("device", "-");
            switch (m.method()) {
                case "BaselineBenchmark.sgemm" -> out.printf(Locale.ROOT, "%-22s %-10s %-34s %9.2f ms  %.1f GFLOP/s%n",
                        "sgemm (ND4J)", "cpu", sgemmShape, m.msPerOp(), sgemm);
                case "BaselineBenchmark.copy" -> out.printf(Locale.ROOT, "%-22s %-10s %-34s %9.2f ms  %.1f GB/s%n",
                        "copy (arraycopy)", "cpu", mib(copyBytes / 2) + " read + written", m.msPerOp(), copy);
                case "DeviceMlpBenchmark.forward" -> {
                    int width = m.intParam("width");
                    int batch = m.intParam("batch");
                    double seconds = m.msPerOp() / 1e3;
                    double gflops = DeviceMlpBenchmark.flopsPerParticle(width) * (double) batch / seconds / 1e9;
                    out.printf(Locale.ROOT, "%-22s %-10s %-34s %9.2f ms  %s evals/s, %.1f GFLOP/s%s%n", "MLP forward",
                            device, "2-" + width + "x3-2 " + m.params().get("activation").toLowerCase(Locale.ROOT)
                                    + ", batch " + batch,
                            m.msPerOp(), si(batch / seconds), gflops, ratio(gflops, sgemm, "sgemm",
                                    device.equals("cpu") && width == 256 && batch == 10000 ? MLP_TARGET : 0));
                }
                case "DeviceSamplingBenchmark.eulerLoop" -> {
                    int width = m.intParam("width");
                    int particles = m.intParam("particles");
                    int steps = m.intParam("steps");
                    double seconds = m.msPerOp() / 1e3;
                    double gflops = DeviceSamplingBenchmark.flopsPerParticleStep(width) * (double) particles * steps
                            / seconds / 1e9;
                    out.printf(Locale.ROOT, "%-22s %-10s %-34s %9.2f ms  %s evals/s, %.1f GFLOP/s%s%n",
                            "Euler sampling loop", device, steps + " steps, " + particles + " particles, w " + width,
                            m.msPerOp(), si((double) particles * steps / seconds), gflops,
                            ratio(gflops, sgemm, "sgemm", 0));
                }
                case "DeviceNormBenchmark.layerNormForward", "DeviceNormBenchmark.layerNormBackward" -> {
                    boolean forward = m.method().endsWith("Forward");
                    int rows = m.intParam("rows");
                    int cols = m.intParam("cols");
                    long bytes = forward ? DeviceNormBenchmark.forwardBytes(rows, cols)
                            : DeviceNormBenchmark.backwardBytes(rows, cols);
                    double gbs = bytes / (m.msPerOp() * 1e6);
                    out.printf(Locale.ROOT, "%-22s %-10s %-34s %9.2f ms  %.1f GB/s%s%n",
                            forward ? "LayerNorm forward" : "LayerNorm backward", device, rows + " x " + cols,
                            m.msPerOp(), gbs, ratio(gbs, copy, "copy",
                                    forward && device.equals("cpu") ? LAYER_NORM_TARGET : 0));
                }
                case "TrainingBenchmark.trainingStep" -> {
                    int width = m.intParam("width");
                    int batch = m.intParam("batch");
                    double stepsPerSecond = 1e3 / m.msPerOp();
                    double gflops = TrainingBenchmark.flopsPerStep(width, batch) * stepsPerSecond / 1e9;
                    out.printf(Locale.ROOT, "%-22s %-10s %-34s %9.2f ms  %.0f steps/s, %.1f GFLOP/s%s; target >= %.0f steps/s: %s%n",
                            "training step", "cpu", "2-" + width + "x3-2 selu, batch " + batch, m.msPerOp(),
                            stepsPerSecond, gflops, ratio(gflops, sgemm, "sgemm", 0),
                            TRAINING_STEPS_TARGET, stepsPerSecond >= TRAINING_STEPS_TARGET ? "met" : "NOT met");
                }
                case "ChannelNormBenchmark.forward", "ChannelNormBenchmark.backward" -> {
                    boolean forward = m.method().endsWith("forward");
                    int b = m.intParam("batch");
                    int c = m.intParam("channels");
                    int sp = m.intParam("spatial");
                    long bytes = forward ? ChannelNormBenchmark.forwardBytes(b, c, sp)
                            : ChannelNormBenchmark.backwardBytes(b, c, sp);
                    double gbs = bytes / (m.msPerOp() * 1e6);
                    out.printf(Locale.ROOT, "%-22s %-10s %-34s %9.2f ms  %.1f GB/s%s%n",
                            m.params().get("layer") + " norm " + (forward ? "forward" : "backward"), device,
                            b + " x " + c + " x " + sp, m.msPerOp(), gbs, ratio(gbs, copy, "copy",
                                    !device.equals("cpu") ? 0
                                            : forward ? CHANNEL_NORM_FORWARD_TARGET : CHANNEL_NORM_BACKWARD_TARGET));
                }
                case "LmTrainingBenchmark.trainingStep" -> {
                    double flops = LmTrainingBenchmark.flopsPerStep();
                    double gflops = flops / (m.msPerOp() * 1e6);
                    double lmSgemm = Double.NaN;
                    for (Measured o : all) {
                        if (o.method().equals("LmTrainingBenchmark.sgemm")
                                && o.params().get("threads").equals(m.params().get("threads"))) {
                            lmSgemm = 2.0 * LmTrainingBenchmark.GEMM_M * LmTrainingBenchmark.GEMM_N
                                    * LmTrainingBenchmark.GEMM_K / (o.msPerOp() * 1e6);
                        }
                    }
                    out.printf(Locale.ROOT, "%-22s %-10s %-34s %9.2f ms  %.2f GFLOP a step, %.1f GFLOP/s%s%n",
                            "LM training step", "cpu", "12 x 128, ctx 64, batch 16, " + m.params().get("threads")
                                    + " thr", m.msPerOp(), flops / 1e9, gflops,
                            ratio(gflops, lmSgemm, "sgemm at the same threads", LM_STEP_SGEMM_TARGET));
                }
                case "LmTrainingBenchmark.sgemm" -> out.printf(Locale.ROOT, "%-22s %-10s %-34s %9.2f ms  %.1f GFLOP/s%n",
                        "sgemm (ND4J)", "cpu", LmTrainingBenchmark.GEMM_M + "x" + LmTrainingBenchmark.GEMM_K + " * "
                                + LmTrainingBenchmark.GEMM_K + "x" + LmTrainingBenchmark.GEMM_N + ", "
                                + m.params().get("threads") + " thr", m.msPerOp(),
                        2.0 * LmTrainingBenchmark.GEMM_M * LmTrainingBenchmark.GEMM_N * LmTrainingBenchmark.GEMM_K
                                / (m.msPerOp() * 1e6));
                default -> {
                    // Not a device benchmark: JMH's report above covers it.
                }
            }
        }
    }

    private static String ratio(double value, double baseline, String name, double target) {
        if (Double.isNaN(baseline)) {
            return "";
        }
        double r = value / baseline;
        String s = String.format(Locale.ROOT, "  (%.2f x %s", r, name);
        if (target > 0) {
            s += String.format(Locale.ROOT, "; target >= %.2f: %s", target, r >= target ? "met" : "NOT met");
        }
        return s + ")";
    }

    private static String si(double perSecond) {
        if (perSecond >= 1e9) {
            return String.format(Locale.ROOT, "%.2fG", perSecond / 1e9);
        }
        if (perSecond >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", perSecond / 1e6);
        }
        if (perSecond >= 1e3) {
            return String.format(Locale.ROOT, "%.1fk", perSecond / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", perSecond);
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.0f MiB", bytes / (1024.0 * 1024));
    }
}
