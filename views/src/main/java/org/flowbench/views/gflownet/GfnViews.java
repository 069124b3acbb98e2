package org.flowbench.views.gflownet;

import org.flowbench.compute.gflownet.Environments;
import org.flowbench.compute.gflownet.ExactFlows;
import org.flowbench.compute.gflownet.GfnEnvironment;
import org.flowbench.compute.gflownet.HyperGrid;
import org.flowbench.compute.gflownet.Trajectory;
import org.flowbench.views.figure.Figure;
import org.flowbench.views.figure.FigureTheme;

/**
 * Turns the lab's state (a run, a snapshot index, the view parameters, an inspection) into the
 * figure each view shows, or a message saying why it has none. Pure: the same inputs give the
 * same figure; cheap enough for the FX thread (it projects arrays the run already holds).
 */
final class GfnViews {

    private GfnViews() {
    }

    /**
     * The figure of view {@code v} for snapshot {@code k} of {@code r} (null: not trained), drawn
     * with the view parameters, the inspection (may be null) and the theme.
     */
    static Figure figure(GflowNetsLab.View v, GfnRun r, int k, GfnParameters params, GfnInspection inspection, boolean busy,
                         FigureTheme theme) {
        if (r == null || r.frameCount() == 0) {
            return v == GflowNetsLab.View.DAG ? tinyDag(null, k, params, theme)
                    : new GfnMessageFigure(busy ? "Training\u2026" : "Not trained yet: press Train", theme);
        }
        String shown = params.shown.get();
        GfnEnvironment env = r.environment();
        boolean grid = env instanceof HyperGrid && r.hasExact();
        String noGrid = env.spec() + (r.hasExact() ? " is not a grid" : " is too large to enumerate") + ": see the Training tab";
        int ax = params.axisX.get();
        int ay = params.axisY.get();
        int d = env instanceof HyperGrid g ? g.gridDimension() : 0;
        switch (v) {
            case GRID, FLOWS -> {
                if (!grid) {
                    return new GfnMessageFigure(noGrid, theme);
                }
                if (ax >= d || (d > 1 && (ay >= d || ay == ax))) {
                    return new GfnMessageFigure("Grid axes " + ax + " and " + ay + " must be two different axes of 0.." + (d - 1), theme);
                }
                return v == GflowNetsLab.View.GRID ? GfnGridFigure.of(r, shown, k, ax, ay, pathCells(r, inspection, ax), theme)
                        : GfnFlowFigure.of(r, shown, k, ax, ay, GfnFlowFigure.Display.byId(params.flowDisplay.get()), theme);
            }
            case CREDIT -> {
                GfnInspection i = inspection;
                return i == null || i.full().dimension() != env.dimension()
                        ? new GfnMessageFigure("Sample a trajectory (or click a cell of the grid) to inspect its credit", theme)
                        : GfnCreditFigure.of(env, i, theme);
            }
            case TRAINING -> {
                return GfnTrainingFigure.of(r, k, shown, theme);
            }
            default -> {
                return tinyDag(r, k, params, theme);
            }
        }
    }

    /** The DAG of the run's environment when it is tiny, else the true flows of the 2D H=3 grid. */
    private static Figure tinyDag(GfnRun r, int k, GfnParameters params, FigureTheme theme) {
        if (r != null && r.hasExact() && r.exact().graph().size() <= GfnDagFigure.MAX_STATES) {
            if (params.dagFlows.get().equals("learned")) {
                return GfnDagFigure.learned(r.exact(), r.seriesOrFirst(params.shown.get()), k, theme);
            }
            return GfnDagFigure.truth(r.exact(), theme);
        }
        GfnDagFigure small = GfnDagFigure.truth(ExactFlows.of(Environments.parse("hypergrid:D=2,H=3")), theme);
        return new GfnDagFigure(small.title(), "the lab's environment is too large to draw state by state; "
                + "set Environment to hypergrid:D=2,H=3 and Train to see learned flows here", small.graph(), small.stateFlows(), small.edgeFlows(), theme);
    }

    /** The inspected trajectory's cells on a 2D grid, or null. */
    private static int[] pathCells(GfnRun r, GfnInspection i, int ax) {
        if (i == null || !(r.environment() instanceof HyperGrid g) || g.gridDimension() != 2 || i.full().dimension() != 2) {
            return null;
        }
        Trajectory t = i.shown();
        int[] cells = new int[t.length()];
        for (int k = 0; k < t.length(); k++) {
            int[] s = t.state(k);
            cells[k] = s[ax] + g.height() * s[1 - ax];
        }
        return cells;
    }
}
