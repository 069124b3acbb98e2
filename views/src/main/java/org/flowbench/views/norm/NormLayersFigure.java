package org.flowbench.views.norm;

import org.flowbench.compute.norm.playground.NormPlayground;
import org.flowbench.compute.norm.playground.PlaygroundLayer;
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
import java.awt.geom.Rectangle2D;
import java.util.List;
import java.util.Locale;

/**
 * One view of a playground run ({@link NormPlayground.Result}): the axes diagram, histograms of
 * four channels, the statistics batch after batch, running against batch statistics, or folded
 * against unfolded inference. Immutable; what paint needs (histograms) is computed when the
 * figure is made, off the FX thread.
 */
final class NormLayersFigure implements Figure {

    static final int PREFERRED_WIDTH = 1000;
    static final int PREFERRED_HEIGHT = 620;
    static final int HISTOGRAM_CHANNELS = 4;
    static final int BINS = 32;

    static final Color BATCH_COLOUR = Palette.series(1);
    static final Color USED_COLOUR = Palette.series(4);
    static final Color RUNNING_COLOUR = Palette.series(3);

    private final NormPlayground.Result result;
    private final NormLayersView view;
    private final FigureTheme theme;
    private final int[] channels;
    /** [channel][input 0 / output 1] counts over BINS bins, and [channel][part] {min, max}. */
    private final int[][][] counts;
    private final double[][][] ranges;

    NormLayersFigure(NormPlayground.Result result, NormLayersView view, FigureTheme theme) {
        this.result = result;
        this.view = view;
        this.theme = theme;
        NormPlayground.Settings s = result.settings();
        int c = s.channels();
        channels = new int[Math.min(HISTOGRAM_CHANNELS, c)];
        for (int i = 0; i < channels.length; i++) {
            channels[i] = (s.channel() + i) % c;
        }
        counts = new int[channels.length][2][];
        ranges = new double[channels.length][2][];
        for (int i = 0; i < channels.length; i++) {
            for (int part = 0; part < 2; part++) {
                float[] x = part == 0 ? result.input() : result.trainOutput();
                ranges[i][part] = channelRange(x, s, channels[i]);
                counts[i][part] = histogram(x, s, channels[i], ranges[i][part][0], ranges[i][part][1], BINS);
            }
        }
    }

    NormPlayground.Result result() {
        return result;
    }

    NormLayersView view() {
        return view;
    }

    int[] histogramChannels() {
        return channels.clone();
    }

    /** Counts of channel index i (of {@link #histogramChannels}), part 0 input, 1 output. */
    int[] counts(int i, int part) {
        return counts[i][part].clone();
    }

    /** {min, max} of channel index i, part 0 input, 1 output. */
    double[] range(int i, int part) {
        return ranges[i][part].clone();
    }

    @Override
    public String title() {
        NormPlayground.Settings s = result.settings();
        return s.layer().label() + " on " + presetText(s) + ": " + view.label().toLowerCase(Locale.ROOT);
    }

    static String presetText(NormPlayground.Settings s) {
        return switch (s.input()) {
            case IMAGE -> "images [" + s.batch() + ", " + s.channels() + ", 16x16]";
            case TOKENS -> "tokens [" + s.batch() + ", " + s.channels() + "]";
            case MICRO -> "micro-batch [" + s.batch() + ", " + s.channels() + ", 16x16]";
        };
    }

    @Override
    public void paint(Graphics2D g, Rectangle2D area) {
        g.setPaint(theme.background());
        g.fill(area);
        Rectangle2D inner = new Rectangle2D.Double(area.getX() + 8, area.getY() + 6, area.getWidth() - 16,
                area.getHeight() - 12);
        switch (view) {
            case AXES -> paintAxes(g, inner);
            case HISTOGRAMS -> paintHistograms(g, inner);
            case FLUCTUATION -> paintFluctuation(g, inner);
            case RUNNING -> paintRunning(g, inner);
            case FOLDING -> paintFolding(g, inner);
        }
    }

    // --- axes --------------------------------------------------------------------------------

    NormAxesDiagram diagram() {
        NormPlayground.Settings s = result.settings();
        return new NormAxesDiagram(s.layer(), s.batch(), s.channels(), s.spatial(), s.groups(), s.channel());
    }

    /** Below this width the facts go under the diagram instead of beside it. */
    static final double FACTS_BESIDE_WIDTH = 560;
    /** Room the facts take under the diagram on narrow figures. */
    static final double FACTS_BELOW_HEIGHT = 170;

    /** Where the diagram is drawn inside the figure's area. */
    static Rectangle2D diagramArea(Rectangle2D inner) {
        if (inner.getWidth() < FACTS_BESIDE_WIDTH) {
            return new Rectangle2D.Double(inner.getX(), inner.getY() + 30, inner.getWidth(),
                    Math.max(40, inner.getHeight() - 30 - FACTS_BELOW_HEIGHT));
        }
        return new Rectangle2D.Double(inner.getX(), inner.getY() + 30, inner.getWidth() * 0.62, inner.getHeight() - 30);
    }

    private void paintAxes(Graphics2D g, Rectangle2D inner) {
        NormPlayground.Settings s = result.settings();
        g.setFont(FigureText.bold(NormLayersPlot.TITLE_SIZE + 1));
        g.setPaint(theme.text());
        FigureText.drawLeft(g, FigureText.fitted(g, inner.getWidth(), s.layer().label() + " normalises "
                + s.layer().axes(), s.layer().label()), inner.getX() + 4, inner.getY() + 18);
        Rectangle2D box = diagramArea(inner);
        diagram().paint(g, theme, box);
        boolean below = inner.getWidth() < FACTS_BESIDE_WIDTH;
        double x = below ? inner.getX() + 8 : box.getMaxX() + 16;
        double w = inner.getMaxX() - x;
        g.setFont(FigureText.plain(NormLayersPlot.LABEL_SIZE + 1));
        double y = below ? box.getMaxY() + 16 : box.getY() + 30;
        g.setPaint(theme.text());
        // a narrow column wraps each fact over several lines, continuation lines indented
        for (String fact : facts()) {
            List<String> lines = FigureText.wrapped(g, w - 10, fact);
            for (int i = 0; i < lines.size() && y < inner.getMaxY() - 4; i++) {
                FigureText.drawLeft(g, lines.get(i), i == 0 ? x : x + 10, y);
                y += 17;
            }
            y += 4;
        }
    }

    /** The lines beside the diagram: the input, the layer's statistics, what this run measured. */
    List<String> facts() {
        NormPlayground.Settings s = result.settings();
        PlaygroundLayer l = s.layer();
        String dependence = l.batchDependent() ? "depends on the batch: running statistics at inference"
                : "per sample: the same in training and inference";
        double[] mismatch = result.trainEvalMismatch();
        double mean = 0;
        for (double m : mismatch) {
            mean += m / mismatch.length;
        }
        double[] dev = result.relativeDeviation();
        return List.of(
                "input: " + presetText(s),
                "shaded: what shares a statistic with",
                "sample 0, channel " + s.channel(),
                dependence,
                String.format(Locale.ROOT, "train vs eval output: %.3g (rms, relative)", mean),
                l.batchDependent() ? String.format(Locale.ROOT, "batch vs running %s: %.3g", result.statistic(),
                        meanFinite(dev)) : "no running statistics",
                "batches run: " + s.batches() + ", seed " + s.seed());
    }

    static double meanFinite(double[] v) {
        double sum = 0;
        int n = 0;
        for (double x : v) {
            if (Double.isFinite(x)) {
                sum += x;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    // --- histograms --------------------------------------------------------------------------

    /** Narrowest histogram panel: below it the channels are laid out in two columns and more rows. */
    static final double MIN_HISTOGRAM_WIDTH = 130;

    private void paintHistograms(Graphics2D g, Rectangle2D inner) {
        int n = channels.length;
        // a column per channel, input above output; on narrow figures two channels a row
        int cols = inner.getWidth() / n >= MIN_HISTOGRAM_WIDTH ? n : Math.min(n, 2);
        int bands = (n + cols - 1) / cols;
        double w = inner.getWidth() / cols;
        double h = inner.getHeight() / (2 * bands);
        for (int part = 0; part < 2; part++) {
            for (int i = 0; i < n; i++) {
                int col = i % cols;
                int row = (i / cols) * 2 + part;
                Rectangle2D cell = new Rectangle2D.Double(inner.getX() + col * w, inner.getY() + row * h, w - 6, h - 4);
                int[] k = counts[i][part];
                double max = 1;
                for (int v : k) {
                    max = Math.max(max, v);
                }
                double[] r = ranges[i][part];
                DataBounds data = new DataBounds(r[0], r[1], 0, max * 1.08);
                // narrow panels: "out" fits where "output" would be cut
                String title = (part == 0 ? "input" : w < 150 ? "out" : "output") + ", channel " + channels[i];
                PlotFrame frame = NormLayersPlot.panel(g, theme, cell, title, null, col == 0 ? "count" : null, data,
                        Integer.toString((int) max).length() + 1);
                Color colour = part == 0 ? BATCH_COLOUR : USED_COLOUR;
                double binWidth = (r[1] - r[0]) / BINS;
                g.setPaint(colour);
                for (int b = 0; b < BINS; b++) {
                    if (k[b] == 0) {
                        continue;
                    }
                    double x0 = frame.screenX(r[0] + b * binWidth);
                    double x1 = frame.screenX(r[0] + (b + 1) * binWidth);
                    double y0 = frame.screenY(k[b]);
                    g.fill(new Rectangle2D.Double(x0, y0, Math.max(1, x1 - x0 - 0.5), frame.screenY(0) - y0));
                }
            }
        }
    }

    static double[] channelRange(float[] x, NormPlayground.Settings s, int channel) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        int c = s.channels();
        int sp = s.spatial();
        for (int b = 0; b < s.batch(); b++) {
            int base = (b * c + channel) * sp;
            for (int i = 0; i < sp; i++) {
                lo = Math.min(lo, x[base + i]);
                hi = Math.max(hi, x[base + i]);
            }
        }
        if (!(hi > lo)) {
            double mid = Double.isFinite(lo) ? lo : 0;
            return new double[] {mid - 0.5, mid + 0.5};
        }
        return new double[] {lo, hi};
    }

    /** Counts of one channel's values in {@code bins} equal bins over [lo, hi] (hi in the last bin). */
    static int[] histogram(float[] x, NormPlayground.Settings s, int channel, double lo, double hi, int bins) {
        int[] k = new int[bins];
        int c = s.channels();
        int sp = s.spatial();
        for (int b = 0; b < s.batch(); b++) {
            int base = (b * c + channel) * sp;
            for (int i = 0; i < sp; i++) {
                int bin = (int) Math.floor((x[base + i] - lo) / (hi - lo) * bins);
                k[Math.max(0, Math.min(bins - 1, bin))]++;
            }
        }
        return k;
    }

    // --- fluctuation -------------------------------------------------------------------------

    /** The series of the chosen channel: {batch, used, running} over batches. */
    double[][] channelSeries() {
        NormPlayground.Settings s = result.settings();
        int c = s.channels();
        int t = s.batches();
        double[][] out = new double[3][t];
        for (int i = 0; i < t; i++) {
            out[0][i] = result.batchStat()[i * c + s.channel()];
            out[1][i] = result.usedStat()[i * c + s.channel()];
            out[2][i] = result.runningStat()[i * c + s.channel()];
        }
        return out;
    }

    /** The top panel's cell in the figure's inner area, under a legend of {@code legendRoom}. */
    static Rectangle2D topCell(Rectangle2D inner, double legendRoom) {
        return new Rectangle2D.Double(inner.getX(), inner.getY() + legendRoom, inner.getWidth(),
                inner.getHeight() * 0.56 - legendRoom);
    }

    /** The frame of the top panel of the fluctuation view, as painted through {@code g} into {@code area}. */
    PlotFrame fluctuationFrame(Graphics2D g, Rectangle2D area) {
        Rectangle2D inner = new Rectangle2D.Double(area.getX() + 8, area.getY() + 6, area.getWidth() - 16,
                area.getHeight() - 12);
        double[][] series = channelSeries();
        return NormLayersPlot.frame(topCell(inner, legendRoom(g, inner, fluctuationNames())),
                NormLayersPlot.bounds(0, result.batches() - 1, true, series), 7, true, true);
    }

    /** The legend of the fluctuation view. */
    private List<String> fluctuationNames() {
        NormPlayground.Settings s = result.settings();
        return s.layer().batchDependent()
                ? List.of("this batch's " + result.statistic(), "what the layer divides by", "running " + result.statistic())
                : List.of("this batch's " + result.statistic() + " (the layer does not use it)");
    }

    /** The room a legend of {@code names} takes at the top of {@code inner}, on as many rows as it needs. */
    private double legendRoom(Graphics2D g, Rectangle2D inner, List<String> names) {
        int rows = NormLayersPlot.wrappedLegend(g, theme, inner.getX() + 4, 0, names, List.of(), inner.getMaxX(), false);
        return 20 + (Math.max(1, rows) - 1) * NormLayersPlot.LEGEND_ROW;
    }

    private void paintFluctuation(Graphics2D g, Rectangle2D inner) {
        NormPlayground.Settings s = result.settings();
        double[][] series = channelSeries();
        double[] x = NormLayersPlot.indices(s.batches(), 0);
        List<String> names = fluctuationNames();
        NormLayersPlot.wrappedLegend(g, theme, inner.getX() + 4, inner.getY() + 12, names,
                List.of(BATCH_COLOUR, USED_COLOUR, RUNNING_COLOUR), inner.getMaxX(), true);
        Rectangle2D top = topCell(inner, legendRoom(g, inner, names));
        DataBounds data = NormLayersPlot.bounds(0, s.batches() - 1, true, series);
        PlotFrame f = NormLayersPlot.panel(g, theme, top, "Channel " + s.channel() + ": " + result.statistic()
                + " batch after batch (" + s.layer().label() + ", " + s.input().id() + ")", "batch",
                result.statistic(), data, 7);
        NormLayersPlot.line(g, f, x, series[0], BATCH_COLOUR, 1.2f);
        NormLayersPlot.line(g, f, x, series[1], USED_COLOUR, 1.8f);
        NormLayersPlot.line(g, f, x, series[2], RUNNING_COLOUR, 2.2f);
        Rectangle2D bottom = new Rectangle2D.Double(inner.getX(), top.getMaxY() + 8, inner.getWidth(),
                inner.getMaxY() - top.getMaxY() - 8);
        double[] dev = result.relativeDeviation();
        if (!s.layer().batchDependent()) {
            NormLayersPlot.message(g, theme, bottom, s.layer().label() + " normalises each sample by its own statistics:",
                    "no batch statistic, no running statistic, nothing to fluctuate between batches.",
                    "Pick BatchNorm, PowerNorm or Unified Normalization to see the batch-to-batch fluctuation.");
            return;
        }
        DataBounds devData = NormLayersPlot.bounds(0, s.batches() - 1, true, dev);
        PlotFrame fd = NormLayersPlot.panel(g, theme, bottom, NormLayersPlot.title(g, bottom,
                        "All channels: |batch - running| / running, rms over channels (PowerNorm's Figure 1 measure)",
                        "All channels: rms of |batch - running| / running (PowerNorm's Figure 1)",
                        "All channels: rms of |batch - running| / running"), "batch",
                "relative deviation", devData, 6);
        NormLayersPlot.line(g, fd, x, dev, BATCH_COLOUR, 1.6f);
        double mean = meanFinite(dev);
        if (Double.isFinite(mean)) {
            g.setPaint(theme.mutedText());
            g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {4, 4}, 0));
            double y = fd.screenY(mean);
            g.draw(new Line2D.Double(fd.area().getMinX(), y, fd.area().getMaxX(), y));
            g.setStroke(new BasicStroke(1f));
            g.setFont(FigureText.plain(NormLayersPlot.LABEL_SIZE));
            FigureText.drawRight(g, String.format(Locale.ROOT, "mean %.3g", mean), fd.area().getMaxX() - 4, y - 4);
        }
    }

    // --- running vs batch --------------------------------------------------------------------

    /** Per channel, the last batch's statistic and the running one (NaN: none). */
    double[][] lastStatistics() {
        NormPlayground.Settings s = result.settings();
        int c = s.channels();
        int last = s.batches() - 1;
        double[][] out = new double[2][c];
        for (int ch = 0; ch < c; ch++) {
            out[0][ch] = result.batchStat()[last * c + ch];
            out[1][ch] = result.runningStat()[last * c + ch];
        }
        return out;
    }

    private void paintRunning(Graphics2D g, Rectangle2D inner) {
        NormPlayground.Settings s = result.settings();
        int c = s.channels();
        double[][] stats = lastStatistics();
        double[] x = NormLayersPlot.indices(c, 0);
        List<String> names = List.of("last batch's " + result.statistic(), "running " + result.statistic());
        NormLayersPlot.wrappedLegend(g, theme, inner.getX() + 4, inner.getY() + 12, names,
                List.of(BATCH_COLOUR, RUNNING_COLOUR), inner.getMaxX(), true);
        double room = legendRoom(g, inner, names);
        Rectangle2D left;
        Rectangle2D right;
        if (inner.getWidth() < FACTS_BESIDE_WIDTH) {
            // narrow: one panel above the other
            double h = (inner.getHeight() - room) / 2 - 4;
            left = new Rectangle2D.Double(inner.getX(), inner.getY() + room, inner.getWidth(), h);
            right = new Rectangle2D.Double(inner.getX(), left.getMaxY() + 8, inner.getWidth(), h);
        } else {
            left = new Rectangle2D.Double(inner.getX(), inner.getY() + room, inner.getWidth() / 2 - 6, inner.getHeight() - room);
            right = new Rectangle2D.Double(inner.getCenterX() + 6, inner.getY() + room, inner.getWidth() / 2 - 6,
                    inner.getHeight() - room);
        }
        // log10 so that a 40-valued outlier channel and unit channels share one panel
        double[][] logs = new double[2][c];
        for (int i = 0; i < 2; i++) {
            for (int ch = 0; ch < c; ch++) {
                logs[i][ch] = stats[i][ch] > 0 ? Math.log10(stats[i][ch]) : Double.NaN;
            }
        }
        DataBounds data = NormLayersPlot.bounds(-0.5, c - 0.5, false, logs);
        PlotFrame f = NormLayersPlot.panel(g, theme, left, "Per channel: batch vs running " + result.statistic(),
                "channel", "log10 " + result.statistic(), data, 5);
        double radius = Math.max(1.5, Math.min(4, f.area().getWidth() / c / 3));
        for (int ch = 0; ch < c; ch++) {
            dot(g, f, ch, logs[0][ch], BATCH_COLOUR, radius);
        }
        // the running statistic of each channel as a short level mark behind its batch dot
        g.setPaint(RUNNING_COLOUR);
        g.setStroke(new BasicStroke(2.4f));
        double half = Math.max(3, f.unitsPerDataX() * 0.32);
        for (int ch = 0; ch < c; ch++) {
            if (Double.isFinite(logs[1][ch])) {
                double y = f.screenY(logs[1][ch]);
                g.draw(new Line2D.Double(f.screenX(ch) - half, y, f.screenX(ch) + half, y));
            }
        }
        g.setStroke(new BasicStroke(1f));
        double[] mismatch = result.trainEvalMismatch();
        DataBounds mData = NormLayersPlot.bounds(-0.5, c - 0.5, true, mismatch);
        PlotFrame fm = NormLayersPlot.panel(g, theme, right, "Train vs eval output of the last batch",
                "channel", "rms(train - eval) / rms(train)", mData, 6);
        g.setPaint(USED_COLOUR);
        double barWidth = Math.max(1, fm.unitsPerDataX() * 0.7);
        for (int ch = 0; ch < c; ch++) {
            double y = fm.screenY(mismatch[ch]);
            g.fill(new Rectangle2D.Double(fm.screenX(ch) - barWidth / 2, y, barWidth, fm.screenY(0) - y));
        }
        if (!s.layer().batchDependent()) {
            g.setFont(FigureText.plain(NormLayersPlot.LABEL_SIZE + 1));
            g.setPaint(theme.mutedText());
            FigureText.drawCentered(g, FigureText.fitted(g, fm.area().getWidth() - 10,
                    "per-sample statistics: train and eval agree exactly", "train = eval"),
                    fm.area().getCenterX(), fm.area().getCenterY());
        }
    }

    private static void dot(Graphics2D g, PlotFrame f, double x, double y, Color colour, double radius) {
        if (!Double.isFinite(y)) {
            return;
        }
        g.setPaint(colour);
        g.fill(new java.awt.geom.Ellipse2D.Double(f.screenX(x) - radius, f.screenY(y) - radius, 2 * radius, 2 * radius));
    }

    // --- folding -----------------------------------------------------------------------------

    private void paintFolding(Graphics2D g, Rectangle2D inner) {
        NormPlayground.Settings s = result.settings();
        NormPlayground.Folding fold = result.folding();
        if (fold == null) {
            NormLayersPlot.message(g, theme, inner, s.layer().label() + " does not fold into the dense layer before it.",
                    "Folding needs fixed per-channel statistics at inference: BatchNorm's running mean and variance,",
                    "Unified Normalization's running quadratic mean. Pick one of them to compare folded and unfolded.");
            return;
        }
        g.setFont(FigureText.bold(NormLayersPlot.TITLE_SIZE + 1));
        g.setPaint(theme.text());
        FigureText.drawLeft(g, FigureText.fitted(g, inner.getWidth(), s.layer().label()
                + " at inference: dense + norm against the dense layer with the norm folded in", "Folded vs unfolded"),
                inner.getX() + 4, inner.getY() + 18);
        // wide: the facts beside the chart; narrow: the facts above it, wrapped
        boolean narrow = inner.getWidth() < FACTS_BESIDE_WIDTH;
        g.setFont(FigureText.plain(NormLayersPlot.LABEL_SIZE + (narrow ? 1 : 2)));
        double y = inner.getY() + 48;
        double factsWidth = narrow ? inner.getWidth() - 16 : inner.getWidth() * 0.45;
        for (String line : foldingLines()) {
            List<String> lines = FigureText.wrapped(g, factsWidth, line.strip());
            for (int i = 0; i < lines.size(); i++) {
                FigureText.drawLeft(g, lines.get(i), inner.getX() + 8 + (i == 0 ? 0 : 10), y);
                y += narrow ? 16 : 22;
            }
        }
        Rectangle2D chart = narrow
                ? new Rectangle2D.Double(inner.getX(), y, inner.getWidth(), Math.max(60, inner.getMaxY() - y))
                : new Rectangle2D.Double(inner.getX() + inner.getWidth() * 0.48, inner.getY() + 30,
                        inner.getWidth() * 0.52, inner.getHeight() - 30);
        double max = Math.max(fold.unfoldedMillis(), fold.foldedMillis());
        DataBounds data = new DataBounds(-0.5, 1.5, 0, max * 1.15);
        PlotFrame f = NormLayersPlot.panel(g, theme, chart, "Median time of one batch (" + NormPlayground.TIMING_REPEATS
                + " runs)", null, "milliseconds", data, 6, false);
        g.setFont(FigureText.plain(NormLayersPlot.LABEL_SIZE + 1));
        g.setPaint(theme.text());
        double labelY = f.area().getMaxY() + 16;
        FigureText.drawCentered(g, "dense + norm", f.screenX(0), labelY);
        FigureText.drawCentered(g, "folded dense", f.screenX(1), labelY);
        double w = f.unitsPerDataX() * 0.5;
        double[] times = {fold.unfoldedMillis(), fold.foldedMillis()};
        Color[] colours = {RUNNING_COLOUR, USED_COLOUR};
        for (int i = 0; i < 2; i++) {
            double top = f.screenY(times[i]);
            g.setPaint(colours[i]);
            g.fill(new Rectangle2D.Double(f.screenX(i) - w / 2, top, w, f.screenY(0) - top));
        }
    }

    List<String> foldingLines() {
        NormPlayground.Folding fold = result.folding();
        double relative = fold.maxAbsDifference() / Math.max(1, fold.maxAbsOutput());
        return List.of(
                String.format(Locale.ROOT, "largest |folded - unfolded|: %.2e", fold.maxAbsDifference()),
                String.format(Locale.ROOT, "largest |output|: %.3g", fold.maxAbsOutput()),
                relative <= 1e-5 ? "equal to 1e-5: yes" : String.format(Locale.ROOT, "equal to 1e-5: NO (%.2e)", relative),
                String.format(Locale.ROOT, "dense + norm: %.3f ms", fold.unfoldedMillis()),
                String.format(Locale.ROOT, "folded dense: %.3f ms", fold.foldedMillis()),
                String.format(Locale.ROOT, "folded saves %.0f%% of the time",
                        100 * (1 - fold.foldedMillis() / fold.unfoldedMillis())),
                "(the paper reports about 31% faster inference for a whole Transformer with UN folded)");
    }
}
