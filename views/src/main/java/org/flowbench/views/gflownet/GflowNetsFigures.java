package org.flowbench.views.gflownet;

import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.ComputeDevices;
import org.flowbench.compute.gflownet.Environments;
import org.flowbench.compute.gflownet.ExactFlows;
import org.flowbench.compute.gflownet.GfnEnvironment;
import org.flowbench.compute.gflownet.HyperGrid;
import org.flowbench.compute.gflownet.Trajectory;
import org.flowbench.views.figure.Figure;
import org.flowbench.views.figure.FigureSpec;
import org.flowbench.views.figure.FigureSpec.Parameter;
import org.flowbench.views.figure.FigureTheme;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The figures of the GFlowNets lab, drawn headless by {@code flowbench export --figure NAME --set
 * key=value}: each trains the objectives it names on the cpu device (small defaults, seconds)
 * and draws the snapshot the lab's timeline would show.
 */
public final class GflowNetsFigures {

    public static final String GRID = "gfn-grid";
    public static final String FLOWS = "gfn-flows";
    public static final String CREDIT = "gfn-credit";
    public static final String TRAINING = "gfn-training";
    public static final String DAG = "gfn-dag";

    /** The lab's and the exports' defaults. */
    static final String DEFAULT_ENV = "hypergrid:D=2,H=8";
    static final long DEFAULT_TRAJECTORIES = 4096;
    static final int DEFAULT_BATCH = 16;
    static final String DEFAULT_HIDDEN = "64,64";
    static final long DEFAULT_SNAPSHOT = 256;
    static final String ALL_LOSSES = "tb,db,subtb:0.9,fldb";
    /** Upper limit of trajectories a headless figure trains (keeps a typo from running for hours). */
    static final long MAX_TRAJECTORIES = 1_000_000;

    private GflowNetsFigures() {
    }

    public static List<FigureSpec> specs() {
        return List.of(
                new FigureSpec(GRID, "HyperGrid: R(x)/Z beside the terminal distribution the trained policy induces (exact), modes outlined",
                        1000, 560, with(training("tb"), shown(), frame(), axes()),
                        (v, theme) -> {
                            GfnRun run = train(v);
                            int[] ax = axes(v, run.environment());
                            return GfnGridFigure.of(requireGrid(run), v.text("loss"), frameOf(v, run), ax[0], ax[1], null, theme);
                        }),
                new FigureSpec(FLOWS, "learned against true edge flows (arrow width) and state flows (disc area) on the grid",
                        1100, 600, with(training("tb"), shown(), frame(), axes(), List.of(new Parameter("display",
                                GfnFlowFigure.Display.SIDE_BY_SIDE.id, "side-by-side (learned beside true) or difference (learned \u2212 true)"))),
                        (v, theme) -> {
                            GfnRun run = train(v);
                            int[] ax = axes(v, run.environment());
                            GfnFlowFigure.Display display;
                            try {
                                display = GfnFlowFigure.Display.byId(v.text("display"));
                            } catch (IllegalArgumentException e) {
                                throw new IllegalArgumentException("display: " + e.getMessage());
                            }
                            return GfnFlowFigure.of(requireGrid(run), v.text("loss"), frameOf(v, run), ax[0], ax[1], display, theme);
                        }),
                new FigureSpec(CREDIT, "residual and gradient of every transition of one trajectory under TB, DB, SubTB and FL-DB",
                        1100, 640, with(training(ALL_LOSSES), shown(), List.of(
                                new Parameter("end", "", "the trajectory ends at this state (e.g. 5,6), reached backwards "
                                        + "uniformly; empty: one sampled from the shown loss's policy"),
                                new Parameter("cut", "-1", "keep only the first N moves (an incomplete trajectory); -1 keeps all"))),
                        GflowNetsFigures::credit),
                new FigureSpec(TRAINING, "loss, L1, log Z error and modes found against trajectories seen, several objectives overlaid "
                        + "(top-100 reward on set generation)", 1100, 640, with(training(ALL_LOSSES), frame()),
                        (v, theme) -> {
                            GfnRun run = train(v);
                            return GfnTrainingFigure.of(run, frameOf(v, run), run.series().get(0).loss(), theme);
                        }),
                new FigureSpec(DAG, "every state and edge of a tiny grid with its flows, in-flow = out-flow at each state",
                        1000, 600, List.of(new Parameter("env", "hypergrid:D=2,H=3", "environment, at most "
                                + GfnDagFigure.MAX_STATES + " states"),
                        new Parameter("flows", "true", "true (exact, uniform P_B) or learned (after training 'loss')"),
                        new Parameter("loss", "tb", "objective trained when flows=learned"),
                        new Parameter("trajectories", "2048", "trajectories trained when flows=learned"),
                        new Parameter("hidden", DEFAULT_HIDDEN, "hidden widths"),
                        new Parameter("batch", Integer.toString(DEFAULT_BATCH), "trajectories per step")),
                        GflowNetsFigures::dag));
    }

    @SafeVarargs
    private static List<Parameter> with(List<Parameter>... groups) {
        List<Parameter> all = new ArrayList<>();
        for (List<Parameter> g : groups) {
            all.addAll(g);
        }
        return all;
    }

    private static List<Parameter> training(String losses) {
        return List.of(new Parameter("env", DEFAULT_ENV, "hypergrid:D=..,H=..[,R0=..] or sets:U=..,S=.."),
                new Parameter("losses", losses, "objectives trained side by side: tb, db, subtb:LAMBDA, fldb, fm"),
                new Parameter("trajectories", Long.toString(DEFAULT_TRAJECTORIES), "trajectories per objective"),
                new Parameter("batch", Integer.toString(DEFAULT_BATCH), "trajectories per step"),
                new Parameter("hidden", DEFAULT_HIDDEN, "hidden widths of the policy network"),
                new Parameter("lr", "0.001", "Adam learning rate of the network"),
                new Parameter("logz-lr", "0.1", "Adam learning rate of log Z (TB)"),
                new Parameter("epsilon", "0", "epsilon-uniform exploration"),
                new Parameter("snapshot", Long.toString(DEFAULT_SNAPSHOT), "trajectories between snapshots"));
    }

    private static List<Parameter> shown() {
        return List.of(new Parameter("loss", "tb", "the objective whose network is shown"));
    }

    private static List<Parameter> frame() {
        return List.of(new Parameter("frame", "-1", "snapshot shown: 0 before training, -1 the last"));
    }

    private static List<Parameter> axes() {
        return List.of(new Parameter("axes", "0,1", "the two grid axes shown (others summed out)"));
    }

    static GfnSettings settings(FigureSpec.Values v) {
        String env = v.text("env");
        try {
            Environments.parse(env);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("env: " + e.getMessage());
        }
        return new GfnSettings(env, List.of(v.text("losses").split("\\s*[,+]\\s*")), v.integer("trajectories", 1, (int) MAX_TRAJECTORIES),
                v.integer("batch", 1, 4096), hidden(v.list("hidden")), v.real("lr", 1e-6, 1), v.real("logz-lr", 1e-6, 10),
                v.real("epsilon", 0, 1), v.seed(), v.integer("snapshot", 1, (int) MAX_TRAJECTORIES), false);
    }

    private static int[] hidden(List<String> widths) {
        if (widths.isEmpty() || widths.size() > 4) {
            throw new IllegalArgumentException("hidden: give one to four widths, e.g. 64,64");
        }
        return widths.stream().mapToInt(w -> {
            try {
                int n = Integer.parseInt(w);
                if (n < 1 || n > 1024) {
                    throw new IllegalArgumentException("hidden: widths must be between 1 and 1024 (got " + n + ")");
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("hidden: '" + w + "' is not a whole number");
            }
        }).toArray();
    }

    private static GfnRun train(FigureSpec.Values v) {
        GfnSettings settings = settings(v);
        try (ComputeDevice device = ComputeDevices.open(ComputeDevices.CPU)) {
            return GfnTrainer.train(device, settings, () -> false, p -> { }, run -> { });
        }
    }

    private static GfnRun requireGrid(GfnRun run) {
        if (!(run.environment() instanceof HyperGrid) || !run.hasExact()) {
            throw new IllegalArgumentException("env: this figure needs a HyperGrid small enough to enumerate (got "
                    + run.environment().spec() + ")");
        }
        return run;
    }

    private static int frameOf(FigureSpec.Values v, GfnRun run) {
        int k = v.integer("frame", -1, 1_000_000);
        return k < 0 ? run.frameCount() - 1 : Math.min(k, run.frameCount() - 1);
    }

    static int[] axes(FigureSpec.Values v, GfnEnvironment env) {
        List<String> given = v.list("axes");
        int d = env instanceof HyperGrid g ? g.gridDimension() : 1;
        if (given.size() != 2) {
            throw new IllegalArgumentException("axes: give two axes, e.g. 0,1");
        }
        int[] ax = new int[2];
        for (int i = 0; i < 2; i++) {
            try {
                ax[i] = Integer.parseInt(given.get(i));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("axes: '" + given.get(i) + "' is not a whole number");
            }
            if (ax[i] < 0 || ax[i] >= Math.max(2, d)) {
                throw new IllegalArgumentException("axes: " + ax[i] + " is not an axis of a " + d + "-dimensional grid");
            }
        }
        if (ax[0] == ax[1]) {
            throw new IllegalArgumentException("axes: the two axes must differ");
        }
        return ax;
    }

    private static Figure credit(FigureSpec.Values v, FigureTheme theme) {
        GfnRun run = train(v);
        String loss = v.text("loss");
        int cut = v.integer("cut", -1, 1_000_000);
        String end = v.text("end");
        try (ComputeDevice device = ComputeDevices.open(ComputeDevices.CPU)) {
            Trajectory t;
            if (end.isEmpty()) {
                t = GfnInspection.sample(device, run, loss, v.seed());
            } else {
                int[] x;
                try {
                    x = Arrays.stream(end.split("\\s*,\\s*")).mapToInt(Integer::parseInt).toArray();
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("end: '" + end + "' is not a state such as 5,6");
                }
                GfnEnvironment env = run.environment();
                int i = x.length == env.dimension() && run.hasExact() ? run.exact().graph().indexOf(x) : -1;
                if (i < 0 || !run.exact().graph().canTerminate(i)) {
                    throw new IllegalArgumentException("end: " + end + " is not a terminal state of " + env.spec());
                }
                t = GfnInspection.pathTo(env, x, v.seed());
            }
            return GfnCreditFigure.of(run.environment(), GfnInspection.inspect(device, run, loss, t, cut), theme);
        }
    }

    private static Figure dag(FigureSpec.Values v, FigureTheme theme) {
        String env = v.text("env");
        GfnEnvironment e;
        try {
            e = Environments.parse(env);
        } catch (IllegalArgumentException bad) {
            throw new IllegalArgumentException("env: " + bad.getMessage());
        }
        if (e.stateCount() < 0 || e.stateCount() > GfnDagFigure.MAX_STATES) {
            throw new IllegalArgumentException("env: the DAG view draws at most " + GfnDagFigure.MAX_STATES + " states ("
                    + e.spec() + " has " + (e.stateCount() < 0 ? "too many" : Long.toString(e.stateCount())) + ")");
        }
        ExactFlows exact = ExactFlows.of(e);
        String flows = v.text("flows");
        if (flows.equals("true")) {
            return GfnDagFigure.truth(exact, theme);
        }
        if (!flows.equals("learned")) {
            throw new IllegalArgumentException("flows: must be true or learned (got '" + flows + "')");
        }
        GfnSettings settings = new GfnSettings(env, List.of(v.text("loss")), v.integer("trajectories", 1, (int) MAX_TRAJECTORIES),
                v.integer("batch", 1, 4096), hidden(v.list("hidden")), 1e-3, 0.1, 0, v.seed(), DEFAULT_SNAPSHOT, false);
        try (ComputeDevice device = ComputeDevices.open(ComputeDevices.CPU)) {
            GfnRun run = GfnTrainer.train(device, settings, () -> false, p -> { }, r -> { });
            GfnRun.Series s = run.series().get(0);
            return GfnDagFigure.learned(run.exact(), s, s.frames().size() - 1, theme);
        }
    }
}
