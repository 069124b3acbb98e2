package org.flowbench.views.trajectories;

import org.flowbench.compute.data.Dataset;
import org.flowbench.compute.data.Datasets;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.ComputeDevices;
import org.flowbench.compute.nn.FlowModelFile;
import org.flowbench.views.figure.FigureCatalog;
import org.flowbench.views.figure.FigureTheme;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Trajectories figure without a window, for {@code flowbench export --figure trajectories}:
 * the same sampling ({@link FlowSampler}) and the same paint routine as the lab, for given model
 * files, solver settings and time.
 */
public final class TrajectoriesExport {

    public static final String FIGURE = "trajectories";

    private TrajectoriesExport() {
    }

    /** Adds "trajectories" (the two sample models, the lab's opening settings, t = 1) to the catalogue once. */
    public static synchronized void register() {
        if (FigureCatalog.names().contains(FIGURE)) {
            return;
        }
        FigureCatalog.register(FIGURE,
                "1-RF (curved) and 2-RF (straight) flows side by side on the same noise, Euler 8 steps, t = 1, from samples/",
                TrajectoriesFigure.PREFERRED_WIDTH, TrajectoriesFigure.PREFERRED_HEIGHT, (seed, theme) -> {
                    SamplingSettings d = SamplingSettings.defaults();
                    Path folder = SampleModels.folder();
                    try {
                        return figure(List.of(folder.resolve(SampleModels.CURVED), folder.resolve(SampleModels.STRAIGHT)),
                                new SamplingSettings(d.solver(), d.steps(), d.tolerance(), d.schedule(), d.particles(), d.traced(), seed),
                                1.0, theme);
                    } catch (java.io.IOException e) {
                        throw new IllegalArgumentException(e.getMessage(), e);
                    }
                });
    }

    /**
     * Samples each model on the same noise and returns the figure at time {@code t}.
     *
     * @throws java.io.IOException for an unreadable, corrupt or wrong-kind checkpoint (one-line message)
     */
    public static TrajectoriesFigure figure(List<Path> models, SamplingSettings settings, double t, FigureTheme theme)
            throws java.io.IOException {
        if (models.isEmpty() || models.size() > 2) {
            throw new IllegalArgumentException("give one or two model files (got " + models.size() + ")");
        }
        if (!(t >= 0 && t <= 1)) {
            throw new IllegalArgumentException("time must be between 0 and 1 (got " + t + ")");
        }
        try (ComputeDevice device = ComputeDevices.open(ComputeDevices.CPU)) {
            List<FlowRun> runs = new ArrayList<>();
            float[] noise = null;
            float[] target = null;
            for (Path file : models) {
                try (FlowModelFile.Loaded loaded = FlowModelFile.load(device, file)) {
                    String round = loaded.metadata("reflow_round", "1");
                    String label = round + "-RF" + (loaded.isOneStep() ? " distilled, one step" : "") + " \u00b7 "
                            + file.getFileName().toString().replaceFirst("\\.safetensors$", "");
                    Dataset source = Datasets.byName(loaded.metadata("source", "normal"));
                    if (noise == null) {
                        noise = source.sample(settings.particles(), settings.seed());
                        target = Datasets.byName(loaded.metadata("target", "moons")).sample(2000, settings.seed() + 1);
                    }
                    runs.add(FlowSampler.run(label, loaded.model(), noise,
                            FlowSampler.grid(loaded.model(), source, settings, () -> false), settings, loaded.isOneStep(), () -> false));
                }
            }
            return new TrajectoriesFigure(runs, target, t, null, -1, TrajectoriesFigure.Options.defaults(), theme);
        }
    }
}
