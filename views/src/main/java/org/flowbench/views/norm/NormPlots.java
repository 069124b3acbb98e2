package org.flowbench.views.norm;

import org.flowbench.views.figure.ColourBar;
import org.flowbench.views.figure.DataBounds;
import org.flowbench.views.figure.FigureText;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.figure.Palette;
import org.flowbench.views.figure.PlotFrame;

import java.awt.BasicStroke;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;

/** Drawing pieces the lab's figures share: panel headers, log-scaled y axes and heatmap images. */
final class NormPlots {

    static final double HEADER_FONT = 11.5;
    static final double LABEL_FONT = 10.5;

    private NormPlots() {
    }

    /** {@code r} shrunk by the given margins (never below one unit). */
    static Rectangle2D inset(Rectangle2D r, double left, double top, double right, double bottom) {
        return new Rectangle2D.Double(r.getX() + left, r.getY() + top, Math.max(1, r.getWidth() - left - right),
                Math.max(1, r.getHeight() - top - bottom));
    }

    /** The first of {@code choices} that fits, in bold, at the top left of {@code cell}. */
    static void header(Graphics2D g, FigureTheme theme, Rectangle2D cell, String... choices) {
        Font saved = g.getFont();
        g.setFont(FigureText.bold(HEADER_FONT));
        g.setPaint(theme.text());
        String text = FigureText.fitted(g, cell.getWidth() - 4, choices);
        FigureText.drawLeft(g, text, cell.getX() + 2, cell.getY() + FigureText.ascent(g) + 1);
        g.setFont(saved);
    }

    /** A line of muted text centred in {@code area} (an empty panel says why it is empty). */
    static void note(Graphics2D g, FigureTheme theme, Rectangle2D area, String... choices) {
        Font saved = g.getFont();
        g.setFont(FigureText.plain(LABEL_FONT));
        g.setPaint(theme.mutedText());
        String text = FigureText.fitted(g, area.getWidth() - 8, choices);
        FigureText.drawCentered(g, text, area.getCenterX(), FigureText.baselineForCenter(g, area.getCenterY()));
        g.setFont(saved);
    }

    /** "10" with the exponent as superscript digits (a minus sign for negative powers). */
    static String decade(int power) {
        return ColourBar.decade(power);
    }

    /**
     * A frame whose y axis is log10 of the data, {@code [logLo, logHi]} whole decades, with the
     * panel, the grid at every decade and the axes drawn; y labels are powers of ten.
     */
    static PlotFrame logFrame(Graphics2D g, FigureTheme theme, Rectangle2D plot, double xMin, double xMax, int logLo,
                              int logHi, boolean yLabels) {
        PlotFrame frame = PlotFrame.stretched(plot, new DataBounds(xMin, xMax, logLo, logHi));
        frame.paintPanel(g, theme);
        g.setStroke(new BasicStroke(1f));
        g.setPaint(theme.grid());
        int every = Math.max(1, (int) Math.ceil((logHi - logLo) / Math.max(1.0, plot.getHeight() / 22)));
        for (int k = logLo; k <= logHi; k += every) {
            double y = frame.screenY(k);
            g.draw(new Line2D.Double(plot.getMinX(), y, plot.getMaxX(), y));
        }
        frame.paintAxes(g, theme, true, false);
        if (yLabels) {
            Font saved = g.getFont();
            g.setFont(FigureText.plain(LABEL_FONT));
            g.setPaint(theme.text());
            for (int k = logLo; k <= logHi; k += every) {
                FigureText.drawRight(g, decade(k), plot.getMinX() - 6, FigureText.baselineForCenter(g, frame.screenY(k)));
            }
            g.setFont(saved);
        }
        return frame;
    }

    /** Decades [floor(log10 lo), ceil(log10 hi)], at least one decade wide. */
    static int[] decades(double lo, double hi) {
        if (!(lo > 0) || !(hi > 0) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
            return new int[] {-1, 1};
        }
        int a = (int) Math.floor(Math.log10(lo));
        int b = (int) Math.ceil(Math.log10(hi));
        if (b <= a) {
            b = a + 1;
        }
        return new int[] {a, b};
    }

    /**
     * Draws {@code image} stretched over {@code area}, each pixel a sharp block: the image is
     * scaled here by nearest neighbour to the target's size and drawn one to one, because the
     * JavaFX canvas smooths scaled images whatever the interpolation hint says.
     */
    static void drawBlocks(Graphics2D g, BufferedImage image, Rectangle2D area) {
        int x0 = (int) Math.round(area.getX());
        int y0 = (int) Math.round(area.getY());
        int w = Math.max(1, (int) Math.round(area.getMaxX()) - x0);
        int h = Math.max(1, (int) Math.round(area.getMaxY()) - y0);
        double scale = Math.abs(g.getTransform().getScaleX());
        // on pixels (screen, PNG) at the device's resolution; vector outputs get the image as it is
        int pw = Math.max(1, (int) Math.round(w * Math.max(1, scale)));
        int ph = Math.max(1, (int) Math.round(h * Math.max(1, Math.abs(g.getTransform().getScaleY()))));
        boolean vector = g instanceof org.jfree.svg.SVGGraphics2D || g.getClass().getName().contains("Pdf");
        if (vector || pw > 4096 || ph > 4096) {
            Object saved = g.getRenderingHint(RenderingHints.KEY_INTERPOLATION);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.drawImage(image, x0, y0, w, h, null);
            if (saved != null) {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, saved);
            }
            return;
        }
        int iw = image.getWidth();
        int ih = image.getHeight();
        int[] src = image.getRGB(0, 0, iw, ih, null, 0, iw);
        int[] dst = new int[pw * ph];
        int[] column = new int[pw];
        for (int x = 0; x < pw; x++) {
            column[x] = Math.min(iw - 1, (int) ((long) x * iw / pw));
        }
        for (int y = 0; y < ph; y++) {
            int row = Math.min(ih - 1, (int) ((long) y * ih / ph)) * iw;
            int o = y * pw;
            for (int x = 0; x < pw; x++) {
                dst[o + x] = src[row + column[x]];
            }
        }
        BufferedImage scaled = new BufferedImage(pw, ph, BufferedImage.TYPE_INT_ARGB);
        scaled.setRGB(0, 0, pw, ph, dst, 0, pw);
        g.drawImage(scaled, new java.awt.geom.AffineTransform(w / (double) pw, 0, 0, h / (double) ph, x0, y0), null);
    }

    /**
     * A heatmap image, {@code cols x rows}, of {@code value(col, row)} coloured by viridis over
     * {@code [lo, hi]}; row 0 is drawn at the bottom. Values that are not finite are left grey.
     */
    static BufferedImage heatmap(int cols, int rows, double lo, double hi, CellValue value) {
        BufferedImage image = new BufferedImage(Math.max(1, cols), Math.max(1, rows), BufferedImage.TYPE_INT_RGB);
        double span = hi > lo ? hi - lo : 1;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double v = value.at(c, r);
                int rgb = Double.isFinite(v) ? Palette.heat((v - lo) / span) : 0x9A9A9A;
                image.setRGB(c, rows - 1 - r, rgb);
            }
        }
        return image;
    }

    /** One heatmap cell's value. */
    @FunctionalInterface
    interface CellValue {
        double at(int col, int row);
    }
}
