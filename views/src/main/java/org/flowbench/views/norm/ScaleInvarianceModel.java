package org.flowbench.views.norm;

import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import org.flowbench.compute.norm.invariance.BatchNormOnlyTraining;
import org.flowbench.compute.norm.invariance.InvarianceOptimizer;
import org.flowbench.compute.norm.invariance.LabelledTask;
import org.flowbench.compute.norm.invariance.ScaleInvariantToy;
import org.flowbench.views.jobs.BackgroundTask;
import org.flowbench.views.jobs.LatestJobSlot;
import org.flowbench.views.lab.LabContext;
import org.flowbench.views.params.LabParameters;
import org.flowbench.views.params.Parameter;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The view model of the Scale invariance page: the toy's and the BatchNorm task's parameters,
 * two background jobs (the optimizers on the toy; the three trainings of the BatchNorm network),
 * each "latest request wins", and the figure of the chosen view. Changing the highlighted
 * optimizer or the view only repaints.
 */
final class ScaleInvarianceModel extends PlaygroundModel<ScaleInvarianceView, ScaleInvarianceFigure> {

    static final String OPTIMIZER = "optimizer";
    static final String LR = "lr";
    static final String STEPS = "steps";
    static final String MOMENTUM = "momentum";
    static final String WEIGHT_DECAY = "wd";
    static final String NOISE = "noise";
    static final String ANGLE = "angle";
    static final String TASK = "task";
    static final String WIDTH = "width";
    static final String DEPTH = "depth";
    static final String BN_STEPS = "bn-steps";
    static final String BN_LR = "bn-lr";
    static final String SEED = "seed";

    private static final Set<String> TOY_KEYS = Set.of(LR, STEPS, MOMENTUM, WEIGHT_DECAY, NOISE, ANGLE, SEED);
    private static final Set<String> TRAINING_KEYS = Set.of(TASK, WIDTH, DEPTH, BN_STEPS, BN_LR, SEED);

    private final LatestJobSlot toySlot = newJobSlot();
    private final LatestJobSlot trainingSlot = newJobSlot();

    private final Parameter<String> optimizer = Parameter.oneOf(OPTIMIZER, "Optimizer", "Toy",
            "the optimizer drawn on top (all five run)",
            Arrays.stream(InvarianceOptimizer.values()).map(InvarianceOptimizer::id).toList(), InvarianceOptimizer.SGDP.id());
    private final Parameter<Double> lr = Parameter.real(LR, "Learning rate", "Toy", "learning rate of every optimizer",
            0.1, 1e-4, 10);
    private final Parameter<Integer> steps = Parameter.integer(STEPS, "Steps", "Toy", "optimizer steps on the toy", 300, 1,
            5000);
    private final Parameter<Double> momentum = Parameter.real(MOMENTUM, "Momentum", "Toy",
            "momentum of SGD + momentum and SGDP; beta1 of Adam and AdamP", 0.9, 0, 0.999);
    private final Parameter<Double> weightDecay = Parameter.real(WEIGHT_DECAY, "Weight decay", "Toy",
            "decoupled weight decay (SGDP and AdamP scale it by 0.1 on projected steps)", 0, 0, 1);
    private final Parameter<Double> noise = Parameter.real(NOISE, "Gradient noise", "Toy",
            "tangential gradient noise relative to 1/||w|| (stands for minibatch noise)", 0.5, 0, 10);
    private final Parameter<Double> angle = Parameter.real(ANGLE, "Start angle", "Toy",
            "direction of w_0 in degrees; the target is at 0", 135, -360, 360);
    private final Parameter<String> task = Parameter.oneOf(TASK, "Task", "BatchNorm only",
            "the two-class task in the plane", List.of("moons", "spirals"), "moons");
    private final Parameter<Integer> width = Parameter.integer(WIDTH, "Width", "BatchNorm only",
            "units per hidden layer", 32, 2, 256);
    private final Parameter<Integer> depth = Parameter.integer(DEPTH, "Depth", "BatchNorm only",
            "hidden layers, each dense, BatchNorm, ReLU", 2, 1, 4);
    private final Parameter<Integer> bnSteps = Parameter.integer(BN_STEPS, "Training steps", "BatchNorm only",
            "full-batch Adam steps", 300, 1, 3000);
    private final Parameter<Double> bnLr = Parameter.real(BN_LR, "Training lr", "BatchNorm only",
            "Adam's learning rate for the BatchNorm task", 0.05, 1e-4, 1);
    private final Parameter<Long> seed = Parameter.seed(SEED, "Seed", "Run", "seed of the noise, the points and the weights", 7);
    private final LabParameters parameters = new LabParameters(List.of(optimizer, lr, steps, momentum, weightDecay, noise,
            angle, task, width, depth, bnSteps, bnLr, seed));

    private final ReadOnlyObjectWrapper<List<ScaleInvariantToy.Run>> runs = new ReadOnlyObjectWrapper<>(this, "runs");
    private final ReadOnlyObjectWrapper<ScaleInvariantToy.Settings> runSettings = new ReadOnlyObjectWrapper<>(this, "runSettings");
    private final ReadOnlyObjectWrapper<List<BatchNormOnlyTraining.Result>> training = new ReadOnlyObjectWrapper<>(this, "training");
    private final ReadOnlyObjectWrapper<LabelledTask.Points> points = new ReadOnlyObjectWrapper<>(this, "points");

    ScaleInvarianceModel(LabContext context) {
        super(context, "Scale invariance", "optimizer, lr, steps, momentum, wd, noise, angle, task, width, depth, bn-steps, "
                + "bn-lr, seed, view", ScaleInvarianceView.NORM, ScaleInvarianceView::byId);
        for (Parameter<?> p : parameters.all()) {
            p.valueProperty().addListener((obs, old, now) -> {
                if (TOY_KEYS.contains(p.key())) {
                    runToy();
                }
                if (TRAINING_KEYS.contains(p.key())) {
                    runTraining();
                }
                if (p == optimizer) {
                    rebuildFigure();
                }
            });
        }
    }

    @Override
    LabParameters parameters() {
        return parameters;
    }

    Parameter<String> optimizer() {
        return optimizer;
    }

    Parameter<Double> lr() {
        return lr;
    }

    Parameter<Integer> steps() {
        return steps;
    }

    Parameter<Double> momentum() {
        return momentum;
    }

    Parameter<Double> weightDecay() {
        return weightDecay;
    }

    Parameter<Double> noise() {
        return noise;
    }

    Parameter<Double> angle() {
        return angle;
    }

    Parameter<String> task() {
        return task;
    }

    Parameter<Integer> width() {
        return width;
    }

    Parameter<Integer> depth() {
        return depth;
    }

    Parameter<Integer> bnSteps() {
        return bnSteps;
    }

    Parameter<Double> bnLr() {
        return bnLr;
    }

    Parameter<Long> seed() {
        return seed;
    }

    ReadOnlyObjectProperty<List<ScaleInvariantToy.Run>> runsProperty() {
        return runs.getReadOnlyProperty();
    }

    ReadOnlyObjectProperty<List<BatchNormOnlyTraining.Result>> trainingProperty() {
        return training.getReadOnlyProperty();
    }

    ScaleInvariantToy.Settings toySettings() {
        return new ScaleInvariantToy.Settings(lr.get(), steps.get(), momentum.get(), 0.999, weightDecay.get(), 1,
                angle.get(), 0, noise.get());
    }

    BatchNormOnlyTraining.Settings trainingSettings() {
        return new BatchNormOnlyTraining.Settings(width.get(), depth.get(), bnSteps.get(), bnLr.get());
    }

    /** Runs both jobs. */
    @Override
    void runAll() {
        runToy();
        runTraining();
    }

    /** The two jobs run side by side: the page is busy while either runs. */

    void runToy() {
        request(toySlot, () -> {
            ScaleInvariantToy.Settings s = toySettings();
            long sd = seed.get();
            jobStarted();
            return BackgroundTask.of("Scale invariance: five optimizers on the toy", ctx -> ScaleInvarianceRuns.toy(s, sd))
                    .onSuccess(r -> {
                        runSettings.set(s);
                        runs.set(r);
                        setProblem(null);
                        rebuildFigure();
                        setStatus(summary(r));
                    })
                    .onFinished(this::jobFinished);
        });
    }

    void runTraining() {
        request(trainingSlot, () -> {
            BatchNormOnlyTraining.Settings s = trainingSettings();
            LabelledTask t = LabelledTask.byId(task.get());
            long sd = seed.get();
            jobStarted();
            return BackgroundTask.of("Scale invariance: BatchNorm-only training on " + t.id(), ctx -> {
                LabelledTask.Points p = ScaleInvarianceRuns.points(t, sd);
                List<BatchNormOnlyTraining.Result> r = ScaleInvarianceRuns.training(s, p, sd,
                        done -> ctx.progress(done, 3), ctx::isCancelled);
                return new Object[] {p, r};
            }).onSuccess(pair -> {
                points.set((LabelledTask.Points) pair[0]);
                @SuppressWarnings("unchecked")
                List<BatchNormOnlyTraining.Result> r = (List<BatchNormOnlyTraining.Result>) pair[1];
                training.set(r);
                rebuildFigure();
                if (view() == ScaleInvarianceView.BN_ONLY) {
                    setStatus(trainingSummary(r));
                }
            }).onFinished(this::jobFinished);
        });
    }

    @Override
    void rebuildFigure() {
        setFigure(new ScaleInvarianceFigure(view(), runs.get(), runSettings.get(), training.get(), points.get(),
                InvarianceOptimizer.byId(optimizer.get()), context().theme().getValue()));
        if (view() == ScaleInvarianceView.BN_ONLY && training.get() != null) {
            setStatus(trainingSummary(training.get()));
        } else if (runs.get() != null) {
            setStatus(summary(runs.get()));
        }
    }

    static String summary(List<ScaleInvariantToy.Run> runs) {
        StringBuilder b = new StringBuilder("Final ||w||:");
        for (ScaleInvariantToy.Run r : runs) {
            b.append(String.format(Locale.ROOT, " %s %.3g,", r.optimizer().label(), r.norm()[r.steps()]));
        }
        b.setLength(b.length() - 1);
        return b.toString();
    }

    static String trainingSummary(List<BatchNormOnlyTraining.Result> results) {
        StringBuilder b = new StringBuilder("Accuracy:");
        for (BatchNormOnlyTraining.Result r : results) {
            b.append(String.format(Locale.ROOT, " %s %.1f%%,", r.trained().label(), 100 * r.finalAccuracy()));
        }
        b.setLength(b.length() - 1);
        return b.toString();
    }

    /** Short optimizer and task names made the full ids. */
    @Override
    String setupValue(String key, String value) {
        return switch (key) {
            case OPTIMIZER -> InvarianceOptimizer.byId(value).id();
            case TASK -> LabelledTask.byId(value).id();
            default -> value;
        };
    }
}
