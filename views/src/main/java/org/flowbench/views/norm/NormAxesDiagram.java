package org.flowbench.views.norm;

import org.flowbench.compute.norm.playground.PlaygroundLayer;
import org.flowbench.views.figure.FigureText;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.figure.Palette;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;

/**
 * The GroupNorm paper's picture of a normalization layer: the input as a box with the batch N in
 * depth, the channels C upright and the positions H*W across, and the values that share one
 * statistic with a chosen value (sample 0, the chosen channel) shaded. Layers with two parts
 * (EvoNorm-B0, Batch-Channel Norm) shade the second part in a second colour; Weight
 * Standardization shades one row of the weight matrix instead.
 */
final class NormAxesDiagram {

    /** Cells drawn along each axis at most. */
    static final int MAX_CELLS = 8;
    static final int HW_CELLS = 6;
    static final double LEGEND_ROOM = 64;

    private final PlaygroundLayer layer;
    private final int batch;
    private final int channels;
    private final int spatial;
    private final int groups;
    private final int channel;

    NormAxesDiagram(PlaygroundLayer layer, int batch, int channels, int spatial, int groups, int channel) {
        this.layer = layer;
        this.batch = batch;
        this.channels = channels;
        this.spatial = spatial;
        this.groups = groups;
        this.channel = channel;
    }

    int shownBatch() {
        return Math.min(batch, 6);
    }

    int shownChannels() {
        return Math.min(channels, MAX_CELLS);
    }

    int shownSpatial() {
        return spatial == 1 ? 1 : HW_CELLS;
    }

    /** The shown row of the chosen channel. */
    int shownChannel() {
        return channel * shownChannels() / channels;
    }

    /** The shown rows of the chosen channel's group: {first, last}. */
    int[] shownGroup(int groupCount) {
        int c = shownChannels();
        int perGroup = Math.max(1, c / Math.min(groupCount, c));
        int first = shownChannel() / perGroup * perGroup;
        return new int[] {first, Math.min(c - 1, first + perGroup - 1)};
    }

    /**
     * Which part of the layer's statistic the cell (sample n, shown channel c) belongs to: 0 none,
     * 1 the first part (the batch statistic of the two-part layers), 2 the second part, 3 both.
     */
    int member(int n, int c) {
        int k = shownChannel();
        int[] group = shownGroup(groups);
        boolean batchChannel = c == k;
        boolean sample = n == 0;
        return switch (layer) {
            case BATCHNORM, POWERNORM, UNIFIED -> batchChannel ? 1 : 0;
            case LAYERNORM, RMSNORM -> sample ? 1 : 0;
            case GROUPNORM, EVONORM_S0 -> sample && c >= group[0] && c <= group[1] ? 1 : 0;
            case EVONORM_B0 -> (batchChannel ? 1 : 0) | (batchChannel && sample ? 2 : 0);
            case BATCH_CHANNEL -> (batchChannel ? 1 : 0) | (sample && c >= group[0] && c <= group[1] ? 2 : 0);
            case WEIGHT_STANDARDIZATION -> 0;
        };
    }

    /** Names of the shaded parts, first and second. */
    String[] partNames() {
        return switch (layer) {
            case BATCHNORM -> new String[] {"mean and variance over N, H, W of one channel", null};
            case POWERNORM -> new String[] {"quadratic mean over N, H, W, averaged over batches", null};
            case UNIFIED -> new String[] {"quadratic mean over N, H, W, geometric mean over 4 batches", null};
            case LAYERNORM -> new String[] {"mean and variance over C, H, W of one sample", null};
            case RMSNORM -> new String[] {"mean square over C, H, W of one sample", null};
            case GROUPNORM -> new String[] {"mean and variance over a group of C, and H, W", null};
            case EVONORM_S0 -> new String[] {"variance over a group of C, and H, W", null};
            case EVONORM_B0 -> new String[] {"batch variance over N, H, W", "instance variance over H, W"};
            case BATCH_CHANNEL -> new String[] {"estimated (running) batch statistics", "then a group of C, and H, W"};
            case WEIGHT_STANDARDIZATION -> new String[] {"one output row of W over its inputs", null};
        };
    }

    void paint(Graphics2D g, FigureTheme theme, Rectangle2D area) {
        Color first = Palette.series(1);
        Color second = Palette.series(0);
        double textRoom = LEGEND_ROOM;
        Rectangle2D box = diagramBox(area);
        if (layer == PlaygroundLayer.WEIGHT_STANDARDIZATION) {
            paintMatrix(g, theme, box, first);
        } else {
            paintCube(g, theme, box, first, second);
        }
        String[] parts = partNames();
        g.setFont(FigureText.plain(NormLayersPlot.LABEL_SIZE + 1));
        double y = area.getMaxY() - textRoom + 20;
        double x = area.getX() + 10;
        g.setPaint(first);
        g.fill(new Rectangle2D.Double(x, y - 10, 12, 12));
        g.setPaint(theme.text());
        double textWidth = area.getWidth() - 40;
        // one part: its name may take two lines on a narrow figure; two parts: a line each
        java.util.List<String> firstLines = FigureText.wrapped(g, textWidth, parts[0]);
        int firstRows = parts[1] == null ? Math.min(2, firstLines.size()) : 1;
        for (int i = 0; i < firstRows; i++) {
            String line = i == firstRows - 1 && firstLines.size() > firstRows
                    ? FigureText.fitted(g, textWidth, String.join(" ", firstLines.subList(i, firstLines.size()))) : firstLines.get(i);
            FigureText.drawLeft(g, line, x + 18, y + 17 * i);
        }
        if (parts[1] != null) {
            y += 18;
            g.setPaint(second);
            g.fill(new Rectangle2D.Double(x, y - 10, 12, 12));
            g.setPaint(theme.text());
            String secondText = FigureText.fitted(g, textWidth, parts[1]);
            FigureText.drawLeft(g, secondText, x + 18, y);
            double bothX = x + 18 + FigureText.width(g, g.getFont(), secondText) + 24;
            if (bothX + 18 + FigureText.width(g, g.getFont(), "both") > area.getMaxX()) {
                // no room after the second part's name: "both" goes on a line of its own
                bothX = x;
                y += 18;
            }
            g.setPaint(new Color(Palette.mix(first.getRGB() & 0xFFFFFF, second.getRGB() & 0xFFFFFF, 0.5)));
            g.fill(new Rectangle2D.Double(bothX, y - 10, 12, 12));
            g.setPaint(theme.text());
            FigureText.drawLeft(g, "both", bothX + 18, y);
        }
    }

    /** Where the cube lies in {@code box}: front-face origin (top left), cell size and depth step. */
    record CubeGeometry(double x0, double y0, double cell, double depth) {
    }

    /** The diagram's own area inside the area {@link #paint} is given (the legend takes the bottom). */
    static Rectangle2D diagramBox(Rectangle2D area) {
        return new Rectangle2D.Double(area.getX(), area.getY(), area.getWidth(), area.getHeight() - LEGEND_ROOM);
    }

    CubeGeometry geometry(Rectangle2D box) {
        int nN = shownBatch();
        int nC = shownChannels();
        int nS = shownSpatial();
        // front face nS x nC cells; depth nN cells at 45 degrees, a little over half a cell each
        double depthFactor = 0.55;
        double cellByWidth = (box.getWidth() - 120) / (nS + nN * depthFactor);
        double cellByHeight = (box.getHeight() - 70) / (nC + nN * depthFactor);
        double cell = Math.max(4, Math.min(46, Math.min(cellByWidth, cellByHeight)));
        double d = cell * depthFactor;
        double width = nS * cell + nN * d;
        double height = nC * cell + nN * d;
        double x0 = box.getX() + (box.getWidth() - width) / 2;
        double y0 = box.getY() + (box.getHeight() - height) / 2 + nN * d;
        return new CubeGeometry(x0, y0, cell, d);
    }

    /** The front-face cell of shown channel c and position column s (sample 0). */
    Rectangle2D frontCell(Rectangle2D box, int c, int s) {
        CubeGeometry geo = geometry(box);
        return new Rectangle2D.Double(geo.x0() + s * geo.cell(), geo.y0() + c * geo.cell(), geo.cell(), geo.cell());
    }

    private void paintCube(Graphics2D g, FigureTheme theme, Rectangle2D box, Color first, Color second) {
        int nN = shownBatch();
        int nC = shownChannels();
        int nS = shownSpatial();
        CubeGeometry geo = geometry(box);
        double cell = geo.cell();
        double d = geo.depth();
        double x0 = geo.x0();
        double y0 = geo.y0();
        g.setStroke(new BasicStroke(1f));
        // right face (last position column, every sample), drawn back to front
        for (int n = nN - 1; n >= 0; n--) {
            for (int c = 0; c < nC; c++) {
                double bx = x0 + nS * cell + n * d;
                double by = y0 + c * cell - n * d;
                Path2D.Double p = new Path2D.Double();
                p.moveTo(bx, by);
                p.lineTo(bx + d, by - d);
                p.lineTo(bx + d, by - d + cell);
                p.lineTo(bx, by + cell);
                p.closePath();
                fillCell(g, theme, p, member(n, c), first, second, 0.25);
            }
        }
        // top face (first channel row, every sample)
        for (int n = nN - 1; n >= 0; n--) {
            for (int s = 0; s < nS; s++) {
                double bx = x0 + s * cell + n * d;
                double by = y0 - n * d;
                Path2D.Double p = new Path2D.Double();
                p.moveTo(bx, by);
                p.lineTo(bx + cell, by);
                p.lineTo(bx + cell + d, by - d);
                p.lineTo(bx + d, by - d);
                p.closePath();
                fillCell(g, theme, p, member(n, 0), first, second, 0.12);
            }
        }
        // front face: sample 0
        for (int c = 0; c < nC; c++) {
            for (int s = 0; s < nS; s++) {
                Rectangle2D r = new Rectangle2D.Double(x0 + s * cell, y0 + c * cell, cell, cell);
                fillCell(g, theme, r, member(0, c), first, second, 0);
            }
        }
        g.setFont(FigureText.plain(NormLayersPlot.LABEL_SIZE + 1));
        g.setPaint(theme.text());
        String hw = spatial == 1 ? "L = 1 (one token)" : "H, W (" + spatial + " positions)";
        FigureText.drawCentered(g, hw, x0 + nS * cell / 2, y0 + nC * cell + 18);
        String c = "C = " + channels + (groups > 1 && usesGroups() ? " (" + groups + " groups)" : "");
        java.awt.geom.AffineTransform saved = g.getTransform();
        g.translate(x0 - 10, y0 + nC * cell / 2);
        g.rotate(-Math.PI / 2);
        FigureText.drawCentered(g, c, 0, 0);
        g.setTransform(saved);
        // the depth label left of the top face's left edge, outside the box
        FigureText.drawRight(g, "N = " + batch, x0 + nN * d * 0.5 - 8, y0 - nN * d * 0.5 + 4);
    }

    private boolean usesGroups() {
        return layer == PlaygroundLayer.GROUPNORM || layer == PlaygroundLayer.EVONORM_S0
                || layer == PlaygroundLayer.BATCH_CHANNEL;
    }

    private void paintMatrix(Graphics2D g, FigureTheme theme, Rectangle2D box, Color first) {
        int n = shownChannels();
        double cell = Math.max(4, Math.min(40, Math.min((box.getWidth() - 120) / n, (box.getHeight() - 70) / n)));
        double x0 = box.getX() + (box.getWidth() - n * cell) / 2;
        double y0 = box.getY() + (box.getHeight() - n * cell) / 2;
        int row = shownChannel();
        for (int o = 0; o < n; o++) {
            for (int i = 0; i < n; i++) {
                Rectangle2D r = new Rectangle2D.Double(x0 + i * cell, y0 + o * cell, cell, cell);
                fillCell(g, theme, r, o == row ? 1 : 0, first, first, 0);
            }
        }
        g.setFont(FigureText.plain(NormLayersPlot.LABEL_SIZE + 1));
        g.setPaint(theme.text());
        FigureText.drawCentered(g, "inputs (fan-in " + channels + ")", x0 + n * cell / 2, y0 + n * cell + 18);
        java.awt.geom.AffineTransform saved = g.getTransform();
        g.translate(x0 - 10, y0 + n * cell / 2);
        g.rotate(-Math.PI / 2);
        FigureText.drawCentered(g, "outputs W [" + channels + " x " + channels + "]", 0, 0);
        g.setTransform(saved);
    }

    private static void fillCell(Graphics2D g, FigureTheme theme, java.awt.Shape shape, int member, Color first,
                                 Color second, double shade) {
        Color fill = switch (member) {
            case 1 -> first;
            case 2 -> second;
            case 3 -> new Color(Palette.mix(first.getRGB() & 0xFFFFFF, second.getRGB() & 0xFFFFFF, 0.5));
            default -> theme.panel();
        };
        if (member != 0 && shade > 0) {
            fill = blend(fill, Color.BLACK, shade);
        }
        g.setPaint(fill);
        g.fill(shape);
        g.setPaint(theme.axis());
        g.draw(shape);
    }

    private static Color blend(Color a, Color b, double f) {
        return new Color(Palette.mix(a.getRGB() & 0xFFFFFF, b.getRGB() & 0xFFFFFF, Math.min(1, f)));
    }
}
