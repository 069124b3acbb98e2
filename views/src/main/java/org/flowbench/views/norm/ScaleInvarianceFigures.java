package org.flowbench.views.norm;

import org.flowbench.compute.norm.invariance.BatchNormOnlyTraining;
import org.flowbench.compute.norm.invariance.InvarianceOptimizer;
import org.flowbench.compute.norm.invariance.LabelledTask;
import org.flowbench.compute.norm.invariance.ScaleInvariantToy;
import org.flowbench.views.figure.FigureSpec;
import org.flowbench.views.figure.FigureSpec.Parameter;

import java.util.List;

/**
 * The Scale invariance page's figures as {@code flowbench export} draws them:
 * {@code scale-invariance-path} and {@code scale-invariance-norm} (the five optimizers on the
 * toy) and {@code scale-invariance-bn-only} (BatchNorm-only training against the frozen network).
 */
public final class ScaleInvarianceFigures {

    private ScaleInvarianceFigures() {
    }

    static String name(ScaleInvarianceView view) {
        return "scale-invariance-" + view.id();
    }

    public static List<FigureSpec> specs() {
        List<Parameter> toy = List.of(
                new Parameter("optimizer", "sgdp", "the optimizer drawn on top: sgd, momentum, adam, sgdp or adamp"),
                new Parameter("lr", "0.1", "learning rate, (0, 10]"),
                new Parameter("steps", "300", "optimizer steps, 1 to 5000"),
                new Parameter("momentum", "0.9", "momentum (beta1 of Adam and AdamP), [0, 1)"),
                new Parameter("wd", "0", "decoupled weight decay, [0, 1]"),
                new Parameter("noise", "0.5", "tangential gradient noise relative to 1/||w||, [0, 10]"),
                new Parameter("angle", "135", "start direction in degrees; the target is at 0"));
        List<Parameter> bn = List.of(
                new Parameter("task", "moons", "moons or spirals"),
                new Parameter("width", "32", "units per hidden layer, 2 to 256"),
                new Parameter("depth", "2", "hidden layers, 1 to 4"),
                new Parameter("bn-steps", "300", "full-batch Adam steps, 1 to 3000"),
                new Parameter("bn-lr", "0.05", "Adam's learning rate, (0, 1]"));
        return List.of(
                new FigureSpec(name(ScaleInvarianceView.PATH), "Scale invariance: " + ScaleInvarianceView.PATH.help(),
                        ScaleInvarianceFigure.PREFERRED_WIDTH, ScaleInvarianceFigure.PREFERRED_HEIGHT, toy,
                        (v, theme) -> toyFigure(ScaleInvarianceView.PATH, v, theme)),
                new FigureSpec(name(ScaleInvarianceView.NORM), "Scale invariance: " + ScaleInvarianceView.NORM.help(),
                        ScaleInvarianceFigure.PREFERRED_WIDTH, ScaleInvarianceFigure.PREFERRED_HEIGHT, toy,
                        (v, theme) -> toyFigure(ScaleInvarianceView.NORM, v, theme)),
                new FigureSpec(name(ScaleInvarianceView.BN_ONLY), "Scale invariance: " + ScaleInvarianceView.BN_ONLY.help(),
                        ScaleInvarianceFigure.PREFERRED_WIDTH, ScaleInvarianceFigure.PREFERRED_HEIGHT, bn,
                        (v, theme) -> {
                            BatchNormOnlyTraining.Settings s = new BatchNormOnlyTraining.Settings(v.integer("width", 2, 256),
                                    v.integer("depth", 1, 4), v.integer("bn-steps", 1, 3000), v.real("bn-lr", 1e-4, 1));
                            LabelledTask.Points p = ScaleInvarianceRuns.points(LabelledTask.byId(v.text("task")), v.seed());
                            return new ScaleInvarianceFigure(ScaleInvarianceView.BN_ONLY, null, null,
                                    ScaleInvarianceRuns.training(s, p, v.seed(), null, null), p, InvarianceOptimizer.SGDP,
                                    theme);
                        }));
    }

    private static ScaleInvarianceFigure toyFigure(ScaleInvarianceView view, FigureSpec.Values v,
                                                   org.flowbench.views.figure.FigureTheme theme) {
        ScaleInvariantToy.Settings s = new ScaleInvariantToy.Settings(v.real("lr", 1e-4, 10), v.integer("steps", 1, 5000),
                v.real("momentum", 0, 0.999), 0.999, v.real("wd", 0, 1), 1, v.real("angle", -360, 360), 0,
                v.real("noise", 0, 10));
        return new ScaleInvarianceFigure(view, ScaleInvarianceRuns.toy(s, v.seed()), s, null, null,
                InvarianceOptimizer.byId(v.text("optimizer")), theme);
    }
}
