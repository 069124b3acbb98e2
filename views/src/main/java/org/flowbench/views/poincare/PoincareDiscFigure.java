package org.flowbench.views.poincare;

import org.flowbench.views.figure.Figure;
import org.flowbench.views.figure.FigureText;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.figure.Palette;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Arc2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Poincaré disc: the hierarchy's nodes coloured and sized by depth, its tree edges drawn as
 * geodesics (arcs of circles orthogonal to the rim, straight through the centre), labels placed
 * most important first where they overlap nothing already placed, the selected node's ancestors
 * and descendants highlighted, a geodesic ruler, and optionally a tiling of cells of equal
 * hyperbolic area. Everything is drawn after the view's Möbius re-centring. Immutable.
 */
public final class PoincareDiscFigure implements Figure {

    public static final int PREFERRED_WIDTH = 900;
    public static final int PREFERRED_HEIGHT = 820;
    static final double HEADER = 46;
    static final double FOOTER = 22;
    static final double MARGIN = 10;
    /** Labels are tried for nodes inside this radius of the disc; beyond it the rim is too crowded to read. */
    static final double LABEL_RADIUS = 0.97;
    private static final double LABEL_FONT = 11;
    /** The tiling's first ring ends at this hyperbolic radius (curvature -1); it holds six cells. */
    static final double TILE_FIRST_RADIUS = 0.8;
    static final int TILE_FIRST_CELLS = 6;
    /** Rings drawn at most after a re-centring; the tenth ring's cells are already 3,072 specks near the rim. */
    static final int TILE_RINGS = 10;
    /** Rings drawn at most about the origin, where rings thinner than a pixel end the drawing first. */
    static final int TILE_RINGS_CENTRED = 12;
    /** A moved tiling cell smaller than this on screen is drawn by its four corners. */
    private static final double SAMPLED_CELL_PIXELS = 6;

    /** What to draw besides the nodes. */
    public record Options(boolean edges, boolean labels, int maxLabels, boolean tiling) {
        public static Options defaults() {
            return new Options(true, true, 40, false);
        }
    }

    /** A label as placed: the node, its text and the box it takes on the canvas. */
    public record PlacedLabel(int node, String text, Rectangle2D box) {
    }

    /** Where the disc lies on the canvas. */
    public record Geometry(double cx, double cy, double radius) {
        public double screenX(double x) {
            return cx + radius * x;
        }

        public double screenY(double y) {
            return cy - radius * y;
        }
    }

    private final DiscScene scene;
    private final DiscView view;
    private final Options options;
    private final int selected;
    private final double[] ruler; // [4] two points in disc coordinates, or null
    private final FigureTheme theme;
    private final String title;
    private final double[] shown; // [n*2] points after the view
    private final boolean[] lineage;

    public PoincareDiscFigure(DiscScene scene, DiscView view, Options options, int selected, double[] ruler,
                              String title, FigureTheme theme) {
        this.scene = scene;
        this.view = view == null ? DiscView.IDENTITY : view;
        this.options = options;
        this.selected = selected >= 0 && selected < scene.size() ? selected : -1;
        this.ruler = ruler == null ? null : ruler.clone();
        this.theme = theme;
        this.title = title;
        double[] xy = scene.xy();
        shown = new double[xy.length];
        for (int i = 0; i < xy.length; i += 2) {
            this.view.apply(xy[i], xy[i + 1], shown, i);
        }
        lineage = scene.hierarchy().lineage(this.selected);
    }

    public DiscScene scene() {
        return scene;
    }

    public DiscView view() {
        return view;
    }

    public Options options() {
        return options;
    }

    public int selected() {
        return selected;
    }

    public FigureTheme theme() {
        return theme;
    }

    /** Node i after the view, in disc coordinates: {x, y}. */
    public double[] shownPoint(int i) {
        return new double[] {shown[2 * i], shown[2 * i + 1]};
    }

    @Override
    public String title() {
        return title;
    }

    public Geometry geometry(Rectangle2D area) {
        double top = area.getY() + HEADER;
        double height = Math.max(1, area.getHeight() - HEADER - FOOTER);
        double width = Math.max(1, area.getWidth() - 2 * MARGIN);
        double radius = Math.max(1, Math.min(width, height) / 2 - 4);
        return new Geometry(area.getCenterX(), top + height / 2, radius);
    }

    /** The node drawn nearest to the canvas point (sx, sy) within {@code reach} units, or -1. */
    public int nodeAt(Rectangle2D area, double sx, double sy, double reach) {
        Geometry geo = geometry(area);
        int best = -1;
        double bestD = reach * reach;
        for (int i = 0; i < scene.size(); i++) {
            double dx = geo.screenX(shown[2 * i]) - sx;
            double dy = geo.screenY(shown[2 * i + 1]) - sy;
            double d = dx * dx + dy * dy;
            if (d <= bestD) {
                bestD = d;
                best = i;
            }
        }
        return best;
    }

    /** The canvas point in the view's disc coordinates, or null outside the disc. */
    public double[] viewPointAt(Rectangle2D area, double sx, double sy) {
        Geometry geo = geometry(area);
        double x = (sx - geo.cx()) / geo.radius();
        double y = (geo.cy() - sy) / geo.radius();
        return x * x + y * y < 1 ? new double[] {x, y} : null;
    }

    /** The canvas point in the scene's disc coordinates (before the view), or null outside the disc. */
    public double[] scenePointAt(Rectangle2D area, double sx, double sy) {
        double[] v = viewPointAt(area, sx, sy);
        return v == null ? null : view.inverse().apply(v[0], v[1]);
    }

    /** The ruler's reading, or null without a ruler: geodesic and Euclidean lengths in the ball of curvature -c. */
    public String rulerText() {
        if (ruler == null) {
            return null;
        }
        return String.format(Locale.ROOT, "Ruler: hyperbolic length %.3f along the geodesic \u00b7 Euclidean length %.3f "
                        + "(straight, in the ball's coordinates)", scene.distance(ruler[0], ruler[1], ruler[2], ruler[3]),
                scene.euclidean(ruler[0], ruler[1], ruler[2], ruler[3]));
    }

    @Override
    public void paint(Graphics2D g, Rectangle2D area) {
        Font savedFont = g.getFont();
        g.setPaint(theme.background());
        g.fill(area);
        Geometry geo = geometry(area);
        Ellipse2D disc = new Ellipse2D.Double(geo.cx() - geo.radius(), geo.cy() - geo.radius(), 2 * geo.radius(), 2 * geo.radius());
        g.setPaint(theme.panel());
        g.fill(disc);
        if (options.tiling()) {
            paintTiling(g, geo);
        }
        g.setPaint(theme.axis());
        g.setStroke(new BasicStroke(1.2f));
        g.draw(disc);
        if (options.edges()) {
            paintEdges(g, geo);
        }
        paintNodes(g, geo);
        if (options.labels()) {
            g.setFont(FigureText.plain(LABEL_FONT));
            g.setPaint(theme.text());
            for (PlacedLabel label : placeLabels(g, area)) {
                g.drawString(label.text(), (float) label.box().getX() + 1, (float) (label.box().getMaxY() - g.getFontMetrics().getDescent() - 1));
            }
        }
        if (ruler != null) {
            paintRuler(g, geo);
        }
        paintHeader(g, area);
        paintFooter(g, area);
        g.setFont(savedFont);
    }

    private void paintHeader(Graphics2D g, Rectangle2D area) {
        g.setFont(FigureText.bold(13));
        g.setPaint(theme.text());
        double x = area.getX() + MARGIN;
        double width = area.getWidth() - 2 * MARGIN;
        String centre = view.isIdentity() ? "" : ", re-centred";
        String c = String.format(Locale.ROOT, " \u00b7 c = %.2f", scene.curvature());
        g.drawString(FigureText.fitted(g, width, title + " \u00b7 " + scene.name() + c + centre, title + " \u00b7 " + scene.name() + c,
                scene.name() + c, scene.name(), title + c, title), (float) x, (float) (area.getY() + 17));
        g.setFont(FigureText.plain(10.5));
        g.setPaint(theme.mutedText());
        String fidelity = scene.layout().description();
        g.drawString(FigureText.fitted(g, width, fidelity, shortFidelity(), ""), (float) x, (float) (area.getY() + 35));
    }

    private String shortFidelity() {
        DiscLayout l = scene.layout();
        return String.format(Locale.ROOT, "variance kept %.0f%%, distance rank correlation %.2f", 100 * l.varianceKept(), l.rankCorrelation());
    }

    private void paintFooter(Graphics2D g, Rectangle2D area) {
        double y = area.getMaxY() - 7;
        double x = area.getX() + MARGIN;
        int maxDepth = Math.max(1, scene.hierarchy().maxDepth());
        g.setFont(FigureText.plain(10));
        g.setPaint(theme.mutedText());
        g.drawString("depth 0", (float) x, (float) y);
        double bar = x + FigureText.width(g, g.getFont(), "depth 0") + 4;
        for (int d = 0; d <= maxDepth; d++) {
            g.setPaint(depthColour(d, maxDepth));
            g.fill(new Rectangle2D.Double(bar + d * 9, y - 8, 9, 8));
        }
        g.setPaint(theme.mutedText());
        double after = bar + (maxDepth + 1) * 9 + 4;
        g.drawString(Integer.toString(maxDepth), (float) after, (float) y);
        String text = ruler != null ? rulerText() : selected >= 0 ? selectionText() : null;
        if (text != null) {
            double left = after + 24;
            g.setPaint(ruler != null ? Palette.accent(theme) : theme.text());
            g.drawString(FigureText.fitted(g, area.getMaxX() - MARGIN - left, text, text.replaceFirst(" \\(.*", ""), ""),
                    (float) left, (float) y);
        }
    }

    private String selectionText() {
        Hierarchy h = scene.hierarchy();
        return String.format(Locale.ROOT, "%s: depth %d, %d below, norm %.4f, distance to %s %.3f", h.name(selected), h.depth(selected),
                h.descendants(selected), scene.norm(selected), h.label(h.root()), scene.distance(selected, h.root()));
    }

    static Color depthColour(int depth, int maxDepth) {
        return new Color(Palette.heat(maxDepth <= 0 ? 0 : 0.85 * depth / maxDepth));
    }

    /** Dot radius of a node at {@code depth}: the root largest, leaves small. */
    static double dotRadius(int depth, double discRadius) {
        double scale = Math.max(0.6, Math.min(1.6, discRadius / 350));
        return Math.max(1.6, 5.5 - 0.55 * depth) * scale;
    }

    private void paintEdges(Graphics2D g, Geometry geo) {
        Hierarchy h = scene.hierarchy();
        Path2D.Double plain = new Path2D.Double();
        Path2D.Double highlighted = new Path2D.Double();
        for (int u = 0; u < h.size(); u++) {
            int p = h.parent(u);
            if (p < 0) {
                continue;
            }
            boolean on = selected >= 0 && lineage[u] && lineage[p];
            appendGeodesic(on ? highlighted : plain, shown[2 * u], shown[2 * u + 1], shown[2 * p], shown[2 * p + 1], geo);
        }
        Color edge = theme.axis();
        g.setPaint(new Color(edge.getRed(), edge.getGreen(), edge.getBlue(), selected >= 0 ? 60 : 120));
        g.setStroke(new BasicStroke(0.6f));
        g.draw(plain);
        if (selected >= 0) {
            g.setPaint(Palette.accent(theme));
            g.setStroke(new BasicStroke(1.4f));
            g.draw(highlighted);
        }
    }

    private void paintNodes(Graphics2D g, Geometry geo) {
        Hierarchy h = scene.hierarchy();
        int maxDepth = h.maxDepth();
        // one path per depth (and faded or not), filled deepest first: a handful of fills instead of one per node
        Path2D.Double[] plain = new Path2D.Double[maxDepth + 1];
        Path2D.Double[] faded = new Path2D.Double[maxDepth + 1];
        Ellipse2D.Double dot = new Ellipse2D.Double();
        for (int u = 0; u < h.size(); u++) {
            int d = h.depth(u);
            Path2D.Double[] group = selected >= 0 && !lineage[u] ? faded : plain;
            if (group[d] == null) {
                group[d] = new Path2D.Double(Path2D.WIND_NON_ZERO, 64);
            }
            double r = dotRadius(d, geo.radius());
            dot.setFrame(geo.screenX(shown[2 * u]) - r, geo.screenY(shown[2 * u + 1]) - r, 2 * r, 2 * r);
            group[d].append(dot, false);
        }
        for (Path2D.Double[] group : new Path2D.Double[][] {faded, plain}) {
            for (int d = maxDepth; d >= 0; d--) {
                if (group[d] != null) {
                    Color c = depthColour(d, maxDepth);
                    g.setPaint(group == faded ? new Color(c.getRed(), c.getGreen(), c.getBlue(), 70) : c);
                    g.fill(group[d]);
                }
            }
        }
        if (selected >= 0) {
            double r = dotRadius(h.depth(selected), geo.radius()) + 3;
            g.setPaint(Palette.accent(theme));
            g.setStroke(new BasicStroke(2f));
            g.draw(new Ellipse2D.Double(geo.screenX(shown[2 * selected]) - r, geo.screenY(shown[2 * selected + 1]) - r, 2 * r, 2 * r));
        }
    }

    /**
     * Places labels, most important first (the selection's line, then most descendants, then
     * shallowest), each where it overlaps no label already placed and stays inside the figure.
     */
    public List<PlacedLabel> placeLabels(Graphics2D g, Rectangle2D area) {
        Geometry geo = geometry(area);
        Hierarchy h = scene.hierarchy();
        Font font = FigureText.plain(LABEL_FONT);
        FontMetrics metrics = g.getFontMetrics(font);
        double height = metrics.getAscent() + metrics.getDescent() + 2;
        Rectangle2D inside = new Rectangle2D.Double(area.getX() + 2, area.getY() + HEADER, area.getWidth() - 4,
                area.getHeight() - HEADER - FOOTER);
        List<PlacedLabel> placed = new ArrayList<>();
        // labels and the dots of labelled nodes: a later label covers neither
        List<Rectangle2D> occupied = new ArrayList<>();
        List<Integer> candidates = new ArrayList<>();
        if (selected >= 0) {
            for (int u = selected; u >= 0; u = h.parent(u)) {
                candidates.add(u);
            }
        }
        for (int u : h.byImportance()) {
            candidates.add(u);
        }
        boolean[] tried = new boolean[h.size()];
        int limit = Math.max(0, options.maxLabels()) + (selected >= 0 ? h.depth(selected) + 1 : 0);
        for (int u : candidates) {
            if (placed.size() >= limit) {
                break;
            }
            if (tried[u]) {
                continue;
            }
            tried[u] = true;
            double x = shown[2 * u];
            double y = shown[2 * u + 1];
            if (x * x + y * y > LABEL_RADIUS * LABEL_RADIUS && u != selected) {
                continue;
            }
            String text = h.label(u);
            double w = metrics.stringWidth(text) + 2;
            double sx = geo.screenX(x);
            double sy = geo.screenY(y);
            double r = dotRadius(h.depth(u), geo.radius()) + 1;
            // right of the dot, then left, then above, then below
            Rectangle2D[] spots = {
                    new Rectangle2D.Double(sx + r, sy - height / 2, w, height),
                    new Rectangle2D.Double(sx - r - w, sy - height / 2, w, height),
                    new Rectangle2D.Double(sx - w / 2, sy - r - height, w, height),
                    new Rectangle2D.Double(sx - w / 2, sy + r, w, height)};
            Rectangle2D dot = new Rectangle2D.Double(sx - r, sy - r, 2 * r, 2 * r);
            if (occupied.stream().anyMatch(o -> o.intersects(dot))) {
                continue;
            }
            for (Rectangle2D spot : spots) {
                if (inside.contains(spot) && occupied.stream().noneMatch(o -> o.intersects(spot))) {
                    placed.add(new PlacedLabel(u, text, spot));
                    occupied.add(spot);
                    occupied.add(dot);
                    break;
                }
            }
        }
        return placed;
    }

    private void paintRuler(Graphics2D g, Geometry geo) {
        double[] a = view.apply(ruler[0], ruler[1]);
        double[] b = view.apply(ruler[2], ruler[3]);
        Color accent = Palette.accent(theme);
        g.setPaint(accent);
        g.setStroke(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f));
        g.draw(new Line2D.Double(geo.screenX(a[0]), geo.screenY(a[1]), geo.screenX(b[0]), geo.screenY(b[1])));
        Path2D.Double path = new Path2D.Double();
        appendGeodesic(path, a[0], a[1], b[0], b[1], geo);
        g.setStroke(new BasicStroke(2.4f));
        g.draw(path);
        for (double[] p : new double[][] {a, b}) {
            g.fill(new Ellipse2D.Double(geo.screenX(p[0]) - 4, geo.screenY(p[1]) - 4, 8, 8));
        }
    }

    /**
     * Appends the geodesic from (ax, ay) to (bx, by), points of the unit disc, to {@code path}
     * in canvas units: the arc of the circle through both that is orthogonal to the rim, or the
     * straight segment when they lie on a diameter.
     */
    static void appendGeodesic(Path2D path, double ax, double ay, double bx, double by, Geometry geo) {
        // centre o of the circle: o.a = (1 + |a|^2) / 2 and o.b = (1 + |b|^2) / 2
        double det = ax * by - ay * bx;
        double ka = (1 + ax * ax + ay * ay) / 2;
        double kb = (1 + bx * bx + by * by) / 2;
        double chord = Math.hypot(ax - bx, ay - by);
        if (Math.abs(det) < 1e-9 || chord < 1e-12) {
            path.moveTo(geo.screenX(ax), geo.screenY(ay));
            path.lineTo(geo.screenX(bx), geo.screenY(by));
            return;
        }
        double ox = (ka * by - kb * ay) / det;
        double oy = (ax * kb - bx * ka) / det;
        double r = Math.sqrt(Math.max(0, ox * ox + oy * oy - 1));
        // a nearly straight geodesic: the arc's circle is huge, and a segment is within a tenth of a unit of it
        if (r * geo.radius() > 1e5 || chord * chord * geo.radius() / (8 * r) < 0.1) {
            path.moveTo(geo.screenX(ax), geo.screenY(ay));
            path.lineTo(geo.screenX(bx), geo.screenY(by));
            return;
        }
        double start = Math.atan2(ay - oy, ax - ox);
        double end = Math.atan2(by - oy, bx - ox);
        double extent = end - start;
        extent = Math.atan2(Math.sin(extent), Math.cos(extent));
        double sr = r * geo.radius();
        Shape arc = new Arc2D.Double(geo.screenX(ox) - sr, geo.screenY(oy) - sr, 2 * sr, 2 * sr,
                Math.toDegrees(start), Math.toDegrees(extent), Arc2D.OPEN);
        path.append(arc, false);
    }

    /**
     * Rings of cells of equal hyperbolic area about the origin: the first ring is a disc of
     * radius 0.8 cut into six cells; ring k holds 6 * 2^k cells, so each ring ends where
     * cosh r = 1 + (2^k - 1)(cosh 0.8 - 1). Near the rim the cells shrink to specks on screen:
     * the same area, ever further away.
     */
    private void paintTiling(Graphics2D g, Geometry geo) {
        Color grid = theme.grid();
        g.setPaint(new Color(grid.getRed(), grid.getGreen(), grid.getBlue(), 200));
        // the shaded cells alternate with unshaded ones, so their edges need no outline
        g.fill(tilingShape(geo));
    }

    /**
     * The shaded cells of the tiling on the canvas, after the view: re-centring moves the tiling
     * with the nodes, so its circles and radial edges become arcs of other circles (each cell's
     * boundary is sampled and moved point by point).
     */
    Path2D.Double tilingShape(Geometry geo) {
        Path2D.Double shade = new Path2D.Double();
        double inner = 0;
        int rings = view.isIdentity() ? TILE_RINGS_CENTRED : TILE_RINGS;
        for (int k = 0; k < rings; k++) {
            double outer = ringOuterRadius(k);
            if (view.isIdentity() && (outer - inner) * geo.radius() < 1.5) {
                break;
            }
            int cells = TILE_FIRST_CELLS << k;
            double step = 360.0 / cells;
            for (int j = k & 1; j < cells; j += 2) {
                if (view.isIdentity()) {
                    appendCell(shade, geo, inner, outer, j * step, step);
                } else {
                    appendMovedCell(shade, geo, inner, outer, Math.toRadians(j * step), Math.toRadians(step));
                }
            }
            inner = outer;
        }
        return shade;
    }

    /** Whether the point (x, y) of the disc, before the view, lies in a shaded cell of the tiling. */
    static boolean inShadedCell(double x, double y) {
        double rho = Math.hypot(x, y);
        for (int k = 0; k < TILE_RINGS; k++) {
            if (rho < ringOuterRadius(k)) {
                int cells = TILE_FIRST_CELLS << k;
                double angle = Math.toDegrees(Math.atan2(y, x));
                int j = (int) Math.floor((angle < 0 ? angle + 360 : angle) / (360.0 / cells)) % cells;
                return (j & 1) == (k & 1);
            }
        }
        return false;
    }

    /**
     * Where ring k of the tiling ends, as a Euclidean radius of the disc: the hyperbolic radius r
     * with cosh r = 1 + (2^(k+1) - 1)(cosh 0.8 - 1), at Euclidean tanh(r / 2).
     */
    private static double ringOuterRadius(int k) {
        double coshR = 1 + (Math.pow(2, k + 1) - 1) * (Math.cosh(TILE_FIRST_RADIUS) - 1);
        return Math.tanh(Math.log(coshR + Math.sqrt(coshR * coshR - 1)) / 2);
    }

    private static void appendCell(Path2D path, Geometry geo, double inner, double outer, double startDeg, double extentDeg) {
        double ro = outer * geo.radius();
        double ri = inner * geo.radius();
        Arc2D.Double out = new Arc2D.Double(geo.cx() - ro, geo.cy() - ro, 2 * ro, 2 * ro, startDeg, extentDeg, Arc2D.OPEN);
        path.append(out, false);
        if (ri > 0) {
            Arc2D.Double in = new Arc2D.Double(geo.cx() - ri, geo.cy() - ri, 2 * ri, 2 * ri, startDeg + extentDeg, -extentDeg, Arc2D.OPEN);
            path.append(in, true);
        } else {
            path.lineTo(geo.cx(), geo.cy());
        }
        path.closePath();
    }

    /**
     * One cell moved by the view: its outer arc, one radial edge, its inner arc (or the origin)
     * and the other radial edge, sampled more densely the larger the moved cell is on screen (a
     * few pixels apart), so the chords stay within about a pixel of the moved arcs; cells that
     * end up smaller than a pixel are left out and those of a few pixels are drawn by their corners.
     */
    private void appendMovedCell(Path2D path, Geometry geo, double inner, double outer, double start, double extent) {
        double end = start + extent;
        double[] corners = new double[8];
        int count = moved(outer * Math.cos(start), outer * Math.sin(start), corners, 0);
        count = moved(outer * Math.cos(end), outer * Math.sin(end), corners, count);
        count = moved(inner * Math.cos(end), inner * Math.sin(end), corners, count);
        moved(inner * Math.cos(start), inner * Math.sin(start), corners, count);
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < 4; i++) {
            corners[2 * i] = geo.screenX(corners[2 * i]);
            corners[2 * i + 1] = geo.screenY(corners[2 * i + 1]);
            minX = Math.min(minX, corners[2 * i]);
            maxX = Math.max(maxX, corners[2 * i]);
            minY = Math.min(minY, corners[2 * i + 1]);
            maxY = Math.max(maxY, corners[2 * i + 1]);
        }
        double size = Math.max(maxX - minX, maxY - minY);
        if (size < 1) {
            return;
        }
        if (size < SAMPLED_CELL_PIXELS) {
            path.moveTo(corners[0], corners[1]);
            for (int i = 1; i < 4; i++) {
                path.lineTo(corners[2 * i], corners[2 * i + 1]);
            }
            path.closePath();
            return;
        }
        int arcPoints = (int) Math.min(40, 2 + size / 5);
        int edgePoints = (int) Math.min(10, 1 + size / 10);
        double[] xy = new double[2 * (2 * arcPoints + 2 * edgePoints)];
        count = 0;
        for (int i = 0; i < arcPoints; i++) {
            double t = start + extent * i / (arcPoints - 1);
            count = moved(outer * Math.cos(t), outer * Math.sin(t), xy, count);
        }
        for (int i = 1; i < edgePoints; i++) {
            double rho = outer + (inner - outer) * i / edgePoints;
            count = moved(rho * Math.cos(end), rho * Math.sin(end), xy, count);
        }
        if (inner > 0) {
            for (int i = 0; i < arcPoints; i++) {
                double t = end - extent * i / (arcPoints - 1);
                count = moved(inner * Math.cos(t), inner * Math.sin(t), xy, count);
            }
        } else {
            count = moved(0, 0, xy, count);
        }
        for (int i = 1; i < edgePoints; i++) {
            double rho = inner + (outer - inner) * i / edgePoints;
            count = moved(rho * Math.cos(start), rho * Math.sin(start), xy, count);
        }
        path.moveTo(geo.screenX(xy[0]), geo.screenY(xy[1]));
        for (int i = 1; i < count; i++) {
            path.lineTo(geo.screenX(xy[2 * i]), geo.screenY(xy[2 * i + 1]));
        }
        path.closePath();
    }

    private int moved(double x, double y, double[] xy, int count) {
        view.apply(x, y, xy, 2 * count);
        return count + 1;
    }

    /** The hyperbolic area of one tiling cell in the ball of curvature -c. */
    public static double tileArea(double curvature) {
        return 2 * Math.PI * (Math.cosh(TILE_FIRST_RADIUS) - 1) / TILE_FIRST_CELLS / curvature;
    }
}
