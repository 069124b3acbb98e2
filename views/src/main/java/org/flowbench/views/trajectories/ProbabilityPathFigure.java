package org.flowbench.views.trajectories;

import org.flowbench.compute.data.Datasets;
import org.flowbench.compute.path.PathSnapshots;
import org.flowbench.views.figure.DataBounds;
import org.flowbench.views.figure.Palette;
import org.flowbench.views.figure.Figure;
import org.flowbench.views.figure.FigureText;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.figure.PlotFrame;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The probability-path picture: one panel per snapshot time (t = 0, 0.25, 0.5, 0.75, 1) showing
 * where the samples x_t = (1 - t) x0 + t x1 are, all panels with the same axis limits and one
 * data unit as long on both axes.
 *
 * <p>Each particle keeps its colour in every panel. The colour comes from where the particle ends
 * up: the angle of its target point x1 around the target's mean, on a cyclic palette. So the
 * right-hand panel shows the target coloured smoothly around its shape, and the left-hand panel
 * shows where each colour starts: mixed everywhere with independent coupling (neighbouring
 * source points are headed anywhere, so paths cross), in coherent sectors with optimal transport.
 */
public final class ProbabilityPathFigure implements Figure {

    /** Number of particles in the catalogue figure. */
    public static final int DEFAULT_COUNT = 1000;

    /** Seed of the catalogue figure when none is given. */
    public static final long DEFAULT_SEED = 7L;

    /** Logical size the figure is designed for; it lays itself out in any other size too. */
    public static final int PREFERRED_WIDTH = 1500;
    public static final int PREFERRED_HEIGHT = 300;

    private static final double MIN_PANEL_ASPECT = 0.8;
    private static final double MAX_PANEL_ASPECT = 2.0;
    private static final double MARGIN = 16.0;
    private static final double PANEL_GAP = 14.0;
    private static final double TITLE_SIZE = 14.0;
    private static final double CAPTION_SIZE = 13.0;

    private final PathSnapshots snapshots;
    private final FigureTheme theme;
    private final int[] colours; // [n] 0xRRGGBB per particle

    public ProbabilityPathFigure(PathSnapshots snapshots, FigureTheme theme) {
        if (snapshots == null || theme == null) {
            throw new IllegalArgumentException("probability-path figure needs snapshots and a theme");
        }
        this.snapshots = snapshots;
        this.theme = theme;
        this.colours = coloursByTargetAngle(snapshots.target(), theme);
    }

    /** N(0, I) to two moons, {@value #DEFAULT_COUNT} particles, independent coupling: the catalogue's figure. */
    public static ProbabilityPathFigure create(long seed, FigureTheme theme) {
        return create("independent", seed, theme);
    }

    /**
     * N(0, I) to two moons, {@value #DEFAULT_COUNT} particles, paired by the named coupling
     * ("independent" or "ot"; exact transport of 1000 points takes a few seconds).
     */
    public static ProbabilityPathFigure create(String coupling, long seed, FigureTheme theme) {
        return new ProbabilityPathFigure(PathSnapshots.sample(Datasets.NORMAL, Datasets.MOONS, coupling,
                DEFAULT_COUNT, PathSnapshots.defaultTimes(), seed), theme);
    }

    @Override
    public String title() {
        return "Probability path " + describe(snapshots.sourceName()) + " to " + describe(snapshots.targetName());
    }

    /** The data the figure shows. */
    public PathSnapshots snapshots() {
        return snapshots;
    }

    /** The theme it paints with. */
    public FigureTheme theme() {
        return theme;
    }

    /** Colour of particle {@code i} (0xRRGGBB), the same in every panel. */
    public int colour(int i) {
        return colours[i];
    }

    /** The caption under the panels, as markup for {@link FigureText#drawMarkup}. */
    public String caption() {
        String path = snapshots.pathName().equals("rectified")
                ? "x_{t} = (1 \u2212 t) x_{0} + t x_{1}" : snapshots.pathName() + " path";
        String coupling = snapshots.coupling().equals("ot") ? "optimal-transport coupling" : snapshots.coupling() + " coupling";
        return path + ",  " + coupling + ",  "
                + describe(snapshots.sourceName()) + " \u2192 " + describe(snapshots.targetName())
                + ",  n = " + snapshots.count() + ",  seed " + snapshots.seed();
    }

    /** The title of panel {@code k}: "t = 0.25". */
    public String panelTitle(int k) {
        return "t = " + formatTime(snapshots.time(k));
    }

    /**
     * The plot frames of the panels for a figure painted into {@code area}, left to right: the
     * same transform {@link #paint} uses, so tests and mouse handlers can map data to screen.
     */
    public List<PlotFrame> panelFrames(Rectangle2D area) {
        int panels = snapshots.timeCount();
        DataBounds limits = sharedLimits();
        double left = area.getX() + MARGIN + PlotFrame.yLabelWidth(2);
        double right = area.getMaxX() - MARGIN;
        double top = area.getY() + MARGIN + TITLE_SIZE * 1.6;
        double bottom = area.getMaxY() - MARGIN - PlotFrame.xLabelHeight() - CAPTION_SIZE * 2.0;
        // Panels take the shape of the room they have (within reason), so no empty bands are left
        // around them at any export size; the data keeps equal scales inside.
        double room = (right - left - (panels - 1) * PANEL_GAP) / panels;
        double aspect = Math.max(MIN_PANEL_ASPECT, Math.min(MAX_PANEL_ASPECT, room / Math.max(1.0, bottom - top)));
        double width = Math.min(room, (bottom - top) * aspect);
        width = Math.max(width, 1.0);
        double height = width / aspect;
        double rowWidth = panels * width + (panels - 1) * PANEL_GAP;
        double x = left + Math.max(0.0, 0.5 * (right - left - rowWidth));
        // Titles, panels, tick labels and caption stay together, centred vertically.
        double y = top + Math.max(0.0, 0.5 * (bottom - top - height));
        List<PlotFrame> frames = new ArrayList<>(panels);
        for (int k = 0; k < panels; k++) {
            Rectangle2D plot = new Rectangle2D.Double(x + k * (width + PANEL_GAP), y, width, height);
            frames.add(PlotFrame.equalAspect(plot, limits));
        }
        return frames;
    }

    /** Radius of the dots on a panel of {@code width x height} logical units. */
    public static double pointRadius(double width, double height) {
        return Math.max(1.1, Math.min(3.0, Math.sqrt(width * height) / 110.0));
    }

    @Override
    public void paint(Graphics2D g, Rectangle2D area) {
        g.setPaint(theme.background());
        g.fill(area);
        List<PlotFrame> frames = panelFrames(area);
        for (int k = 0; k < frames.size(); k++) {
            PlotFrame frame = frames.get(k);
            Rectangle2D plot = frame.area();
            frame.paintPanel(g, theme);
            frame.paintPoints(g, snapshots.positions(k), colours, pointRadius(plot.getWidth(), plot.getHeight()));
            frame.paintAxes(g, theme, true, k == 0);
            g.setFont(FigureText.bold(TITLE_SIZE));
            g.setPaint(theme.text());
            FigureText.drawCentered(g, panelTitle(k), plot.getCenterX(), plot.getMinY() - 0.55 * TITLE_SIZE);
        }
        Rectangle2D first = frames.get(0).area();
        Rectangle2D last = frames.get(frames.size() - 1).area();
        g.setFont(FigureText.plain(CAPTION_SIZE));
        g.setPaint(theme.mutedText());
        String caption = caption();
        double captionX = 0.5 * (first.getMinX() + last.getMaxX()) - 0.5 * FigureText.markupWidth(g, caption);
        double captionBaseline = last.getMaxY() + PlotFrame.xLabelHeight() + CAPTION_SIZE * 1.6;
        FigureText.drawMarkup(g, caption, captionX, captionBaseline);
    }

    /** Limits holding every snapshot, with a little room so no dot touches the frame. */
    private DataBounds sharedLimits() {
        float[][] all = new float[snapshots.timeCount()][];
        for (int k = 0; k < all.length; k++) {
            all[k] = snapshots.positions(k);
        }
        return DataBounds.of(all).padded(0.04);
    }

    /**
     * One colour per particle from the angle of its target x1 around the mean of all targets,
     * walking the cyclic palette once around the circle.
     */
    static int[] coloursByTargetAngle(float[] target, FigureTheme theme) {
        int n = target.length / 2;
        double meanX = 0;
        double meanY = 0;
        for (int i = 0; i < n; i++) {
            meanX += target[2 * i];
            meanY += target[2 * i + 1];
        }
        meanX /= n;
        meanY /= n;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            double angle = Math.atan2(target[2 * i + 1] - meanY, target[2 * i] - meanX);
            double turn = (angle / (2 * Math.PI) + 1.0) % 1.0;
            out[i] = Palette.forTheme(Palette.cyclic(turn), theme);
        }
        return out;
    }

    private static String describe(String datasetName) {
        return switch (datasetName) {
            case "normal" -> "N(0, I)";
            case "moons" -> "two moons";
            default -> datasetName;
        };
    }

    private static String formatTime(double t) {
        String text = String.format(Locale.ROOT, "%.2f", t);
        text = text.replaceAll("0+$", "");
        return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }
}
