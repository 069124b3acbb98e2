package org.flowbench.views.trajectories;

import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.ComputeDevices;
import org.flowbench.compute.nn.FlowModelFile;
import org.flowbench.views.figure.FigureSpec;
import org.flowbench.views.figure.FigureSpec.Parameter;
import org.flowbench.views.figure.FigureTheme;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Trajectories lab's figures as {@code flowbench export} draws them without a window: the
 * trajectories figure (the same sampling and paint routine as the lab, for given model files,
 * solver settings and time) and the probability-path figures.
 */
public final class TrajectoriesFigures {

    public static final String TRAJECTORIES = "trajectories";

    private TrajectoriesFigures() {
    }

    /** The figures this lab registers, with the keys {@code --set} accepts. */
    public static List<FigureSpec> specs() {
        SamplingSettings d = SamplingSettings.defaults();
        return List.of(
                new FigureSpec(TRAJECTORIES,
                        "two flows side by side on the same noise (default: 1-RF curved and 2-RF straight from samples/)",
                        TrajectoriesFigure.PREFERRED_WIDTH, TrajectoriesFigure.PREFERRED_HEIGHT,
                        List.of(new Parameter("models", "", "one or two velocity checkpoints, left then right, comma-separated "
                                        + "(empty: samples/" + SampleModels.CURVED + " and " + SampleModels.STRAIGHT + ")"),
                                new Parameter("solver", d.solver(), "euler, midpoint, heun, rk4 or dopri5"),
                                new Parameter("steps", Integer.toString(d.steps()), "solver steps, 1 to " + SamplingSettings.MAX_STEPS),
                                new Parameter("schedule", d.schedule(), "uniform steps, or boss (Bellman-optimal steps)"),
                                new Parameter("tolerance", Double.toString(d.tolerance()), "dopri5 atol = rtol"),
                                new Parameter("time", "1", "time shown, 0 (noise) to 1 (data)"),
                                new Parameter("particles", Integer.toString(d.particles()), "particles, 1 to " + SamplingSettings.MAX_PARTICLES),
                                new Parameter("traced", Integer.toString(d.traced()), "particles drawn with their paths")),
                        (v, theme) -> figure(models(v.list("models")),
                                new SamplingSettings(v.text("solver"), v.integer("steps", 1, SamplingSettings.MAX_STEPS),
                                        v.real("tolerance", 1e-12, 1), v.text("schedule"),
                                        v.integer("particles", 1, SamplingSettings.MAX_PARTICLES),
                                        v.integer("traced", 0, SamplingSettings.MAX_PARTICLES), v.seed()),
                                v.real("time", 0, 1), theme)),
                new FigureSpec("probability-path",
                        "samples of x_t = (1-t) x0 + t x1 at t = 0, 0.25, 0.5, 0.75, 1, N(0, I) to two moons, n = "
                                + ProbabilityPathFigure.DEFAULT_COUNT,
                        ProbabilityPathFigure.PREFERRED_WIDTH, ProbabilityPathFigure.PREFERRED_HEIGHT, List.of(),
                        (v, theme) -> ProbabilityPathFigure.create(v.seed(), theme)),
                new FigureSpec("probability-path-ot",
                        "the same path with optimal-transport pairs: x0 and x1 matched to minimise total squared distance, n = "
                                + ProbabilityPathFigure.DEFAULT_COUNT,
                        ProbabilityPathFigure.PREFERRED_WIDTH, ProbabilityPathFigure.PREFERRED_HEIGHT, List.of(),
                        (v, theme) -> ProbabilityPathFigure.create("ot", v.seed(), theme)));
    }

    private static List<Path> models(List<String> given) {
        if (given.isEmpty()) {
            Path samples = SampleModels.folder();
            return List.of(samples.resolve(SampleModels.CURVED), samples.resolve(SampleModels.STRAIGHT));
        }
        return given.stream().map(Path::of).toList();
    }

    /**
     * Samples each model on the same noise and returns the figure at time {@code t}.
     *
     * @throws IOException for an unreadable, corrupt or wrong-kind checkpoint (one-line message)
     */
    public static TrajectoriesFigure figure(List<Path> models, SamplingSettings settings, double t, FigureTheme theme)
            throws IOException {
        if (models.isEmpty() || models.size() > 2) {
            throw new IllegalArgumentException("give one or two model files (got " + models.size() + ")");
        }
        if (!(t >= 0 && t <= 1)) {
            throw new IllegalArgumentException("time must be between 0 and 1 (got " + t + ")");
        }
        try (ComputeDevice device = ComputeDevices.open(ComputeDevices.CPU)) {
            List<LoadedFlow> flows = new ArrayList<>();
            try {
                for (Path file : models) {
                    flows.add(LoadedFlow.load(device, file));
                }
                SameNoiseSampling.Result sampled = SameNoiseSampling.sample(flows, settings, () -> false, (done, total, what) -> { });
                return new TrajectoriesFigure(sampled.runs(), sampled.target(), t, null, -1,
                        TrajectoriesFigure.Options.defaults(), theme);
            } finally {
                for (LoadedFlow flow : flows) {
                    flow.model().close();
                }
            }
        }
    }
}
