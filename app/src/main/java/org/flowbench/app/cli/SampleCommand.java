package org.flowbench.app.cli;

import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.io.OutputFiles;
import org.flowbench.compute.nn.FlowModelFile;
import org.flowbench.compute.ode.IntegrationMonitor;
import org.flowbench.compute.ode.OdeResult;
import org.flowbench.compute.ode.Recording;
import org.flowbench.compute.ode.Trajectory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code flowbench sample}: draws noise, integrates a model and writes the samples (and optionally trajectories) as CSV. */
@Command(name = "sample",
        description = "Sample a trained model: integrate noise from t = 0 to 1 and write the end points as CSV (x,y).",
        mixinStandardHelpOptions = true,
        sortOptions = false)
public final class SampleCommand implements Callable<Integer> {

    /** Largest sample a command writes (each point is a CSV line). */
    static final int MAX_POINTS = 1_000_000;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", required = true, description = "Checkpoint to sample (.safetensors).")
    Path model;

    @CommandLine.Mixin
    FlowSolverOptions solver;

    @Option(names = "--n", paramLabel = "N", defaultValue = "1000", description = "Number of samples, at most " + MAX_POINTS + " (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "CSV of the samples, header x,y (an existing file is replaced only with --force).")
    Path out;

    @Option(names = "--trajectories", paramLabel = "FILE", description = "Also write every particle's path as CSV: particle,step,t,x,y.")
    Path trajectories;

    @Option(names = "--every", paramLabel = "K", defaultValue = "1", description = "Record a trajectory frame every K steps (default: ${DEFAULT-VALUE}).")
    int every;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed of the noise (default: ${DEFAULT-VALUE}).")
    long seed;

    @CommandLine.Mixin
    ImportOption importOption;

    @CommandLine.Mixin
    DeviceOptions device;

    @CommandLine.Mixin
    OverwriteOption overwrite;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        OptionChecks.atMost("--n", n, MAX_POINTS);
        OptionChecks.positive("--every", every);
        OutputFiles.checkDistinct(out, trajectories);
        FlowCli.Output samplesFile = FlowCli.output(out, overwrite, model, solver.scheduleFile());
        FlowCli.Output trajectoriesFile = trajectories == null ? null
                : FlowCli.output(trajectories, overwrite, model, solver.scheduleFile());
        try (ComputeDevice computeDevice = device.open(stderr);
             FlowModelFile.Loaded loaded = FlowModels.load(computeDevice, model, importOption)) {
            FlowModels.Integration integration = FlowModels.integration(loaded, solver, seed, stderr);
            float[] z0 = FlowModels.source(loaded).sample(n, seed);
            Recording recording = trajectories == null ? Recording.NONE : Recording.first(n, every, false);
            stderr.printf(Locale.ROOT, "sampling %d points with %s on %s%n", n, integration.description(), computeDevice.name());
            stderr.flush();
            OdeResult result = integration.solver().integrate(loaded.model(), z0, n, integration.grid(), recording, IntegrationMonitor.NONE);
            FlowCli.writePoints(samplesFile, result.finalState(), n);
            if (trajectories != null) {
                writeTrajectories(trajectoriesFile, result.trajectory());
            }
            stdout.printf(Locale.ROOT, "nfe %d%n", result.nfe());
            stdout.printf(Locale.ROOT, "steps %d%n", result.steps());
            stdout.printf(Locale.ROOT, "samples %s%n", out);
            if (trajectories != null) {
                stdout.printf(Locale.ROOT, "trajectories %s%n", trajectories);
            }
            stdout.flush();
        }
        return 0;
    }

    /** particle,step,t,x,y with rows grouped by particle, so each particle's path is contiguous. */
    static void writeTrajectories(FlowCli.Output file, Trajectory trajectory) throws java.io.IOException {
        int frames = trajectory.frameCount();
        int m = trajectory.particleCount();
        int[] particles = trajectory.particles();
        int[] steps = trajectory.frameSteps();
        double[] times = trajectory.frameTimes();
        float[] positions = trajectory.framePositions();
        file.writeText(w -> {
            w.write("particle,step,t,x,y\n");
            for (int p = 0; p < m; p++) {
                for (int f = 0; f < frames; f++) {
                    int k = (f * m + p) * 2;
                    w.write(Integer.toString(particles[p]));
                    w.write(',');
                    w.write(Integer.toString(steps[f]));
                    w.write(',');
                    w.write(Double.toString(times[f]));
                    w.write(',');
                    w.write(FlowCli.number(positions[k]));
                    w.write(',');
                    w.write(FlowCli.number(positions[k + 1]));
                    w.write('\n');
                }
            }
        });
    }
}
