package org.flowbench.views.gflownet;

import org.flowbench.compute.gflownet.ExactFlows;
import org.flowbench.compute.gflownet.StateGraph;
import org.flowbench.views.figure.Figure;
import org.flowbench.views.figure.FigureText;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.figure.Palette;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;

/**
 * Every state and edge of a tiny environment, states in columns by depth: each edge labelled
 * with its flow (width as flow), each state with its flow F(s) and, under it, its in-flow and
 * out-flow (the exit included), so flow conservation can be read off at every node. Shows the
 * true flows, or the learned ones of a snapshot.
 *
 * @param stateFlows {@code [n]}
 * @param edgeFlows  {@code [n*actions]}, the exit last; 0 where an action is not allowed
 */
record GfnDagFigure(String title, String subtitle, StateGraph graph, double[] stateFlows, double[] edgeFlows, FigureTheme theme)
        implements Figure {

    /** Largest graph drawn node by node. */
    static final int MAX_STATES = 36;

    static GfnDagFigure truth(ExactFlows exact, FigureTheme theme) {
        StateGraph graph = exact.graph();
        int a = graph.actions();
        double[] edges = new double[graph.size() * a];
        for (int i = 0; i < graph.size(); i++) {
            for (int j = 0; j < a; j++) {
                edges[i * a + j] = exact.edgeFlow(i, j);
            }
        }
        return new GfnDagFigure(graph.environment().spec() + " \u00b7 true flows, uniform P_B",
                "Z = F(s0) = " + GfnText.number(exact.z()) + " \u00b7 at every state: in-flow = F(s) = out-flow (moves + exit R(x))",
                graph, exact.stateFlows(), edges, theme);
    }

    static GfnDagFigure learned(ExactFlows exact, GfnRun.Series series, int k, FigureTheme theme) {
        GfnRun.Frame frame = series.frame(k);
        double[] states = new double[frame.logStateFlows().length];
        double[] edges = new double[frame.logEdgeFlows().length];
        for (int i = 0; i < states.length; i++) {
            states[i] = Math.exp(frame.logStateFlows()[i]);
        }
        for (int i = 0; i < edges.length; i++) {
            edges[i] = Math.exp(frame.logEdgeFlows()[i]);
        }
        return new GfnDagFigure(exact.graph().environment().spec() + " \u00b7 learned flows of " + series.label() + " after "
                + GfnText.count(frame.snapshot().trajectoriesSeen()) + " trajectories",
                "true Z = " + GfnText.number(exact.z()) + ", learned F(s0) = " + GfnText.number(states[0])
                        + " \u00b7 F\u0302(s \u2192 s') = F\u0302(s) P_F(s'|s): out-flow = F\u0302(s) exactly, in-flow only once trained",
                exact.graph(), states, edges, theme);
    }

    @Override
    public String title() {
        return "GFlowNet DAG: " + title;
    }

    /** Inflow of state i: the flows of the edges into it. */
    double inFlow(int i) {
        int a = graph.actions();
        double sum = 0;
        for (int p = 0; p < graph.size(); p++) {
            for (int j = 0; j < a - 1; j++) {
                if (graph.child(p, j) == i) {
                    sum += edgeFlows[p * a + j];
                }
            }
        }
        return sum;
    }

    /** Outflow of state i: its moves and its exit. */
    double outFlow(int i) {
        int a = graph.actions();
        double sum = 0;
        for (int j = 0; j < a; j++) {
            sum += edgeFlows[i * a + j];
        }
        return sum;
    }

    @Override
    public void paint(Graphics2D g, Rectangle2D area) {
        Rectangle2D body = GfnText.wrappedHeader(g, area, theme, title, subtitle);
        int n = graph.size();
        if (n > MAX_STATES) {
            GfnText.message(g, body, theme, graph.environment().spec() + " has " + n + " states; the DAG view draws at most "
                    + MAX_STATES + " (try hypergrid:D=2,H=3)");
            return;
        }
        int maxDepth = 0;
        for (int i = 0; i < n; i++) {
            maxDepth = Math.max(maxDepth, graph.depth(i));
        }
        int[] perDepth = new int[maxDepth + 1];
        int[] slot = new int[n];
        for (int i = 0; i < n; i++) {
            slot[i] = perDepth[graph.depth(i)]++;
        }
        int widest = 0;
        for (int c : perDepth) {
            widest = Math.max(widest, c);
        }
        double left = body.getMinX() + 50;
        double right = body.getMaxX() - 110;
        double top = body.getMinY() + 30;
        double bottom = body.getMaxY() - 40;
        double colW = (right - left) / Math.max(1, maxDepth);
        double rowH = (bottom - top) / Math.max(1, widest);
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            int d = graph.depth(i);
            x[i] = maxDepth == 0 ? body.getCenterX() : left + d * colW;
            y[i] = (top + bottom) / 2 + (slot[i] - (perDepth[d] - 1) / 2.0) * rowH;
        }
        double radius = Math.max(8, Math.min(22, Math.min(colW, rowH) * 0.22));
        double maxEdge = 0;
        int a = graph.actions();
        for (double e : edgeFlows) {
            maxEdge = Math.max(maxEdge, e);
        }
        maxEdge = maxEdge > 0 ? maxEdge : 1;
        Color edgeColour = new Color(Palette.forTheme(Palette.BLUE, theme));
        Color exitColour = new Color(Palette.VERMILLION);
        g.setFont(FigureText.plain(10));
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < a - 1; j++) {
                int c = graph.child(i, j);
                if (c < 0) {
                    continue;
                }
                double f = edgeFlows[i * a + j];
                g.setStroke(new BasicStroke((float) Math.max(0.8, 7 * f / maxEdge)));
                g.setPaint(edgeColour);
                g.draw(new Line2D.Double(x[i], y[i], x[c], y[c]));
            }
            double exit = edgeFlows[i * a + a - 1];
            if (exit > 0 || graph.canTerminate(i)) {
                double ex = x[i];
                double ey = y[i] + radius * 1.8;
                g.setStroke(new BasicStroke((float) Math.max(0.8, 7 * exit / maxEdge)));
                g.setPaint(exitColour);
                g.draw(new Line2D.Double(x[i], y[i], ex, ey));
            }
        }
        for (int i = 0; i < n; i++) {
            g.setStroke(new BasicStroke(1.2f));
            g.setPaint(theme.panel());
            Ellipse2D disc = new Ellipse2D.Double(x[i] - radius, y[i] - radius, 2 * radius, 2 * radius);
            g.fill(disc);
            g.setPaint(new Color(Palette.ORANGE));
            g.draw(disc);
            g.setFont(FigureText.bold(10.5));
            g.setPaint(theme.text());
            FigureText.drawCentered(g, GfnText.number(stateFlows[i]), x[i], FigureText.baselineForCenter(g, y[i]));
            g.setFont(FigureText.plain(9.5));
            g.setPaint(theme.mutedText());
            FigureText.drawCentered(g, GfnCreditFigure.stateText(graph.state(i)), x[i], y[i] - radius - 4);
            String balance = (i == 0 ? "" : "in " + GfnText.number(inFlow(i)) + " \u00b7 ") + "out " + GfnText.number(outFlow(i));
            label(g, balance, x[i], y[i] + radius * 1.8 + 9, theme.mutedText());
            double exit = edgeFlows[i * a + a - 1];
            if (graph.canTerminate(i)) {
                g.setPaint(exitColour);
                FigureText.drawLeft(g, "exit " + GfnText.number(exit), x[i] + 7, y[i] + radius * 1.5);
            }
        }
        // edge flows on top, two thirds of the way to the child: clear of the parent's exit and
        // balance lines below it and of the child's name above it
        g.setFont(FigureText.plain(10));
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < a - 1; j++) {
                int c = graph.child(i, j);
                if (c >= 0) {
                    label(g, GfnText.number(edgeFlows[i * a + j]), x[i] + (x[c] - x[i]) * 0.65, y[i] + (y[c] - y[i]) * 0.65,
                            theme.text());
                }
            }
        }
        g.setPaint(theme.mutedText());
        FigureText.drawLeft(g, "depth \u2192 (one column per number of moves); blue: moves, red: exit; number in a node: F(s)",
                body.getMinX() + 12, body.getMaxY() - 8);
    }

    private void label(Graphics2D g, String text, double cx, double cy, Color colour) {
        double w = FigureText.width(g, g.getFont(), text) + 4;
        g.setPaint(theme.background());
        g.fill(new Rectangle2D.Double(cx - w / 2, cy - 7, w, 13));
        g.setPaint(colour);
        FigureText.drawCentered(g, text, cx, FigureText.baselineForCenter(g, cy));
    }
}
