package org.flowbench.views.trajectories;

import org.flowbench.views.figure.DataBounds;
import org.flowbench.views.figure.Palette;
import org.flowbench.views.figure.RasterLayer;
import org.flowbench.views.figure.Figure;
import org.flowbench.views.figure.FigureText;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.figure.PlotFrame;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The Trajectories picture: one panel per model, side by side on the same noise and the same
 * axes. Each panel shows the target samples, the traced paths (travelled part strong, the rest
 * faint), the particles at the shared time t, optionally the velocity field and the coupling
 * lines x0 to x1, the stage points of the step just taken, and a time bar with the solver's
 * grid. Particles are coloured by the angle of their starting point, so a colour that stays
 * together shows a coherent (straight, non-crossing) flow.
 *
 * <p>Immutable: the lab builds a new figure for every change of time, view or selection; the
 * runs inside are shared, never copied.
 */
public final class TrajectoriesFigure implements Figure {

    /** Logical size the figure is designed for. */
    public static final int PREFERRED_WIDTH = 1400;
    public static final int PREFERRED_HEIGHT = 640;

    /** The default view: the torchcfm scalings of the 2D data sets fit inside. */
    public static final DataBounds DEFAULT_VIEW = new DataBounds(-4.2, 4.2, -3.2, 3.2);

    private static final int BINS = 72;
    private static final Color[] SOLID = new Color[BINS];
    private static final Color[] TRAVELLED = new Color[BINS];
    private static final Color[] AHEAD = new Color[BINS];

    static {
        for (int b = 0; b < BINS; b++) {
            int rgb = Palette.cyclic(b / (double) BINS);
            SOLID[b] = new Color(rgb);
            TRAVELLED[b] = new Color(rgb | 0x9A000000, true);
            AHEAD[b] = new Color(rgb | 0x26000000, true);
        }
    }

    private static final double MARGIN = 14;
    private static final double HEADER = 58;
    private static final double TIME_BAR = 22;
    private static final double GAP = 26;
    private static final double PARTICLE_RADIUS = 2.1;
    private static final double PATH_WIDTH = 0.9;
    private static final double STAGE_RADIUS = 2.6;
    private static final double STAGE_STROKE = 0.8;

    /** What to draw besides particles and paths. */
    public record Options(boolean field, boolean coupling, boolean stages, boolean target) {
        public static Options defaults() {
            return new Options(false, false, true, true);
        }
    }

    private final List<FlowRun> runs;
    private final float[] target; // [T*2] target samples drawn behind, may be empty
    private final byte[] colour;  // [n] palette bin by starting angle
    private final int[] byColour;  // [n] particle indices grouped by bin, ascending within a bin
    private final int[] binStart;  // [BINS+1] where each bin's run starts in byColour
    /** Per run, the traced particles' paths one after another: {@code // [m*(S+1)*2]}, step s of particle i at (i*(S+1)+s)*2. */
    private final float[][] tracedPaths;
    private final double time;
    private final DataBounds view;
    private final int selected;
    private final Options options;
    private final FigureTheme theme;

    public TrajectoriesFigure(List<FlowRun> runs, float[] target, double time, DataBounds view, int selected,
                              Options options, FigureTheme theme) {
        if (runs == null || runs.isEmpty()) {
            throw new IllegalArgumentException("the trajectories figure needs at least one run");
        }
        this.runs = List.copyOf(runs);
        this.target = target == null ? new float[0] : target;
        this.time = Math.max(0, Math.min(1, time));
        this.view = view == null ? DEFAULT_VIEW : view;
        this.selected = selected < runs.get(0).n() ? selected : -1;
        this.options = options == null ? Options.defaults() : options;
        this.theme = theme == null ? FigureTheme.LIGHT : theme;
        this.colour = colourBins(runs.get(0));
        this.binStart = new int[BINS + 1];
        this.byColour = groupByBin(colour, binStart);
        this.tracedPaths = new float[this.runs.size()][];
        for (int p = 0; p < this.runs.size(); p++) {
            tracedPaths[p] = tracedPaths(this.runs.get(p));
        }
    }

    /** A run's states are stored step by step; a path read along them jumps a whole frame per step. */
    private static float[] tracedPaths(FlowRun run) {
        int m = run.traced();
        int points = run.steps() + 1;
        float[] paths = new float[m * points * 2];
        for (int s = 0; s < points; s++) {
            for (int i = 0; i < m; i++) {
                paths[(i * points + s) * 2] = run.x(s, i);
                paths[(i * points + s) * 2 + 1] = run.y(s, i);
            }
        }
        return paths;
    }

    /** The same runs at another time, view, selection, options or theme; colours are reused. */
    private TrajectoriesFigure(TrajectoriesFigure base, double time, DataBounds view, int selected, Options options,
                               FigureTheme theme) {
        this.runs = base.runs;
        this.target = base.target;
        this.colour = base.colour;
        this.byColour = base.byColour;
        this.binStart = base.binStart;
        this.tracedPaths = base.tracedPaths;
        this.time = Math.max(0, Math.min(1, time));
        this.view = view;
        this.selected = selected < runs.get(0).n() ? selected : -1;
        this.options = options;
        this.theme = theme;
    }

    public TrajectoriesFigure at(double t) {
        return new TrajectoriesFigure(this, t, view, selected, options, theme);
    }

    public TrajectoriesFigure viewing(DataBounds bounds) {
        return new TrajectoriesFigure(this, time, bounds == null ? DEFAULT_VIEW : bounds, selected, options, theme);
    }

    public TrajectoriesFigure selecting(int particle) {
        return new TrajectoriesFigure(this, time, view, particle, options, theme);
    }

    public TrajectoriesFigure with(Options drawn) {
        return new TrajectoriesFigure(this, time, view, selected, drawn, theme);
    }

    public TrajectoriesFigure themed(FigureTheme paintWith) {
        return new TrajectoriesFigure(this, time, view, selected, options, paintWith);
    }

    public List<FlowRun> runs() {
        return runs;
    }

    public double time() {
        return time;
    }

    public DataBounds view() {
        return view;
    }

    public int selected() {
        return selected;
    }

    public Options options() {
        return options;
    }

    public FigureTheme theme() {
        return theme;
    }

    @Override
    public String title() {
        StringBuilder s = new StringBuilder("Trajectories: ");
        for (int p = 0; p < runs.size(); p++) {
            s.append(p == 0 ? "" : " vs ").append(runs.get(p).label());
        }
        return s.append(String.format(Locale.ROOT, ", t = %.3f", time)).toString();
    }

    /** The plot frame of each panel when the figure fills {@code area}: for hit tests, zoom and pan. */
    public PlotFrame[] frames(Rectangle2D area) {
        int panels = runs.size();
        double left = MARGIN + PlotFrame.yLabelWidth(4);
        double below = PlotFrame.xLabelHeight() + TIME_BAR;
        // Side by side or stacked: whichever shows the default view at the larger scale.
        double sideWidth = (area.getWidth() - left - MARGIN - (panels - 1) * (GAP + PlotFrame.yLabelWidth(4))) / panels;
        double sideHeight = area.getHeight() - MARGIN - HEADER - below - MARGIN;
        double stackWidth = area.getWidth() - left - MARGIN;
        double stackHeight = (area.getHeight() - 2 * MARGIN - panels * (HEADER + below) - (panels - 1) * GAP) / panels;
        double dataWidth = DEFAULT_VIEW.width();
        double dataHeight = DEFAULT_VIEW.height();
        boolean stacked = panels > 1 && Math.min(stackWidth / dataWidth, stackHeight / dataHeight)
                > Math.min(sideWidth / dataWidth, sideHeight / dataHeight);
        double width = stacked ? stackWidth : sideWidth;
        double height = stacked ? stackHeight : sideHeight;
        PlotFrame[] frames = new PlotFrame[panels];
        for (int p = 0; p < panels; p++) {
            double x = area.getX() + left + (stacked ? 0 : p * (width + GAP + PlotFrame.yLabelWidth(4)));
            double y = area.getY() + MARGIN + HEADER + (stacked ? p * (height + HEADER + below + GAP) : 0);
            double w = Math.max(1, width);
            double h = Math.max(1, height);
            frames[p] = PlotFrame.stretched(new Rectangle2D.Double(x, y, w, h), view.withAspect(w / h));
        }
        return frames;
    }

    /**
     * The particle nearest to screen point (sx, sy) at the current time in any panel, or -1 when
     * none lies within {@code radius} logical units.
     */
    public int particleAt(Rectangle2D area, double sx, double sy, double radius) {
        PlotFrame[] frames = frames(area);
        int best = -1;
        double bestDistance = radius * radius;
        for (int p = 0; p < runs.size(); p++) {
            if (!frames[p].area().contains(sx, sy)) {
                continue;
            }
            FlowRun run = runs.get(p);
            float[] xy = run.positionsAt(time);
            for (int i = 0; i < run.n(); i++) {
                double dx = frames[p].screenX(xy[2 * i]) - sx;
                double dy = frames[p].screenY(xy[2 * i + 1]) - sy;
                double d = dx * dx + dy * dy;
                if (d < bestDistance) {
                    bestDistance = d;
                    best = i;
                }
            }
        }
        return best;
    }

    @Override
    public void paint(Graphics2D g, Rectangle2D area) {
        Shape savedClip = g.getClip();
        Stroke savedStroke = g.getStroke();
        g.setPaint(theme.background());
        g.fill(area);
        PlotFrame[] frames = frames(area);
        float[] xy = positionsScratch(runs.get(0).n());
        for (int p = 0; p < runs.size(); p++) {
            FlowRun run = runs.get(p);
            PlotFrame frame = frames[p];
            run.positionsAt(time, xy);
            paintHeader(g, run, frame);
            frame.paintPanel(g, theme);
            // Clip only around the few shapes that need it: JavaFX's canvas renders every
            // primitive under a clip through a mask, so clipping thousands of marks costs more
            // than the marks themselves. Target dots are cut to the panel by hand instead.
            if (options.target()) {
                paintTarget(g, frame);
            }
            if (options.field() || options.coupling()) {
                g.clip(frame.area());
                if (options.field()) {
                    paintField(g, frame, run);
                }
                if (options.coupling()) {
                    paintCoupling(g, frame, run);
                }
                g.setClip(savedClip);
            }
            RasterLayer.Placement pixels = RasterLayer.placement(g, frame.area());
            if (pixels != null) {
                paintMarksAsPixels(g, frame, run, tracedPaths[p], xy, pixels);
            } else {
                g.clip(frame.area());
                paintPaths(g, frame, run);
                if (options.stages()) {
                    paintStages(g, frame, run);
                }
                paintParticles(g, frame, run, xy);
                g.setClip(savedClip);
            }
            if (selected >= 0) {
                g.clip(frame.area());
                paintSelected(g, frame, run, xy);
                g.setClip(savedClip);
            }
            frame.paintAxes(g, theme, true, true);
            paintTimeBar(g, frame, run);
        }
        g.setStroke(savedStroke);
    }

    /** Positions at the shown time, reused per thread: a frame allocates no particle arrays. */
    private static float[] positionsScratch(int n) {
        float[] xy = POSITIONS.get();
        if (xy == null || xy.length < 2 * n) {
            xy = new float[2 * n];
            POSITIONS.set(xy);
        }
        return xy;
    }

    private static final ThreadLocal<float[]> POSITIONS = new ThreadLocal<>();

    /**
     * Paths, stage points and particles on a pixel target: rasterised into one layer per panel,
     * in the same order and colours as the vector route draws them (faint paths ahead, travelled
     * paths, stage rings, particles; each palette colour as one shape), then drawn in one call.
     */
    private void paintMarksAsPixels(Graphics2D g, PlotFrame frame, FlowRun run, float[] paths, float[] xy,
                                    RasterLayer.Placement pixels) {
        RasterLayer layer = RasterLayer.acquire(pixels);
        double scale = pixels.scale();
        // layer pixel = a * data + b on each axis (the frame maps data to logical units linearly)
        float ax = (float) ((frame.screenX(1) - frame.screenX(0)) * scale);
        float bx = (float) (frame.screenX(0) * scale + pixels.offsetX());
        float ay = (float) ((frame.screenY(1) - frame.screenY(0)) * scale);
        float by = (float) (frame.screenY(0) * scale + pixels.offsetY());
        int k = run.stepAt(time);
        int steps = run.steps();
        int m = run.traced();
        int points = steps + 1;
        float halfWidth = (float) (PATH_WIDTH / 2 * scale);
        for (int b = 0; b < BINS; b++) {
            for (int j = binStart[b]; j < binStart[b + 1] && byColour[j] < m; j++) {
                int i = byColour[j];
                layer.moveTo(ax * positionX(run, i, k) + bx, ay * positionY(run, i, k) + by, halfWidth);
                for (int s = k + 1, o = (i * points + k + 1) * 2; s <= steps; s++, o += 2) {
                    layer.lineTo(ax * paths[o] + bx, ay * paths[o + 1] + by);
                }
                layer.endPath();
            }
            layer.flush(AHEAD[b]);
        }
        for (int b = 0; b < BINS; b++) {
            for (int j = binStart[b]; j < binStart[b + 1] && byColour[j] < m; j++) {
                int i = byColour[j];
                int o = i * points * 2;
                layer.moveTo(ax * paths[o] + bx, ay * paths[o + 1] + by, halfWidth);
                for (int s = 1; s <= k; s++) {
                    o += 2;
                    layer.lineTo(ax * paths[o] + bx, ay * paths[o + 1] + by);
                }
                layer.lineTo(ax * positionX(run, i, k) + bx, ay * positionY(run, i, k) + by);
                layer.endPath();
            }
            layer.flush(TRAVELLED[b]);
        }
        int step = options.stages() ? shownStageStep(run) : -1;
        if (step >= 0) {
            RasterLayer.Mask ring = RasterLayer.ring(STAGE_RADIUS * scale, STAGE_STROKE * scale);
            int s = run.stages();
            float[] pts = run.stagePoints();
            for (int b = 0; b < BINS; b++) {
                for (int j = binStart[b]; j < binStart[b + 1] && byColour[j] < m; j++) {
                    int p = byColour[j];
                    for (int q = 0; q < s; q++) {
                        int o = ((step * s + q) * m + p) * 2;
                        layer.stamp(ring, ax * pts[o] + bx, ay * pts[o + 1] + by);
                    }
                }
                layer.flush(SOLID[b]);
            }
        }
        RasterLayer.Mask dot = RasterLayer.disc(PARTICLE_RADIUS * scale);
        for (int b = 0; b < BINS; b++) {
            for (int j = binStart[b]; j < binStart[b + 1]; j++) {
                int i = byColour[j];
                layer.stamp(dot, ax * xy[2 * i] + bx, ay * xy[2 * i + 1] + by);
            }
            layer.flush(SOLID[b]);
        }
        pixels.draw(g, layer);
    }

    private void paintHeader(Graphics2D g, FlowRun run, PlotFrame frame) {
        Rectangle2D a = frame.area();
        // a header longer than its panel is cut at the panel's edge, never drawn over the next panel
        java.awt.Shape clip = g.getClip();
        g.clip(new Rectangle2D.Double(a.getX() - 2, a.getY() - HEADER, a.getWidth() + GAP / 2, HEADER));
        try {
            paintHeaderText(g, run, a);
        } finally {
            g.setClip(clip);
        }
    }

    private void paintHeaderText(Graphics2D g, FlowRun run, Rectangle2D a) {
        int k = run.stepAt(time);
        g.setPaint(theme.text());
        g.setFont(FigureText.bold(14));
        // narrow panels get the short forms rather than text cut by the panel's edge
        double room = a.getWidth() + GAP / 2 - 4;
        FigureText.drawLeft(g, FigureText.fitted(g, room, run.label()), a.getX(), a.getY() - 40);
        g.setFont(FigureText.plain(11.5));
        g.setPaint(theme.mutedText());
        FigureText.drawLeft(g, FigureText.fitted(g, room,
                String.format(Locale.ROOT, "%s \u00b7 straightness %.4f", solverText(run), run.straightness()),
                String.format(Locale.ROOT, "%s \u00b7 S %.4f", solverText(run), run.straightness())), a.getX(), a.getY() - 23);
        FigureText.drawLeft(g, FigureText.fitted(g, room,
                String.format(Locale.ROOT, "t = %.3f \u00b7 step %d/%d \u00b7 NFE %d/%d", time, k, run.steps(), run.nfe()[k], run.totalNfe()),
                String.format(Locale.ROOT, "t = %.3f \u00b7 %d/%d \u00b7 NFE %d", time, k, run.steps(), run.nfe()[k])),
                a.getX(), a.getY() - 8);
    }

    /** Whether the named solver picks its own steps (then the schedule only says where it stops). */
    public static boolean isAdaptive(String solver) {
        return solver != null && solver.toLowerCase(Locale.ROOT).startsWith("dopri");
    }

    /** "euler, uniform", or for an adaptive solver "dopri5, adaptive steps, output on the uniform grid". */
    static String solverText(FlowRun run) {
        return isAdaptive(run.solver()) ? run.solver() + ", adaptive steps, output on the " + run.schedule() + " grid"
                : run.solver() + ", " + run.schedule();
    }

    /** Target samples as small squares, each cut to the panel (the same pixels as a clip, without one). */
    private void paintTarget(Graphics2D g, PlotFrame frame) {
        g.setPaint(theme.isDark() ? new Color(255, 255, 255, 40) : new Color(0, 0, 0, 34));
        Rectangle2D a = frame.area();
        Rectangle2D.Double dot = new Rectangle2D.Double();
        for (int i = 0; i + 1 < target.length; i += 2) {
            double x0 = Math.max(a.getMinX(), frame.screenX(target[i]) - 1.1);
            double y0 = Math.max(a.getMinY(), frame.screenY(target[i + 1]) - 1.1);
            double x1 = Math.min(a.getMaxX(), frame.screenX(target[i]) + 1.1);
            double y1 = Math.min(a.getMaxY(), frame.screenY(target[i + 1]) + 1.1);
            if (x1 > x0 && y1 > y0) {
                dot.setFrame(x0, y0, x1 - x0, y1 - y0);
                g.fill(dot);
            }
        }
    }

    private void paintField(Graphics2D g, PlotFrame frame, FlowRun run) {
        int lat = run.fieldCount();
        if (lat == 0) {
            return;
        }
        int k = run.stepAt(time);
        int k1 = Math.min(k + 1, run.steps());
        double a = k1 == k ? 0 : Math.max(0, Math.min(1, (time - run.times()[k]) / (run.times()[k1] - run.times()[k])));
        float[] pts = run.fieldPoints();
        float[] v = run.fieldVelocities();
        double spacing = frame.unitsPerDataX() * (FlowSampler.FIELD_BOUNDS[1] - FlowSampler.FIELD_BOUNDS[0]) / (FlowSampler.FIELD_COLUMNS - 1);
        double maxSpeed = 1e-9;
        for (int j = 0; j < lat; j++) {
            double vx = v[(k * lat + j) * 2] * (1 - a) + v[(k1 * lat + j) * 2] * a;
            double vy = v[(k * lat + j) * 2 + 1] * (1 - a) + v[(k1 * lat + j) * 2 + 1] * a;
            maxSpeed = Math.max(maxSpeed, Math.hypot(vx, vy));
        }
        double scale = 0.85 * spacing / maxSpeed;
        Path2D.Double shafts = new Path2D.Double();
        Path2D.Double tips = new Path2D.Double();
        for (int j = 0; j < lat; j++) {
            double vx = v[(k * lat + j) * 2] * (1 - a) + v[(k1 * lat + j) * 2] * a;
            double vy = v[(k * lat + j) * 2 + 1] * (1 - a) + v[(k1 * lat + j) * 2 + 1] * a;
            double x0 = frame.screenX(pts[2 * j]);
            double y0 = frame.screenY(pts[2 * j + 1]);
            double dx = vx * scale;
            double dy = -vy * scale;
            double len = Math.hypot(dx, dy);
            if (len < 1.5) {
                continue;
            }
            shafts.moveTo(x0, y0);
            shafts.lineTo(x0 + dx, y0 + dy);
            double ux = dx / len;
            double uy = dy / len;
            double head = Math.min(5, 0.4 * len);
            tips.moveTo(x0 + dx, y0 + dy);
            tips.lineTo(x0 + dx - head * (ux - 0.5 * uy), y0 + dy - head * (uy + 0.5 * ux));
            tips.lineTo(x0 + dx - head * (ux + 0.5 * uy), y0 + dy - head * (uy - 0.5 * ux));
            tips.closePath();
        }
        g.setStroke(new BasicStroke(1.0f));
        g.setPaint(theme.isDark() ? new Color(0xB0B8C0) : new Color(0x6E7781));
        g.draw(shafts);
        g.fill(tips);
    }

    private void paintCoupling(Graphics2D g, PlotFrame frame, FlowRun run) {
        g.setStroke(new BasicStroke(0.7f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {3f, 3f}, 0f));
        g.setPaint(theme.isDark() ? new Color(255, 255, 255, 70) : new Color(0, 0, 0, 60));
        int last = run.steps();
        Path2D.Double lines = new Path2D.Double();
        for (int i = 0; i < run.traced(); i++) {
            lines.moveTo(frame.screenX(run.x(0, i)), frame.screenY(run.y(0, i)));
            lines.lineTo(frame.screenX(run.x(last, i)), frame.screenY(run.y(last, i)));
        }
        g.draw(lines);
    }

    /**
     * Paths are gathered into one shape per palette colour: a few dozen strokes instead of two
     * per path keep a frame cheap (Java2D's per-shape setup dominates for small shapes).
     */
    private void paintPaths(Graphics2D g, PlotFrame frame, FlowRun run) {
        int k = run.stepAt(time);
        int steps = run.steps();
        g.setStroke(new BasicStroke((float) PATH_WIDTH, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        Path2D.Float[] ahead = new Path2D.Float[BINS];
        Path2D.Float[] travelled = new Path2D.Float[BINS];
        for (int i = 0; i < run.traced(); i++) {
            int bin = colour[i];
            if (ahead[bin] == null) {
                ahead[bin] = new Path2D.Float();
                travelled[bin] = new Path2D.Float();
            }
            float hx = (float) frame.screenX(positionX(run, i, k));
            float hy = (float) frame.screenY(positionY(run, i, k));
            Path2D.Float done = travelled[bin];
            done.moveTo(frame.screenX(run.x(0, i)), frame.screenY(run.y(0, i)));
            for (int s = 1; s <= k; s++) {
                done.lineTo(frame.screenX(run.x(s, i)), frame.screenY(run.y(s, i)));
            }
            done.lineTo(hx, hy);
            Path2D.Float rest = ahead[bin];
            rest.moveTo(hx, hy);
            for (int s = k + 1; s <= steps; s++) {
                rest.lineTo(frame.screenX(run.x(s, i)), frame.screenY(run.y(s, i)));
            }
        }
        for (int b = 0; b < BINS; b++) {
            if (ahead[b] != null) {
                g.setPaint(AHEAD[b]);
                g.draw(ahead[b]);
            }
        }
        for (int b = 0; b < BINS; b++) {
            if (travelled[b] != null) {
                g.setPaint(TRAVELLED[b]);
                g.draw(travelled[b]);
            }
        }
    }

    private float positionX(FlowRun run, int i, int k) {
        if (k >= run.steps()) {
            return run.x(k, i);
        }
        double a = (time - run.times()[k]) / (run.times()[k + 1] - run.times()[k]);
        return (float) (run.x(k, i) + a * (run.x(k + 1, i) - run.x(k, i)));
    }

    private float positionY(FlowRun run, int i, int k) {
        if (k >= run.steps()) {
            return run.y(k, i);
        }
        double a = (time - run.times()[k]) / (run.times()[k + 1] - run.times()[k]);
        return (float) (run.y(k, i) + a * (run.y(k + 1, i) - run.y(k, i)));
    }

    /** The step just taken (k-1 to k) when t sits on grid time t_k: where the solver evaluated v. */
    private int shownStageStep(FlowRun run) {
        if (run.stages() == 0 || !run.isGridTime(time)) {
            return -1;
        }
        int k = run.stepAt(time);
        return k == 0 ? -1 : k - 1;
    }

    /** Stage points as one shape of rings per palette colour. */
    private void paintStages(Graphics2D g, PlotFrame frame, FlowRun run) {
        int step = shownStageStep(run);
        if (step < 0) {
            return;
        }
        int s = run.stages();
        int m = run.traced();
        float[] pts = run.stagePoints();
        g.setStroke(new BasicStroke((float) STAGE_STROKE));
        Ellipse2D.Double ring = new Ellipse2D.Double();
        for (int b = 0; b < BINS; b++) {
            Path2D.Double rings = null;
            for (int j = binStart[b]; j < binStart[b + 1] && byColour[j] < m; j++) {
                int p = byColour[j];
                for (int q = 0; q < s; q++) {
                    int o = ((step * s + q) * m + p) * 2;
                    ring.setFrame(frame.screenX(pts[o]) - STAGE_RADIUS, frame.screenY(pts[o + 1]) - STAGE_RADIUS,
                            2 * STAGE_RADIUS, 2 * STAGE_RADIUS);
                    if (rings == null) {
                        rings = new Path2D.Double();
                    }
                    rings.append(ring, false);
                }
            }
            if (rings != null) {
                g.setPaint(SOLID[b]);
                g.draw(rings);
            }
        }
    }

    /** Particles as one shape of circles per palette colour, for the same reason as the paths. */
    private void paintParticles(Graphics2D g, PlotFrame frame, FlowRun run, float[] xy) {
        Path2D.Float[] dots = new Path2D.Float[BINS];
        Ellipse2D.Float dot = new Ellipse2D.Float();
        float d = (float) (2 * PARTICLE_RADIUS);
        for (int i = 0; i < run.n(); i++) {
            float x = xy[2 * i];
            float y = xy[2 * i + 1];
            if (!Float.isFinite(x) || !Float.isFinite(y)) {
                continue;
            }
            int bin = colour[i];
            if (dots[bin] == null) {
                dots[bin] = new Path2D.Float(Path2D.WIND_NON_ZERO, 64);
            }
            dot.setFrame((float) (frame.screenX(x) - PARTICLE_RADIUS), (float) (frame.screenY(y) - PARTICLE_RADIUS), d, d);
            dots[bin].append(dot, false);
        }
        for (int b = 0; b < BINS; b++) {
            if (dots[b] != null) {
                g.setPaint(SOLID[b]);
                g.fill(dots[b]);
            }
        }
    }

    private void paintSelected(Graphics2D g, PlotFrame frame, FlowRun run, float[] xy) {
        Color ink = theme.isDark() ? Color.WHITE : new Color(0x111111);
        Path2D.Double path = new Path2D.Double();
        path.moveTo(frame.screenX(run.x(0, selected)), frame.screenY(run.y(0, selected)));
        for (int k = 1; k <= run.steps(); k++) {
            path.lineTo(frame.screenX(run.x(k, selected)), frame.screenY(run.y(k, selected)));
        }
        g.setStroke(new BasicStroke(4.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.setPaint(theme.background());
        g.draw(path);
        g.setStroke(new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.setPaint(ink);
        g.draw(path);
        Ellipse2D.Double marker = new Ellipse2D.Double();
        g.setStroke(new BasicStroke(1.2f));
        for (int k = 0; k <= run.steps(); k++) {
            marker.setFrame(frame.screenX(run.x(k, selected)) - 2.5, frame.screenY(run.y(k, selected)) - 2.5, 5, 5);
            g.fill(marker);
        }
        double sx = frame.screenX(xy[2 * selected]);
        double sy = frame.screenY(xy[2 * selected + 1]);
        g.setPaint(SOLID[colour[selected]]);
        g.fill(new Ellipse2D.Double(sx - 5, sy - 5, 10, 10));
        g.setPaint(ink);
        g.setStroke(new BasicStroke(2f));
        g.draw(new Ellipse2D.Double(sx - 7.5, sy - 7.5, 15, 15));
    }

    private void paintTimeBar(Graphics2D g, PlotFrame frame, FlowRun run) {
        Rectangle2D a = frame.area();
        double y = a.getMaxY() + PlotFrame.xLabelHeight() + 12;
        double x0 = a.getX();
        double w = a.getWidth();
        g.setStroke(new BasicStroke(1f));
        g.setPaint(theme.axis());
        Path2D.Double bar = new Path2D.Double();
        bar.moveTo(x0, y);
        bar.lineTo(x0 + w, y);
        for (double t : run.times()) {
            double sx = x0 + t * w;
            bar.moveTo(sx, y - 4);
            bar.lineTo(sx, y + 4);
        }
        g.draw(bar);
        int step = shownStageStep(run);
        if (options.stages() && step >= 0) {
            g.setPaint(theme.mutedText());
            double[] st = run.stageTimes();
            for (int q = 0; q < run.stages(); q++) {
                double sx = x0 + st[step * run.stages() + q] * w;
                g.fill(new Ellipse2D.Double(sx - 2, y - 8.5, 4, 4));
            }
        }
        g.setPaint(new Color(Palette.VERMILLION));
        g.setStroke(new BasicStroke(2f));
        double sx = x0 + time * w;
        g.draw(new Line2D.Double(sx, y - 7, sx, y + 7));
        g.setFont(FigureText.plain(10.5));
        g.setPaint(theme.mutedText());
        FigureText.drawLeft(g, "t = 0", x0 - 30, y + 4);
        FigureText.drawLeft(g, "1", x0 + w + 4, y + 4);
    }

    /** Palette bin of each particle by the angle of its start point around the origin. */
    private static byte[] colourBins(FlowRun run) {
        byte[] bins = new byte[run.n()];
        for (int i = 0; i < run.n(); i++) {
            double angle = Math.atan2(run.y(0, i), run.x(0, i));
            double u = (angle + Math.PI) / (2 * Math.PI);
            bins[i] = (byte) Math.min(BINS - 1, (int) (u * BINS));
        }
        return bins;
    }

    /** Particle indices grouped by palette bin (counting sort, so ascending within a bin); fills {@code start // [BINS+1]}. */
    private static int[] groupByBin(byte[] bins, int[] start) {
        for (byte b : bins) {
            start[b + 1]++;
        }
        for (int b = 0; b < BINS; b++) {
            start[b + 1] += start[b];
        }
        int[] next = Arrays.copyOf(start, BINS);
        int[] order = new int[bins.length];
        for (int i = 0; i < bins.length; i++) {
            order[next[bins[i]]++] = i;
        }
        return order;
    }

    /** 0xRRGGBB of particle i: what exports and tests compare against. */
    public int colourOf(int particle) {
        return SOLID[colour[particle]].getRGB() & 0xFFFFFF;
    }
}
