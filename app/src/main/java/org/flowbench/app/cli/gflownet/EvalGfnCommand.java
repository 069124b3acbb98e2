package org.flowbench.app.cli.gflownet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.flowbench.app.cli.DeviceOptions;
import org.flowbench.app.cli.JsonOption;
import org.flowbench.app.cli.OptionChecks;
import org.flowbench.compute.data.SeededRandom;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.gflownet.Evaluation;
import org.flowbench.compute.gflownet.ExactFlows;
import org.flowbench.compute.gflownet.GfnEnvironment;
import org.flowbench.compute.gflownet.GfnModelFile;
import org.flowbench.compute.gflownet.GfnTraining;
import org.flowbench.compute.gflownet.StateGraph;
import org.flowbench.compute.gflownet.TerminalTracker;
import org.flowbench.compute.gflownet.Trajectory;
import org.flowbench.compute.gflownet.TrajectorySampler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code flowbench eval-gfn}: measures a GFlowNet checkpoint. On an enumerable environment: the
 * exact terminal distribution its policy induces against R/Z (L1, JSD), the log Z error, the
 * per-edge flow error and the modes it covers (a mode counts when the policy gives it at least
 * half its target probability); with {@code --samples N} the L1 and JSD of N fresh samples as
 * well. On a set task too large to enumerate: the log Z error against the closed form and the
 * mean reward of the top-100 distinct sets among N samples.
 */
@Command(name = "eval-gfn",
        description = "Measure a GFlowNet checkpoint against the exact solution of its environment.",
        mixinStandardHelpOptions = true,
        sortOptions = false)
public final class EvalGfnCommand implements Callable<Integer> {

    /** Most fresh samples one evaluation draws. */
    public static final int MAX_SAMPLES = 10_000_000;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", required = true, description = "GFlowNet checkpoint (.safetensors) written by train-gfn.")
    Path model;

    @Option(names = "--distribution", paramLabel = "FILE", description = "CSV of the exact terminal distribution the policy induces: x0,...,x{D-1},p.")
    Path distribution;

    @Option(names = "--samples", paramLabel = "N", description = "Also measure N fresh samples (default: none on enumerable environments, 10000 on larger set tasks).")
    Integer samples;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed of the fresh samples (default: ${DEFAULT-VALUE}).")
    long seed;

    @CommandLine.Mixin
    DeviceOptions device;

    @Option(names = "--force", description = "Replace an existing distribution file.")
    boolean force;

    @CommandLine.Mixin
    JsonOption.InsteadOfLines json;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        OptionChecks.existingFile("--model", model);
        GfnCli.writable("--distribution", distribution, force);
        if (samples != null) {
            OptionChecks.range("--samples", samples, 1, MAX_SAMPLES);
        }
        ObjectNode o = new ObjectMapper().createObjectNode();
        try (ComputeDevice computeDevice = device.open(stderr);
             GfnModelFile.Loaded loaded = GfnModelFile.load(computeDevice, model)) {
            GfnEnvironment env = loaded.environment();
            if (distribution != null && env.stateCount() < 0) {
                throw new IllegalArgumentException("--distribution needs an environment small enough to enumerate; "
                        + env.spec() + " is not");
            }
            o.put("model", model.getFileName().toString());
            o.put("env", env.spec());
            o.put("loss", loaded.objective().spec());
            stderr.printf(Locale.ROOT, "evaluating %s (%s, %s) on %s%n", model.getFileName(), env.spec(), loaded.objective().spec(),
                    computeDevice.name());
            stderr.flush();
            if (env.stateCount() >= 0) {
                long t0 = System.nanoTime();
                ExactFlows exact = ExactFlows.of(env);
                Evaluation.Exact e = Evaluation.exact(exact, loaded.network(), loaded.objective(), loaded.logZ());
                double ms = (System.nanoTime() - t0) / 1e6;
                o.put("l1", e.l1());
                o.put("jsd", e.jsd());
                o.put("log_z", e.logZEstimate());
                o.put("log_z_true", exact.logZ());
                o.put("log_z_error", e.logZError());
                o.put("edge_flow_error", e.edgeFlowError());
                if (env.hasModes()) {
                    o.put("modes_covered", modesCovered(exact, e.distribution()));
                    o.put("modes_total", exact.modeCount());
                }
                o.put("exact_ms", ms);
                if (samples != null) {
                    Evaluation.Sampled s = Evaluation.sampled(exact, loaded.network(), samples, seed);
                    o.put("samples", s.samples());
                    o.put("l1_samples", s.l1());
                    o.put("jsd_samples", s.jsd());
                    o.put("l1_perfect_sampler", Evaluation.perfectSamplerL1(exact, samples, seed));
                }
                if (distribution != null) {
                    writeDistribution(distribution, exact.graph(), e.distribution());
                }
            } else {
                double logZ = GfnTraining.logZEstimateAtOrigin(env, loaded.network(), loaded.objective(), loaded.logZ());
                double trueLogZ = env.logPartitionClosedForm();
                o.put("log_z", logZ);
                TrainGfnCommand.putNumber(o, "log_z_true", trueLogZ);
                TrainGfnCommand.putNumber(o, "log_z_error", Math.abs(logZ - trueLogZ));
                int n = samples == null ? 10_000 : samples;
                TrajectorySampler sampler = new TrajectorySampler(env, loaded.network());
                TerminalTracker tracker = new TerminalTracker(env);
                SeededRandom random = new SeededRandom(seed);
                for (int done = 0; done < n; done += 4096) {
                    List<Trajectory> batch = sampler.sample(Math.min(4096, n - done), random);
                    batch.forEach(tracker::add);
                }
                o.put("samples", n);
                o.put("distinct", tracker.distinctTerminals());
                o.put("top100_reward", tracker.topMeanReward(100));
            }
        }
        if (json.requested()) {
            stdout.println(o);
        } else {
            o.fields().forEachRemaining(f -> {
                if (!f.getKey().equals("model")) {
                    stdout.println(f.getKey() + " " + (f.getValue().isTextual() ? f.getValue().asText() : f.getValue().toString()));
                }
            });
        }
        stdout.flush();
        return 0;
    }

    private static int modesCovered(ExactFlows exact, double[] p) {
        StateGraph g = exact.graph();
        GfnEnvironment env = g.environment();
        double[] target = exact.targetDistribution();
        int[] s = new int[env.dimension()];
        int covered = 0;
        for (int i = 0; i < g.size(); i++) {
            g.state(i, s);
            if (g.canTerminate(i) && env.isMode(s) && p[i] >= 0.5 * target[i]) {
                covered++;
            }
        }
        return covered;
    }

    static void writeDistribution(Path file, StateGraph g, double[] p) throws java.io.IOException {
        int dim = g.environment().dimension();
        GfnCli.writeText(file, w -> {
            StringBuilder header = new StringBuilder();
            for (int i = 0; i < dim; i++) {
                header.append('x').append(i).append(',');
            }
            w.write(header.append("p\n").toString());
            int[] s = new int[dim];
            for (int i = 0; i < g.size(); i++) {
                if (!g.canTerminate(i)) {
                    continue;
                }
                g.state(i, s);
                StringBuilder row = new StringBuilder();
                for (int v : s) {
                    row.append(v).append(',');
                }
                w.write(row.append(p[i]).append('\n').toString());
            }
        });
    }
}
