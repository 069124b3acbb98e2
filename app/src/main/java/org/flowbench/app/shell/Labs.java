package org.flowbench.app.shell;

import org.flowbench.views.device.DeviceSelection;
import org.flowbench.views.jobs.TaskExecutor;
import org.flowbench.views.lab.Lab;
import org.flowbench.views.lab.PlannedLabPage;
import org.flowbench.views.trajectories.TrajectoriesLab;

import java.util.List;

/** The four labs in navigator order. Labs not built yet get an honest page of what they will show. */
public final class Labs {

    private Labs() {
    }

    /** @param devices where the labs' models run (the status bar's choice, cpu until discovery ends) */
    public static List<Lab> create(TaskExecutor executor, DeviceSelection devices, boolean dark) {
        Lab trajectories = new TrajectoriesLab(executor, devices);
        trajectories.setDarkTheme(dark);
        return List.of(
                trajectories,
                new PlannedLabPage("normalization", "Normalization & depth",
                        "How the placement of normalization inside a Transformer block shapes the hidden-state "
                                + "variance and the gradient norms, layer by layer: Post-LN x \u2190 LN(x + F(x)), "
                                + "Pre-LN x \u2190 x + F(LN(x)) and Peri-LN x \u2190 x + LN(F(LN(x))), "
                                + "and the normalization layers themselves (LayerNorm, RMSNorm).",
                        List.of("hidden-state variance per layer for Post-LN, Pre-LN and Peri-LN side by side, "
                                        + "growing with depth (Pre-LN fast, Peri-LN roughly linearly, Post-LN bounded)",
                                "gradient norm per layer (vanishing early-layer gradients under Post-LN)",
                                "LayerNorm and RMSNorm inputs and outputs on one batch, with their statistics")),
                new PlannedLabPage("poincare", "Poincar\u00e9 ball",
                        "Hierarchies embedded in hyperbolic space: the Poincar\u00e9 disc of curvature \u2212c, "
                                + "where distance grows without bound towards the rim and trees embed with low distortion.",
                        List.of("a hierarchy (for example a WordNet noun subtree) embedded in the disc, parents near the centre",
                                "geodesics between chosen points (circle arcs orthogonal to the rim)",
                                "M\u00f6bius re-centring: moving any point to the origin by a M\u00f6bius translation",
                                "hyperbolic batch normalization: Fr\u00e9chet mean and dispersion of a batch, before and after")),
                new PlannedLabPage("gflownets", "GFlowNets",
                        "Generative flow networks on a small directed acyclic graph that can be enumerated exactly "
                                + "(a HyperGrid), so learned flows can be compared with the true ones.",
                        List.of("the state graph with edge flows drawn as widths, and the reward of each terminal state",
                                "the sampling distribution against R(x)/Z as training proceeds (L1, log Z error)",
                                "trajectory-level credit (trajectory balance) against local, forward-looking credit")));
    }
}
