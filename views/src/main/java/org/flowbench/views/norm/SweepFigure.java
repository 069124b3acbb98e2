package org.flowbench.views.norm;

import org.flowbench.compute.lm.LmSweep;
import org.flowbench.compute.lm.Placement;
import org.flowbench.views.figure.Figure;
import org.flowbench.views.figure.FigureText;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.figure.Palette;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A sweep as a grid: one row per placement and warm-up setting, one column per learning rate,
 * each cell split into one square per seed coloured by the run's final loss (viridis on a log
 * scale, low dark);
 * a diverged run is grey with a cross and the step where it diverged. A colour bar gives the
 * scale. Immutable; {@link #runAt} finds the run under a point, for clicks.
 */
public final class SweepFigure implements Figure {

    public static final int PREFERRED_WIDTH = 900;
    public static final int PREFERRED_HEIGHT = 560;
    private static final double ROW_LABEL = 150;
    private static final double TOP = 40;
    private static final double BAR = 54;
    private static final int DIVERGED_RGB = 0x9A9A9A;
    /** Final losses above this many nats take the top colour (they are far above chance: the run blew up). */
    static final double COLOUR_CAP = 10;

    private final LmSweep.Sweep sweep;
    private final LmSweep.Outcome selected;
    private final FigureTheme theme;
    private final List<Placement> placements;
    private final List<Float> rates;
    private final List<Boolean> warmups;
    private final List<Long> seeds;
    private final double lo;
    private final double hi;

    /** @param selected the run drawn with a frame (the one open in Depth), or null */
    public SweepFigure(LmSweep.Sweep sweep, LmSweep.Outcome selected, FigureTheme theme) {
        this.sweep = sweep;
        this.selected = selected;
        this.theme = theme;
        TreeSet<Placement> p = new TreeSet<>();
        TreeSet<Float> r = new TreeSet<>();
        TreeSet<Boolean> w = new TreeSet<>(java.util.Comparator.reverseOrder());
        TreeSet<Long> s = new TreeSet<>();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (LmSweep.Outcome o : sweep.outcomes()) {
            p.add(o.cell().placement());
            r.add(o.cell().lr());
            w.add(o.cell().warmup());
            s.add(o.cell().seed());
            if (!o.diverged()) {
                min = Math.min(min, o.finalLoss());
                max = Math.max(max, o.finalLoss());
            }
        }
        placements = List.copyOf(p);
        rates = List.copyOf(r);
        warmups = List.copyOf(w);
        seeds = List.copyOf(s);
        lo = Double.isFinite(min) ? min : 0;
        // a run without norms can end at 1e6 nats; past the cap every loss takes the top colour
        double top = Math.min(max, COLOUR_CAP);
        hi = Double.isFinite(max) && top > lo ? top : lo + 1;
    }

    public LmSweep.Sweep sweep() {
        return sweep;
    }

    @Override
    public String title() {
        return "Sweep: final loss by placement, learning rate and warm-up (" + sweep.outcomes().size() + " runs)";
    }

    /** The loss range of the colour scale, {lo, hi}. */
    public double[] lossRange() {
        return new double[] {lo, hi};
    }

    /**
     * The viridis colour of a final loss on a log scale from the lowest loss of the sweep to its
     * highest or {@value #COLOUR_CAP} nats, whichever is less (losses span decades: a solved task
     * ends near 1e-3, a run without norms can end at 1e6), 0xRRGGBB; grey for a diverged run.
     */
    public int colourOf(LmSweep.Outcome o) {
        return o.diverged() ? DIVERGED_RGB : Palette.heat(scaled(o.finalLoss()));
    }

    /** Where a loss lies on the colour scale, 0 (lowest) to 1 (highest), log-spaced. */
    double scaled(double loss) {
        double a = Math.log(Math.max(lo, 1e-12));
        double b = Math.log(Math.max(hi, 1e-12));
        return b > a ? Math.min(1, (Math.log(Math.max(loss, 1e-12)) - a) / (b - a)) : 0.5;
    }

    private Rectangle2D grid(Rectangle2D area) {
        return new Rectangle2D.Double(area.getX() + ROW_LABEL, area.getY() + TOP,
                Math.max(1, area.getWidth() - ROW_LABEL - 12), Math.max(1, area.getHeight() - TOP - BAR));
    }

    /** The square of one run inside {@code area}. */
    public Rectangle2D square(Rectangle2D area, LmSweep.Cell cell) {
        Rectangle2D g = grid(area);
        int rows = placements.size() * warmups.size();
        double cw = g.getWidth() / rates.size();
        double rh = g.getHeight() / rows;
        int row = placements.indexOf(cell.placement()) * warmups.size() + warmups.indexOf(cell.warmup());
        int col = rates.indexOf(cell.lr());
        int k = seeds.indexOf(cell.seed());
        double pad = 4;
        double sw = (cw - 2 * pad) / seeds.size();
        double gap = seeds.size() > 1 ? Math.min(3, sw * 0.1) : 0;
        return new Rectangle2D.Double(g.getX() + col * cw + pad + k * sw, g.getY() + row * rh + pad, sw - gap,
                rh - 2 * pad);
    }

    /** The run whose square holds the point, if any. */
    public Optional<LmSweep.Outcome> runAt(Rectangle2D area, double x, double y) {
        for (LmSweep.Outcome o : sweep.outcomes()) {
            if (square(area, o.cell()).contains(x, y)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    @Override
    public void paint(Graphics2D g, Rectangle2D area) {
        g.setPaint(theme.background());
        g.fill(area);
        LmSweep.Settings s = sweep.settings();
        NormPlots.header(g, theme, new Rectangle2D.Double(area.getX() + 8, area.getY() + 4, area.getWidth() - 16, 16),
                String.format(Locale.ROOT, "Final loss after %d steps, %s, width %d, %d layers (squares: seeds %s)",
                        s.steps(), s.data().describe(), s.model().width(), s.model().layers(), seeds),
                String.format(Locale.ROOT, "Final loss after %d steps", s.steps()), "Final loss");
        Rectangle2D grid = grid(area);
        Font saved = g.getFont();
        g.setFont(FigureText.plain(NormPlots.LABEL_FONT));
        double cw = grid.getWidth() / rates.size();
        g.setPaint(theme.text());
        for (int c = 0; c < rates.size(); c++) {
            FigureText.drawCentered(g, "lr " + rates.get(c), grid.getX() + (c + 0.5) * cw, grid.getY() - 6);
        }
        int rows = placements.size() * warmups.size();
        double rh = grid.getHeight() / rows;
        for (int p = 0; p < placements.size(); p++) {
            for (int w = 0; w < warmups.size(); w++) {
                int row = p * warmups.size() + w;
                String label = name(placements.get(p)) + (warmups.get(w) ? ", warm-up" : ", no warm-up");
                g.setPaint(theme.text());
                FigureText.drawRight(g, FigureText.fitted(g, ROW_LABEL - 10, label,
                        placements.get(p).label() + (warmups.get(w) ? " +wu" : " -wu")), grid.getX() - 6,
                        FigureText.baselineForCenter(g, grid.getY() + (row + 0.5) * rh));
            }
        }
        for (LmSweep.Outcome o : sweep.outcomes()) {
            Rectangle2D sq = square(area, o.cell());
            g.setPaint(new Color(colourOf(o)));
            g.fill(sq);
            boolean dark = o.diverged() || scaled(o.finalLoss()) < 0.55;
            g.setPaint(dark ? Color.WHITE : Color.BLACK);
            if (o.diverged()) {
                g.setStroke(new BasicStroke(1.6f));
                g.setPaint(new Color(Palette.VERMILLION));
                double m = Math.min(sq.getWidth(), sq.getHeight()) * 0.25;
                g.draw(new Line2D.Double(sq.getCenterX() - m, sq.getCenterY() - m, sq.getCenterX() + m, sq.getCenterY() + m));
                g.draw(new Line2D.Double(sq.getCenterX() - m, sq.getCenterY() + m, sq.getCenterX() + m, sq.getCenterY() - m));
                g.setPaint(Color.BLACK);
                String text = FigureText.fitted(g, sq.getWidth() - 6, "step " + o.divergedStep(), "" + o.divergedStep(), "");
                FigureText.drawCentered(g, text, sq.getCenterX(), sq.getMaxY() - 4);
            } else {
                String text = FigureText.fitted(g, sq.getWidth() - 6, String.format(Locale.ROOT, "%.3g", o.finalLoss()),
                        String.format(Locale.ROOT, "%.2g", o.finalLoss()),
                        String.format(Locale.ROOT, "%.0e", o.finalLoss()).replace("e+0", "e").replace("e+", "e")
                                .replace("e-0", "e-"), "");
                FigureText.drawCentered(g, text, sq.getCenterX(), FigureText.baselineForCenter(g, sq.getCenterY()));
            }
            if (selected != null && selected.cell().equals(o.cell())) {
                g.setStroke(new BasicStroke(2.5f));
                g.setPaint(Palette.accent(theme));
                g.draw(new Rectangle2D.Double(sq.getX() + 1, sq.getY() + 1, sq.getWidth() - 2, sq.getHeight() - 2));
            }
        }
        g.setStroke(new BasicStroke(1f));
        paintColourBar(g, area, grid);
        g.setFont(saved);
    }

    private void paintColourBar(Graphics2D g, Rectangle2D area, Rectangle2D grid) {
        double y = grid.getMaxY() + 14;
        double w = Math.min(320, grid.getWidth() * 0.6);
        double x = grid.getX();
        int n = 64;
        for (int i = 0; i < n; i++) {
            g.setPaint(new Color(Palette.heat(i / (n - 1.0))));
            g.fill(new Rectangle2D.Double(x + w * i / n, y, w / n + 0.6, 10));
        }
        g.setPaint(theme.text());
        FigureText.drawLeft(g, String.format(Locale.ROOT, "%.3g", lo), x, y + 24);
        FigureText.drawRight(g, String.format(Locale.ROOT, hi >= COLOUR_CAP ? "\u2265 %.3g nats (log scale)"
                : "%.3g nats (log scale)", hi), x + w, y + 24);
        g.setPaint(new Color(DIVERGED_RGB));
        g.fill(new Rectangle2D.Double(x + w + 20, y, 10, 10));
        g.setPaint(theme.text());
        FigureText.drawLeft(g, FigureText.fitted(g, Math.max(10, area.getMaxX() - (x + w + 36) - 8),
                "diverged (loss or gradient not finite)", "diverged"), x + w + 36, y + 9);
    }

    static String name(Placement p) {
        return switch (p) {
            case NONE -> "No norm";
            case POST -> "Post-LN";
            case PRE -> "Pre-LN";
            case PERI -> "Peri-LN";
            case PRE_SCALED -> "Pre-LN + scaling";
        };
    }

    /** The runs of the sweep as CSV rows (the sweep file's own format). */
    public String csv() {
        return LmSweep.format(sweep);
    }

    /** Every run's outcome in grid order, for tests. */
    List<LmSweep.Outcome> outcomes() {
        return new ArrayList<>(sweep.outcomes());
    }
}
