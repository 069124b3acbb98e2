package org.flowbench.views.gflownet;

import org.flowbench.compute.gflownet.ExactFlows;
import org.flowbench.compute.gflownet.HyperGrid;
import org.flowbench.compute.gflownet.StateGraph;
import org.flowbench.views.figure.Figure;
import org.flowbench.views.figure.FigureText;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.figure.Palette;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.List;

/**
 * Credit flow: the learned flows of one snapshot beside the true ones, on the grid. Each edge is
 * an arrow whose width is its flow F(s -> s'); each state a disc whose area is its flow F(s),
 * with an inner disc for the flow that leaves through the exit (R(x) on the true side). Both
 * panels share one scale, the largest true flow. On grids of more than two dimensions the two
 * chosen axes are shown with the other axes summed out.
 *
 * <p>As a difference ({@code difference} true) one panel shows learned minus true: arrow width and
 * disc area the size of the difference on the same scale, blue where the learned flow is larger,
 * vermillion where it is smaller.
 *
 * @param learned null before any snapshot
 */
record GfnFlowFigure(String title, String subtitle, String legend, int width, int height, Flows learned, Flows truth,
                     boolean difference, FigureTheme theme) implements Figure {

    private static final double GAP = 30;
    /** Room under the panels for the legend line (two lines when it wraps). */
    private static final double LEGEND_ROOM = 38;

    /**
     * Flows summed into the grid's cells: {@code state, exit, right, up // [width*height]}, right
     * and up the flows of the moves along the two shown axes out of each cell.
     */
    record Flows(double[] state, double[] exit, double[] right, double[] up) {

        /** These flows minus {@code other}'s, cell by cell (negative where {@code other} is larger). */
        Flows minus(Flows other) {
            return new Flows(minus(state, other.state), minus(exit, other.exit), minus(right, other.right), minus(up, other.up));
        }

        private static double[] minus(double[] a, double[] b) {
            double[] out = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                out[i] = a[i] - b[i];
            }
            return out;
        }
    }

    /** How the Flows view shows learned against true flows. */
    enum Display {
        SIDE_BY_SIDE("side-by-side"), DIFFERENCE("difference");

        final String id;

        Display(String id) {
            this.id = id;
        }

        static List<String> ids() {
            return java.util.Arrays.stream(values()).map(d -> d.id).toList();
        }

        static Display byId(String id) {
            for (Display d : values()) {
                if (d.id.equals(id)) {
                    return d;
                }
            }
            throw new IllegalArgumentException("'" + id + "' is not one of " + String.join(", ", ids()));
        }
    }

    /** Learned minus true flows, or null before any snapshot. */
    Flows differenceFlows() {
        return learned == null ? null : learned.minus(truth);
    }

    static GfnFlowFigure of(GfnRun run, String loss, int k, int axisX, int axisY, Display display, FigureTheme theme) {
        ExactFlows exact = run.exact();
        StateGraph graph = exact.graph();
        HyperGrid grid = (HyperGrid) run.environment();
        GridCells cells = GridCells.of(graph, axisX, axisY);
        int n = graph.size();
        int a = graph.actions();
        double[] trueState = exact.stateFlows();
        double[] trueEdges = new double[n * a];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < a; j++) {
                trueEdges[i * a + j] = exact.edgeFlow(i, j);
            }
        }
        GfnRun.Series series = run.seriesOrFirst(loss);
        GfnRun.Frame frame = series.frame(k);
        double[] learnedState = exp(frame.logStateFlows());
        double[] learnedEdges = exp(frame.logEdgeFlows());
        boolean difference = display == Display.DIFFERENCE;
        String title = grid.spec() + " \u00b7 " + series.label() + (difference ? " \u00b7 learned \u2212 true flows" : " \u00b7 flows");
        String legend = difference
                ? "arrow width: |learned \u2212 true| edge flow, disc area: |learned \u2212 true| state flow; blue: learned larger, "
                        + "vermillion: learned smaller"
                : "arrow width: edge flow, disc area: state flow, inner disc: exit flow";
        return new GfnFlowFigure(title, GfnText.count(frame.snapshot().trajectoriesSeen()) + " trajectories \u00b7 mean |log F\u0302(e) "
                + "\u2212 log F(e)| " + GfnText.number(frame.snapshot().edgeFlowError()), legend, cells.width(), cells.height(),
                project(graph, cells, learnedState, learnedEdges), project(graph, cells, trueState, trueEdges), difference, theme);
    }

    private static double[] exp(double[] log) {
        double[] out = new double[log.length];
        for (int i = 0; i < log.length; i++) {
            out[i] = Math.exp(log[i]);
        }
        return out;
    }

    static Flows project(StateGraph graph, GridCells cells, double[] state, double[] edges) {
        int a = graph.actions();
        double[] s = new double[cells.cells()];
        double[] exit = new double[cells.cells()];
        double[] right = new double[cells.cells()];
        double[] up = new double[cells.cells()];
        for (int i = 0; i < graph.size(); i++) {
            int c = cells.cellOfState()[i];
            s[c] += state[i];
            exit[c] += edges[i * a + a - 1];
            if (graph.child(i, cells.axisX()) >= 0) {
                right[c] += edges[i * a + cells.axisX()];
            }
            if (cells.axisY() >= 0 && graph.child(i, cells.axisY()) >= 0) {
                up[c] += edges[i * a + cells.axisY()];
            }
        }
        return new Flows(s, exit, right, up);
    }

    @Override
    public String title() {
        return "GFlowNet flows: " + title;
    }

    /**
     * The learned and the true panel: side by side, or one above the other when that gives larger
     * cells; as a difference, the one panel centred.
     */
    Rectangle2D[] layout(Rectangle2D area) {
        double top = area.getMinY() + GfnText.HEADER + 20;
        double bottom = area.getMaxY() - 12 - LEGEND_ROOM;
        double available = area.getWidth() - 24;
        if (difference) {
            double side = Math.max(4, Math.min(available / width, (bottom - top) / height));
            double w = side * width;
            return new Rectangle2D.Double[] {new Rectangle2D.Double(area.getMinX() + 12 + Math.max(0, (available - w) / 2), top,
                    w, side * height)};
        }
        double besides = Math.min((available - GAP) / 2 / width, (bottom - top) / height);
        double stacked = Math.min(available / width, (bottom - top - 26) / 2 / height);
        boolean stack = stacked > besides * 1.1;
        double side = Math.max(4, stack ? stacked : besides);
        double w = side * width;
        double h = side * height;
        if (stack) {
            double left = area.getMinX() + 12 + Math.max(0, (available - w) / 2);
            return new Rectangle2D.Double[] {new Rectangle2D.Double(left, top, w, h), new Rectangle2D.Double(left, top + h + 26, w, h)};
        }
        double left = area.getMinX() + 12 + Math.max(0, (available - GAP - 2 * w) / 2);
        return new Rectangle2D.Double[] {new Rectangle2D.Double(left, top, w, h), new Rectangle2D.Double(left + w + GAP, top, w, h)};
    }

    @Override
    public void paint(Graphics2D g, Rectangle2D area) {
        GfnText.header(g, area, theme, title, subtitle);
        Rectangle2D[] r = layout(area);
        double maxState = 0;
        double maxEdge = 0;
        for (int c = 0; c < truth.state().length; c++) {
            maxState = Math.max(maxState, truth.state()[c]);
            maxEdge = Math.max(maxEdge, Math.max(truth.right()[c], truth.up()[c]));
        }
        if (difference) {
            paintPanel(g, r[0], differenceFlows(), maxState, maxEdge, "learned F\u0302 \u2212 true F (uniform P_B), on the true flows' scale");
        } else {
            paintPanel(g, r[0], learned, maxState, maxEdge, "learned F\u0302");
            paintPanel(g, r[1], truth, maxState, maxEdge, "true F (uniform P_B)");
        }
        // what the marks mean, under the lowest panel
        g.setFont(FigureText.plain(GfnText.TEXT_SIZE));
        g.setPaint(theme.mutedText());
        double y = r[r.length - 1].getMaxY() + 18;
        for (String line : FigureText.wrapped(g, area.getWidth() - 24, legend)) {
            FigureText.drawLeft(g, line, area.getMinX() + 12, y);
            y += 15;
        }
    }

    private void paintPanel(Graphics2D g, Rectangle2D r, Flows f, double maxState, double maxEdge, String label) {
        g.setPaint(theme.panel());
        g.fill(r);
        g.setPaint(theme.axis());
        g.draw(r);
        g.setFont(FigureText.plain(GfnText.TEXT_SIZE));
        g.setPaint(theme.text());
        FigureText.drawLeft(g, FigureText.fitted(g, Math.max(r.getWidth(), 40), label), r.getMinX(), r.getMinY() - 6);
        if (f == null) {
            GfnText.message(g, r, theme, "not trained yet");
            return;
        }
        double cw = r.getWidth() / width;
        double ch = r.getHeight() / height;
        double cell = Math.min(cw, ch);
        double maxWidth = Math.max(1, cell * 0.42);
        Stroke saved = g.getStroke();
        Color edge = new Color(Palette.forTheme(Palette.BLUE, theme));
        Color less = new Color(Palette.VERMILLION);
        for (int v = 0; v < height; v++) {
            for (int u = 0; u < width; u++) {
                int c = u + width * v;
                double x = r.getMinX() + (u + 0.5) * cw;
                double y = r.getMaxY() - (v + 0.5) * ch;
                if (u + 1 < width) {
                    double e = f.right()[c];
                    arrow(g, x, y, x + cw, y, Math.abs(e) / maxEdge * maxWidth, cell, e < 0 ? less : edge);
                }
                if (v + 1 < height) {
                    double e = f.up()[c];
                    arrow(g, x, y, x, y - ch, Math.abs(e) / maxEdge * maxWidth, cell, e < 0 ? less : edge);
                }
            }
        }
        g.setStroke(saved);
        double maxRadius = cell * 0.34;
        Color node = new Color(Palette.ORANGE);
        Color exit = new Color(Palette.VERMILLION);
        for (int v = 0; v < height; v++) {
            for (int u = 0; u < width; u++) {
                int c = u + width * v;
                double x = r.getMinX() + (u + 0.5) * cw;
                double y = r.getMaxY() - (v + 0.5) * ch;
                double rs = maxRadius * Math.sqrt(Math.min(1.5, Math.abs(f.state()[c]) / maxState));
                if (difference) {
                    // one disc per state: the exit flow's difference is part of the state's
                    g.setPaint(f.state()[c] < 0 ? less : edge);
                    g.fill(new Ellipse2D.Double(x - rs, y - rs, 2 * rs, 2 * rs));
                    continue;
                }
                double re = maxRadius * Math.sqrt(Math.min(1.5, f.exit()[c] / maxState));
                g.setPaint(node);
                g.fill(new Ellipse2D.Double(x - rs, y - rs, 2 * rs, 2 * rs));
                g.setPaint(exit);
                g.fill(new Ellipse2D.Double(x - re, y - re, 2 * re, 2 * re));
            }
        }
    }

    /** A line of {@code lineWidth} from the centre of one cell towards the next, with a head near its end. */
    private static void arrow(Graphics2D g, double x0, double y0, double x1, double y1, double lineWidth, double cell, Color colour) {
        if (!(lineWidth > 0.05)) {
            return;
        }
        double w = Math.min(lineWidth, cell * 0.6);
        double dx = x1 - x0;
        double dy = y1 - y0;
        double len = Math.hypot(dx, dy);
        double ux = dx / len;
        double uy = dy / len;
        double head = Math.max(3, Math.min(cell * 0.22, w * 1.6 + 2));
        double endX = x1 - ux * cell * 0.3;
        double endY = y1 - uy * cell * 0.3;
        g.setPaint(colour);
        g.setStroke(new BasicStroke((float) w, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
        g.draw(new Line2D.Double(x0, y0, endX - ux * head, endY - uy * head));
        Path2D tip = new Path2D.Double();
        double half = Math.max(w, head * 0.6);
        tip.moveTo(endX, endY);
        tip.lineTo(endX - ux * head - uy * half, endY - uy * head + ux * half);
        tip.lineTo(endX - ux * head + uy * half, endY - uy * head - ux * half);
        tip.closePath();
        g.fill(tip);
    }
}
