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
import org.flowbench.app.cli.lm.SweepLmCommand;
import org.flowbench.app.cli.lm.TrainLmCommand;
import org.flowbench.app.cli.lm.WordNetGlossesCommand;
import org.flowbench.app.cli.norm.FoldNormCommand;
import org.flowbench.app.cli.norm.NormLayersCommand;
import org.flowbench.app.cli.poincare.EmbedCommand;
import org.flowbench.app.cli.poincare.EvalEmbeddingCommand;
import org.flowbench.app.cli.poincare.WordNetClosureCommand;
import org.flowbench.views.figure.FigureCatalog;
import org.flowbench.views.gflownet.GflowNetsLab;
import org.flowbench.views.lab.LabDescriptor;
import org.flowbench.views.norm.NormalizationLab;
import org.flowbench.views.poincare.PoincareLab;
import org.flowbench.views.trajectories.TrajectoriesLab;

import java.util.List;

/**
 * The lab list, in navigator order: one entry per lab, with the subcommands it brings to the
 * command line. Adding a lab is one entry here.
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
                new Entry(NormalizationLab.descriptor(), List.of(NormLayersCommand.class, NormProbeCommand.class,
                        TrainLmCommand.class, SweepLmCommand.class, FoldNormCommand.class, WordNetGlossesCommand.class)),
                new Entry(PoincareLab.descriptor(), List.of(WordNetClosureCommand.class, EmbedCommand.class,
                        EvalEmbeddingCommand.class)),
                new Entry(GflowNetsLab.descriptor(), List.of(TrainGfnCommand.class, EvalGfnCommand.class, GfnExactCommand.class)));
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
}
