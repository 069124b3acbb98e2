package org.flowbench.app.shell;

import org.flowbench.app.cli.BossCommand;
import org.flowbench.app.cli.DistillCommand;
import org.flowbench.app.cli.EvalCommand;
import org.flowbench.app.cli.ReflowCommand;
import org.flowbench.app.cli.SampleCommand;
import org.flowbench.app.cli.TrainFlowCommand;
import org.flowbench.app.cli.gflownet.EvalGfnCommand;
import org.flowbench.app.cli.gflownet.GfnExactCommand;
import org.flowbench.app.cli.gflownet.TrainGfnCommand;
import org.flowbench.app.cli.lm.NormProbeCommand;
import org.flowbench.app.cli.lm.TrainLmCommand;
import org.flowbench.app.cli.norm.FoldNormCommand;
import org.flowbench.app.cli.norm.NormLayersCommand;
import org.flowbench.app.cli.poincare.EmbedCommand;
import org.flowbench.app.cli.poincare.EvalEmbeddingCommand;
import org.flowbench.app.cli.poincare.WordNetClosureCommand;
import org.flowbench.views.figure.FigureCatalog;
import org.flowbench.views.lab.LabDescriptor;
import org.flowbench.views.lab.PlannedLabPage;
import org.flowbench.views.trajectories.TrajectoriesLab;

import java.util.List;

/**
 * The lab list, in navigator order: one entry per lab, with the subcommands it brings to the
 * command line. Adding a lab is one entry here. Labs not built yet get an honest page of what
 * they will show.
 */
public final class Labs {

    /**
     * One lab of the list.
     *
     * @param descriptor the lab as the window and {@code flowbench export} see it
     * @param commands   its picocli subcommand classes
     */
    public record Entry(LabDescriptor descriptor, List<Class<?>> commands) {
    }

    private Labs() {
    }

    public static List<Entry> entries() {
        return List.of(
                new Entry(TrajectoriesLab.descriptor(), List.of(TrainFlowCommand.class, ReflowCommand.class, DistillCommand.class,
                        SampleCommand.class, EvalCommand.class, BossCommand.class)),
                planned("normalization", "Normalization & depth",
                        "How the placement of normalization inside a Transformer block shapes the hidden-state "
                                + "variance and the gradient norms, layer by layer: Post-LN x \u2190 LN(x + F(x)), "
                                + "Pre-LN x \u2190 x + F(LN(x)) and Peri-LN x \u2190 x + LN(F(LN(x))), "
                                + "and the normalization layers themselves (LayerNorm, RMSNorm). "
                                + "Its engine already runs from the command line: flowbench norm-probe, train-lm and norm-layers.",
                        List.of("hidden-state variance per layer for Post-LN, Pre-LN and Peri-LN side by side, "
                                        + "growing with depth (Pre-LN fast, Peri-LN roughly linearly, Post-LN bounded)",
                                "gradient norm per layer (vanishing early-layer gradients under Post-LN)",
                                "LayerNorm and RMSNorm inputs and outputs on one batch, with their statistics"),
                        NormLayersCommand.class, NormProbeCommand.class, TrainLmCommand.class, FoldNormCommand.class),
                planned("poincare", "Poincar\u00e9 ball",
                        "Hierarchies embedded in hyperbolic space: the Poincar\u00e9 disc of curvature \u2212c, "
                                + "where distance grows without bound towards the rim and trees embed with low distortion. "
                                + "Its engine already runs from the command line: flowbench wordnet-closure, embed and eval-embedding.",
                        List.of("a hierarchy (for example a WordNet noun subtree) embedded in the disc, parents near the centre",
                                "geodesics between chosen points (circle arcs orthogonal to the rim)",
                                "M\u00f6bius re-centring: moving any point to the origin by a M\u00f6bius translation",
                                "hyperbolic batch normalization: Fr\u00e9chet mean and dispersion of a batch, before and after"),
                        WordNetClosureCommand.class, EmbedCommand.class, EvalEmbeddingCommand.class),
                planned("gflownets", "GFlowNets",
                        "Generative flow networks on a small directed acyclic graph that can be enumerated exactly "
                                + "(a HyperGrid), so learned flows can be compared with the true ones. "
                                + "Its engine already runs from the command line: flowbench train-gfn, eval-gfn and gfn-exact.",
                        List.of("the state graph with edge flows drawn as widths, and the reward of each terminal state",
                                "the sampling distribution against R(x)/Z as training proceeds (L1, log Z error)",
                                "trajectory-level credit (trajectory balance) against local, forward-looking credit"),
                        TrainGfnCommand.class, EvalGfnCommand.class, GfnExactCommand.class));
    }

    /** The lab list without the command line: what the window shows. */
    public static List<LabDescriptor> descriptors() {
        return entries().stream().map(Entry::descriptor).toList();
    }

    /** Every lab's figures, for {@code flowbench export} and the export dialog. */
    public static FigureCatalog figures() {
        return figures(entries());
    }

    /** The figures of {@code labs}. */
    public static FigureCatalog figures(List<Entry> labs) {
        return new FigureCatalog(labs.stream().flatMap(e -> e.descriptor().figures().stream()).toList());
    }

    private static Entry planned(String id, String title, String summary, List<String> willShow, Class<?>... commands) {
        return new Entry(new LabDescriptor(id, title, ctx -> new PlannedLabPage(id, title, summary, willShow), List.of()),
                List.of(commands));
    }
}
