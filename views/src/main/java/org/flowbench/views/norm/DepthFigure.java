package org.flowbench.views.norm;

import org.flowbench.compute.lm.LmActivations;
import org.flowbench.compute.lm.LmProbe;
import org.flowbench.views.figure.ColourBar;
import org.flowbench.views.figure.DataBounds;
import org.flowbench.views.figure.Figure;
import org.flowbench.views.figure.FigureText;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.figure.Palette;
import org.flowbench.views.figure.PlotFrame;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Depth page's picture at one training step: for each run (placement) side by side, the
 * chosen metric against the layer on a log scale (with the step-0 curve dashed and, for the
 * stream's size, Xiong et al.'s Pre-LN band at initialisation), the metric as a layer x step
 * heatmap with the current step marked, and the attention entropy per layer and head; beside
 * them the loss curves overlaid with divergences marked (step, layer), and |x| per token and
 * channel of one layer (the "massive activations" view). Each kind of heatmap has a colour bar:
 * the runs' layer x step maps share one log scale (the curves' decades) and their attention
 * entropies one scale from 0 to ln(context), each drawn once at the end of its row and marked
 * "shared", so the placements can be compared by colour. Immutable.
 */
public final class DepthFigure implements Figure {

    public static final int PREFERRED_WIDTH = 1200;
    public static final int PREFERRED_HEIGHT = 760;
    private static final double GAP = 10;
    private static final double HEADER = 18;
    private static final double LEFT_AXIS = 34;
    private static final int MAX_CACHED_IMAGES = 96;
    private static final Map<HeatKey, BufferedImage> HEATMAPS = new ConcurrentHashMap<>();
    private static final Map<HeatKey, double[]> RANGES = new ConcurrentHashMap<>();

    /** The activations shown in the "massive activations" panel, with what they are of. */
    public record Activations(String runLabel, int step, int layer, LmActivations values) {
    }

    private final List<DepthRun> runs;
    private final DepthMetric metric;
    private final int step;
    private final Activations activations;
    private final FigureTheme theme;
    private final int logLo;
    private final int logHi;

    /**
     * @param runs        side by side, left to right (at least one)
     * @param metric      what the curves and heatmaps show
     * @param step        the training step shown (the last probe at or before it)
     * @param activations the |x| panel's data, or null
     */
    public DepthFigure(List<DepthRun> runs, DepthMetric metric, int step, Activations activations, FigureTheme theme) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("the depth figure needs at least one run");
        }
        this.runs = List.copyOf(runs);
        this.metric = metric;
        this.step = step;
        this.activations = activations;
        this.theme = theme;
        double[] range = range(this.runs, metric);
        int[] d = NormPlots.decades(range[0], range[1]);
        this.logLo = d[0];
        this.logHi = d[1];
    }

    public List<DepthRun> runs() {
        return runs;
    }

    public DepthMetric metric() {
        return metric;
    }

    public int step() {
        return step;
    }

    public Activations activations() {
        return activations;
    }

    /** The decades of the shared y axis, {lo, hi} (log10). */
    public int[] decades() {
        return new int[] {logLo, logHi};
    }

    @Override
    public String title() {
        return "Depth: " + metric.description() + " at step " + step;
    }

    /** Smallest positive and largest finite value of the metric over every run and probe. */
    static double[] range(List<DepthRun> runs, DepthMetric metric) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (DepthRun run : runs) {
            double[] r = runRange(run, metric);
            lo = Math.min(lo, r[0]);
            hi = Math.max(hi, r[1]);
        }
        return hi > 0 ? new double[] {lo, hi} : new double[] {0.1, 10};
    }

    /** One run's {smallest positive, largest finite} value, band included; cached per run and metric for the next frames. */
    private static double[] runRange(DepthRun run, DepthMetric metric) {
        HeatKey key = new HeatKey(System.identityHashCode(run.probes()), run.probes().size(), metric, 0, 0);
        double[] cached = RANGES.get(key);
        if (cached != null) {
            return cached;
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (LmProbe p : run.probes()) {
            for (double v : metric.values(p, run.config())) {
                if (v > 0 && Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (metric == DepthMetric.MEAN_SQUARE || metric == DepthMetric.VARIANCE) {
            double[] band = bandTop(run, metric);
            for (double v : band) {
                if (v > 0 && Double.isFinite(v)) {
                    hi = Math.max(hi, v);
                }
            }
        }
        double[] out = {lo, hi};
        if (RANGES.size() >= MAX_CACHED_IMAGES) {
            RANGES.clear();
        }
        RANGES.put(key, out);
        return out;
    }

    /**
     * Xiong et al.'s band for the stream at initialisation, per layer l: {lower, upper} =
     * (1 + k/2, 1 + 3k/2) times the layer-0 value, k = sublayers passed (l per FFN-only block, 2l
     * with attention). Their bound is for Pre-LN; it is drawn in every panel as the reference.
     */
    static double[][] band(DepthRun run, DepthMetric metric) {
        double base = metric.values(run.probes().get(0), run.config())[0];
        int layers = run.config().layers();
        int per = run.config().sublayersPerBlock();
        double[][] out = new double[2][layers + 1];
        for (int l = 0; l <= layers; l++) {
            int k = l * per;
            out[0][l] = base * (1 + k / 2.0);
            out[1][l] = base * (1 + 3 * k / 2.0);
        }
        return out;
    }

    private static double[] bandTop(DepthRun run, DepthMetric metric) {
        return band(run, metric)[1];
    }

    /** The series colour of a run: by its placement, so Pre-LN has one colour on every page. */
    static Color colour(DepthRun run, FigureTheme theme) {
        return new Color(Palette.forTheme(Palette.series(run.config().placement().ordinal()).getRGB() & 0xFFFFFF, theme));
    }

    // ----------------------------------------------------------------------------------------
    // Layout

    /** Where each panel goes inside {@code area}. */
    record Layout(Rectangle2D[] curves, Rectangle2D[] heatmaps, Rectangle2D[] entropy, Rectangle2D loss,
                  Rectangle2D activations, Rectangle2D heatmapBar, Rectangle2D entropyBar) {
    }

    Layout layout(Rectangle2D area) {
        int n = runs.size();
        double sideWidth = Math.max(180, area.getWidth() * 0.27);
        double gridWidth = area.getWidth() - sideWidth - GAP;
        double columnWidth = (gridWidth - GAP * (n - 1)) / n;
        // the heatmap rows give up a strip at their end to the colour bar their panels share
        double heatWidth = Math.max(1, (gridWidth - ColourBar.STRIP_WIDTH - GAP * n) / n);
        double rowHeight = (area.getHeight() - 2 * GAP) / 3;
        double curveHeight = rowHeight * 1.25;
        double otherHeight = (area.getHeight() - 2 * GAP - curveHeight) / 2;
        Rectangle2D[] curves = new Rectangle2D[n];
        Rectangle2D[] heat = new Rectangle2D[n];
        Rectangle2D[] ent = new Rectangle2D[n];
        for (int i = 0; i < n; i++) {
            double x = area.getX() + i * (columnWidth + GAP);
            double hx = area.getX() + i * (heatWidth + GAP);
            curves[i] = new Rectangle2D.Double(x, area.getY(), columnWidth, curveHeight);
            heat[i] = new Rectangle2D.Double(hx, area.getY() + curveHeight + GAP, heatWidth, otherHeight);
            ent[i] = new Rectangle2D.Double(hx, area.getY() + curveHeight + otherHeight + 2 * GAP, heatWidth, otherHeight);
        }
        double barX = area.getX() + gridWidth - ColourBar.STRIP_WIDTH;
        double sx = area.getX() + gridWidth + GAP;
        double half = (area.getHeight() - GAP) / 2;
        return new Layout(curves, heat, ent, new Rectangle2D.Double(sx, area.getY(), sideWidth, half),
                new Rectangle2D.Double(sx, area.getY() + half + GAP, sideWidth, half),
                new Rectangle2D.Double(barX, heat[0].getY(), ColourBar.STRIP_WIDTH, otherHeight),
                new Rectangle2D.Double(barX, ent[0].getY(), ColourBar.STRIP_WIDTH, otherHeight));
    }

    /** The plot rectangle of curve panel {@code i} inside {@code area} (headers and axis labels outside it). */
    Rectangle2D curvePlot(Rectangle2D area, int i) {
        return NormPlots.inset(layout(area).curves()[i], LEFT_AXIS, HEADER + 14, 6, PlotFrame.xLabelHeight() + 2);
    }

    /** The heatmap inside a heatmap row's cell (or the bar inside its strip): below the header, above the x labels. */
    private static Rectangle2D heatPlot(Rectangle2D cell) {
        return NormPlots.inset(cell, LEFT_AXIS, HEADER + 2, 6, PlotFrame.xLabelHeight() + 2);
    }

    /** The colour bar in a row's strip, as tall as the row's heatmaps. */
    static Rectangle2D barIn(Rectangle2D strip) {
        Rectangle2D plot = heatPlot(strip);
        return new Rectangle2D.Double(strip.getX() + 4, plot.getY(), ColourBar.BAR_WIDTH, plot.getHeight());
    }

    /** The colour scale of the layer x step heatmaps: log10 of the metric over the figure's decades, shared. */
    ColourBar heatmapScale() {
        return new ColourBar(logLo, logHi, true, metric.axisLabel(), runs.size() > 1 ? "shared" : "");
    }

    /**
     * The colour scale of the attention entropy heatmaps, in nats: 0 to ln(context), the entropy
     * of uniform attention, of the longest context among the runs, shared.
     */
    ColourBar entropyScale() {
        int context = 2;
        for (DepthRun run : runs) {
            context = Math.max(context, run.config().context());
        }
        return new ColourBar(0, Math.log(context), false, "nats", runs.size() > 1 ? "shared" : "");
    }

    /** The colour scale of the |x| panel (its header names the quantity): 0 to the largest |x| of the layer shown; null without activations. */
    ColourBar activationScale() {
        if (activations == null) {
            return null;
        }
        LmActivations a = activations.values();
        float max = a.max(Math.max(0, Math.min(a.config().layers(), activations.layer())));
        return new ColourBar(0, max > 0 ? max : 1, false, "", "");
    }

    private boolean anyAttention() {
        for (DepthRun run : runs) {
            if (run.probeAt(step).attnEntropy().length > 0) {
                return true;
            }
        }
        return false;
    }

    /** The figure's panels lie inside this margin of the area it paints. */
    static Rectangle2D inner(Rectangle2D area) {
        return NormPlots.inset(area, 8, 6, 8, 6);
    }

    /** The frame of curve panel {@code i} when the figure paints {@code area} (x: layer; y: log10 of the metric). */
    PlotFrame curveFrame(Rectangle2D area, int i) {
        DepthRun run = runs.get(i);
        return PlotFrame.stretched(curvePlot(inner(area), i), new DataBounds(metric.firstLayer() - 0.3,
                run.config().layers() + 0.3, logLo, logHi));
    }

    // ----------------------------------------------------------------------------------------
    // Paint

    @Override
    public void paint(Graphics2D g, Rectangle2D area) {
        g.setPaint(theme.background());
        g.fill(area);
        Rectangle2D inner = inner(area);
        Layout layout = layout(inner);
        for (int i = 0; i < runs.size(); i++) {
            paintCurves(g, layout.curves()[i], i, inner);
            paintHeatmap(g, layout.heatmaps()[i], runs.get(i));
            paintEntropy(g, layout.entropy()[i], runs.get(i));
        }
        heatmapScale().paint(g, theme, barIn(layout.heatmapBar()), ColourBar.STRIP_WIDTH - 4);
        if (anyAttention()) {
            entropyScale().paint(g, theme, barIn(layout.entropyBar()), ColourBar.STRIP_WIDTH - 4);
        }
        paintLoss(g, layout.loss());
        paintActivations(g, layout.activations());
    }

    private void paintCurves(Graphics2D g, Rectangle2D cell, int i, Rectangle2D inner) {
        DepthRun run = runs.get(i);
        LmProbe probe = run.probeAt(step);
        NormPlots.header(g, theme, cell, run.label() + ", step " + probe.step(), run.label());
        Rectangle2D plot = curvePlot(inner, i);
        PlotFrame frame = NormPlots.logFrame(g, theme, plot, metric.firstLayer() - 0.3, run.config().layers() + 0.3,
                logLo, logHi, true);
        // No clip: the shared decades hold every value and the band (see range), and a clip on
        // the JavaFX canvas costs a save/restore of its state per panel.
        if (metric == DepthMetric.MEAN_SQUARE || metric == DepthMetric.VARIANCE) {
            double[][] band = band(run, metric);
            Path2D.Double shape = new Path2D.Double();
            for (int l = 0; l < band[0].length; l++) {
                double y = frame.screenY(Math.log10(Math.max(band[1][l], 1e-300)));
                if (l == 0) {
                    shape.moveTo(frame.screenX(l), y);
                } else {
                    shape.lineTo(frame.screenX(l), y);
                }
            }
            for (int l = band[0].length - 1; l >= 0; l--) {
                shape.lineTo(frame.screenX(l), frame.screenY(Math.log10(Math.max(band[0][l], 1e-300))));
            }
            shape.closePath();
            Color c = theme.mutedText();
            g.setPaint(new Color(c.getRed(), c.getGreen(), c.getBlue(), 50));
            g.fill(shape);
        }
        Color colour = colour(run, theme);
        int first = metric.firstLayer();
        double[] initial = metric.values(run.probes().get(0), run.config());
        g.setPaint(theme.mutedText());
        g.setStroke(new BasicStroke(1.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[] {4f, 3f}, 0f));
        g.draw(polyline(frame, initial, first));
        g.setPaint(colour);
        g.setStroke(new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        double[] values = metric.values(probe, run.config());
        g.draw(polyline(frame, values, first));
        for (int k = 0; k < values.length; k++) {
            if (values[k] > 0 && Double.isFinite(values[k])) {
                double x = frame.screenX(first + k);
                double y = frame.screenY(Math.log10(values[k]));
                g.fill(new java.awt.geom.Ellipse2D.Double(x - 2.5, y - 2.5, 5, 5));
            }
        }
        g.setStroke(new BasicStroke(1f));
        if (run.diverged() && step >= run.divergedStep()) {
            g.setPaint(Palette.accent(theme));
            double x = frame.screenX(Math.max(first, Math.min(run.config().layers(), run.divergedLayer())));
            double y = plot.getMinY() + 8;
            g.draw(new Line2D.Double(x - 5, y - 5, x + 5, y + 5));
            g.draw(new Line2D.Double(x - 5, y + 5, x + 5, y - 5));
        }
        g.setFont(FigureText.plain(NormPlots.LABEL_FONT));
        g.setPaint(theme.mutedText());
        String sub = run.diverged() && step >= run.divergedStep()
                ? "diverged at step " + run.divergedStep() + ", layer " + run.divergedLayer()
                : metric.axisLabel() + (metric == DepthMetric.MEAN_SQUARE || metric == DepthMetric.VARIANCE
                ? "; dashed: step 0; shaded: Xiong et al. band" : "; dashed: step 0");
        FigureText.drawLeft(g, FigureText.fitted(g, cell.getWidth() - 4, sub, metric.axisLabel() + "; dashed: step 0",
                metric.axisLabel()), cell.getX() + 2,
                cell.getY() + HEADER + 9);
        FigureText.drawRight(g, "layer", plot.getMaxX(), plot.getMaxY() - 3);
    }

    private static Path2D polyline(PlotFrame frame, double[] values, int first) {
        Path2D.Double path = new Path2D.Double();
        boolean pen = false;
        for (int k = 0; k < values.length; k++) {
            double v = values[k];
            if (!(v > 0) || !Double.isFinite(v)) {
                pen = false;
                continue;
            }
            double x = frame.screenX(first + k);
            double y = frame.screenY(Math.log10(v));
            if (pen) {
                path.lineTo(x, y);
            } else {
                path.moveTo(x, y);
                pen = true;
            }
        }
        return path;
    }

    private void paintHeatmap(Graphics2D g, Rectangle2D cell, DepthRun run) {
        NormPlots.header(g, theme, cell, run.label() + ": layer \u00d7 step, log " + metric.axisLabel(),
                run.label() + ": layer \u00d7 step", "layer \u00d7 step", "layers");
        Rectangle2D plot = heatPlot(cell);
        BufferedImage image = heatImage(run, metric, logLo, logHi);
        int last = Math.max(1, run.lastStep());
        PlotFrame frame = PlotFrame.stretched(plot, new DataBounds(0, last, metric.firstLayer() - 0.5,
                run.config().layers() + 0.5));
        NormPlots.drawBlocks(g, image, plot);
        frame.paintAxes(g, theme, true, true);
        double x = frame.screenX(Math.min(last, run.probeAt(step).step()));
        g.setPaint(Palette.accent(theme));
        g.setStroke(new BasicStroke(1.5f));
        g.draw(new Line2D.Double(x, plot.getMinY(), x, plot.getMaxY()));
        g.setStroke(new BasicStroke(1f));
    }

    /** The layer x probe image of a run's metric, log10 coloured over the figure's decades; cached. */
    static BufferedImage heatImage(DepthRun run, DepthMetric metric, int lo, int hi) {
        HeatKey key = new HeatKey(System.identityHashCode(run.probes()), run.probes().size(), metric, lo, hi);
        BufferedImage cached = HEATMAPS.get(key);
        if (cached != null) {
            return cached;
        }
        List<double[]> columns = new ArrayList<>();
        for (LmProbe p : run.probes()) {
            columns.add(metric.values(p, run.config()));
        }
        int rows = columns.get(0).length;
        BufferedImage image = NormPlots.heatmap(columns.size(), rows, lo, hi, (c, r) -> {
            double v = columns.get(c)[r];
            return v > 0 ? Math.log10(v) : v == 0 ? lo : Double.NaN;
        });
        if (HEATMAPS.size() >= MAX_CACHED_IMAGES) {
            HEATMAPS.clear();
        }
        HEATMAPS.put(key, image);
        return image;
    }

    private record HeatKey(int probesIdentity, int count, DepthMetric metric, int lo, int hi) {
    }

    private void paintEntropy(Graphics2D g, Rectangle2D cell, DepthRun run) {
        LmProbe probe = run.probeAt(step);
        double[][] ent = probe.attnEntropy();
        if (ent.length == 0) {
            NormPlots.header(g, theme, cell, run.label() + ": attention entropy", "attention entropy");
            NormPlots.note(g, theme, cell, "no attention (FFN-only blocks)", "no attention");
            return;
        }
        int heads = ent[0].length;
        ColourBar scale = entropyScale();
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (double[] row : ent) {
            for (double v : row) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        NormPlots.header(g, theme, cell, String.format(Locale.ROOT, "%s: attention entropy, %.2f\u2013%.2f nats",
                run.label(), lo, hi), run.label() + ": attention entropy", "attention entropy", "entropy");
        Rectangle2D plot = heatPlot(cell);
        BufferedImage image = NormPlots.heatmap(heads, ent.length, scale.lo(), scale.hi(), (c, r) -> ent[r][c]);
        NormPlots.drawBlocks(g, image, plot);
        PlotFrame frame = PlotFrame.stretched(plot, new DataBounds(0.5, heads + 0.5, 0.5, ent.length + 0.5));
        frame.paintAxes(g, theme, false, true);
        g.setFont(FigureText.plain(NormPlots.LABEL_FONT));
        g.setPaint(theme.text());
        double baseline = plot.getMaxY() + 4 + FigureText.ascent(g);
        int every = Math.max(1, (int) Math.ceil(heads * 22 / plot.getWidth()));
        for (int h = 1; h <= heads; h += every) {
            FigureText.drawCentered(g, Integer.toString(h), frame.screenX(h), baseline);
        }
        g.setPaint(Color.WHITE);
        FigureText.drawRight(g, "head", plot.getMaxX() - 3, plot.getMaxY() - 3);
    }

    private void paintLoss(Graphics2D g, Rectangle2D cell) {
        NormPlots.header(g, theme, cell, "Loss (nats); \u00d7: diverged (step, layer)", "Loss");
        Rectangle2D plot = NormPlots.inset(cell, LEFT_AXIS, HEADER + 4 + 14 * runs.size(), 6,
                PlotFrame.xLabelHeight() + 2);
        double maxStep = 1;
        double maxLoss = 0;
        for (DepthRun run : runs) {
            maxStep = Math.max(maxStep, Math.max(run.totalSteps(), run.lastStep()));
        for (LmProbe p : run.probes()) {
                if (Double.isFinite(p.loss())) {
                    maxLoss = Math.max(maxLoss, p.loss());
                }
            }
        }
        PlotFrame frame = PlotFrame.stretched(plot, new DataBounds(0, maxStep, 0, Math.max(1e-3, maxLoss * 1.08)));
        frame.paintPanel(g, theme);
        frame.paintAxes(g, theme, true, true);
        g.setFont(FigureText.plain(NormPlots.LABEL_FONT));
        for (int i = 0; i < runs.size(); i++) {
            DepthRun run = runs.get(i);
            Color colour = colour(run, theme);
            Path2D.Double path = new Path2D.Double();
            boolean pen = false;
            double lastY = Double.NaN;
            double lastX = Double.NaN;
            double drawnY = Double.NaN;
            List<LmProbe> probes = run.probes();
            for (int k = 0; k < probes.size(); k++) {
                LmProbe p = probes.get(k);
                if (!Double.isFinite(p.loss())) {
                    continue;
                }
                double x = frame.screenX(p.step());
                double y = frame.screenY(p.loss());
                lastY = y;
                // thousands of probes on a few hundred pixels: skip points that move less than half a pixel
                if (pen && k < probes.size() - 1 && Math.abs(x - lastX) < 0.5 && Math.abs(y - drawnY) < 0.5) {
                    continue;
                }
                if (pen) {
                    path.lineTo(x, y);
                } else {
                    path.moveTo(x, y);
                    pen = true;
                }
                lastX = x;
                drawnY = y;
            }
            g.setPaint(colour);
            g.setStroke(new BasicStroke(1.8f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(path);
            String legend = run.label();
            if (run.diverged()) {
                double x = frame.screenX(run.divergedStep());
                double y = Double.isNaN(lastY) ? plot.getMinY() + 6 : lastY;
                g.setPaint(Palette.accent(theme));
                g.draw(new Line2D.Double(x - 5, y - 5, x + 5, y + 5));
                g.draw(new Line2D.Double(x - 5, y + 5, x + 5, y - 5));
                legend += ": diverged at step " + run.divergedStep() + ", layer " + run.divergedLayer();
            } else {
                legend += String.format(Locale.ROOT, ": %.4g", run.probes().get(run.probes().size() - 1).loss());
            }
            double ly = cell.getY() + HEADER + 12 + 14 * i;
            g.setPaint(colour);
            g.fill(new Rectangle2D.Double(cell.getX() + 4, ly - 7, 12, 3));
            g.setPaint(theme.text());
            FigureText.drawLeft(g, FigureText.fitted(g, cell.getWidth() - 24, legend, run.label()), cell.getX() + 20, ly);
        }
        g.setStroke(new BasicStroke(1.5f));
        g.setPaint(theme.mutedText());
        double x = frame.screenX(Math.min(maxStep, step));
        g.draw(new Line2D.Double(x, plot.getMinY(), x, plot.getMaxY()));
        g.setStroke(new BasicStroke(1f));
    }

    private void paintActivations(Graphics2D g, Rectangle2D cell) {
        if (activations == null) {
            NormPlots.header(g, theme, cell, "|x| per token and channel", "|x|");
            NormPlots.note(g, theme, cell, "needs a run with stored weights", "no weights");
            return;
        }
        LmActivations a = activations.values();
        int layer = Math.max(0, Math.min(a.config().layers(), activations.layer()));
        int width = a.config().width();
        float max = a.max(layer);
        int rows = Math.min(a.rows(), 64);
        int top = 0;
        double topMean = -1;
        double mean = 0;
        for (int c = 0; c < width; c++) {
            double s = 0;
            for (int r = 0; r < rows; r++) {
                s += a.at(layer, r, c);
            }
            s /= rows;
            mean += s / width;
            if (s > topMean) {
                topMean = s;
                top = c;
            }
        }
        NormPlots.header(g, theme, cell, String.format(Locale.ROOT, "|x| at layer %d, step %d (%s)", layer,
                activations.step(), activations.runLabel()), "|x| at layer " + layer, "|x|");
        g.setFont(FigureText.plain(NormPlots.LABEL_FONT));
        g.setPaint(theme.mutedText());
        String stats = String.format(Locale.ROOT, "max %.3g; channel %d: mean %.3g (%.1f\u00d7 the mean channel)", max, top,
                topMean, mean > 0 ? topMean / mean : 0);
        FigureText.drawLeft(g, FigureText.fitted(g, cell.getWidth() - 4, stats,
                String.format(Locale.ROOT, "max %.3g, channel %d", max, top)), cell.getX() + 2, cell.getY() + HEADER + 9);
        Rectangle2D plot = NormPlots.inset(cell, LEFT_AXIS, HEADER + 14, 6 + ColourBar.STRIP_WIDTH,
                PlotFrame.xLabelHeight() + 2);
        int finalRows = rows;
        ColourBar scale = activationScale();
        BufferedImage image = NormPlots.heatmap(width, finalRows, scale.lo(), scale.hi(),
                (c, r) -> a.at(layer, finalRows - 1 - r, c));
        scale.paint(g, theme, new Rectangle2D.Double(plot.getMaxX() + 6, plot.getY(), ColourBar.BAR_WIDTH,
                plot.getHeight()), ColourBar.STRIP_WIDTH - 6);
        NormPlots.drawBlocks(g, image, plot);
        PlotFrame frame = PlotFrame.stretched(plot, new DataBounds(-0.5, width - 0.5, -0.5, finalRows - 0.5));
        frame.paintAxes(g, theme, true, false);
        g.setPaint(Color.WHITE);
        FigureText.drawRight(g, "channel", plot.getMaxX() - 3, plot.getMaxY() - 3);
        FigureText.drawLeft(g, "tokens \u2193", plot.getMinX() + 3, plot.getMinY() + 12);
    }
}
