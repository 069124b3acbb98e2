package org.flowbench.views.poincare;

import org.flowbench.compute.data.SeededRandom;
import org.flowbench.compute.hierarchy.EdgeList;
import org.flowbench.views.figure.FigureExporter;
import org.flowbench.views.figure.FigureTheme;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The disc's geometry against closed forms: the view's Möbius maps are isometries that move
 * what they should where they should, curvature keeps distances from the centre, and a known
 * geodesic lands on the right pixels.
 */
class DiscGeometryTest {

    private static double[] randomPoint(SeededRandom rng) {
        double r = 0.95 * Math.sqrt(rng.nextDouble());
        double a = 2 * Math.PI * rng.nextDouble();
        return new double[] {r * Math.cos(a), r * Math.sin(a)};
    }

    @Test
    void viewsAreIsometriesAndDragsCarryTheGrabbedPoint() {
        SeededRandom rng = new SeededRandom(3);
        for (int trial = 0; trial < 200; trial++) {
            double[] a = randomPoint(rng);
            double[] b = randomPoint(rng);
            double[] w0 = randomPoint(rng);
            double[] w1 = randomPoint(rng);
            DiscView view = DiscView.centredOn(a[0], a[1]).after(DiscView.rotation(rng.nextDouble() * 6));
            double[] va = view.apply(a[0], a[1]);
            double[] vb = view.apply(b[0], b[1]);
            assertThat(DiscLayout.unitDistance(va[0], va[1], vb[0], vb[1]))
                    .isCloseTo(DiscLayout.unitDistance(a[0], a[1], b[0], b[1]), within(1e-8));
            DiscView dragged = view.dragged(w0[0], w0[1], w1[0], w1[1]);
            double[] grabbed = view.inverse().apply(w0[0], w0[1]);
            double[] now = dragged.apply(grabbed[0], grabbed[1]);
            assertThat(now[0]).isCloseTo(w1[0], within(1e-9));
            assertThat(now[1]).isCloseTo(w1[1], within(1e-9));
            double[] back = view.inverse().apply(va[0], va[1]);
            assertThat(back[0]).isCloseTo(a[0], within(1e-9));
        }
    }

    @Test
    void centringMovesThePointToTheOriginAsMobiusAdditionDoes() {
        DiscView view = DiscView.centredOn(0.3, -0.4);
        double[] c = view.apply(0.3, -0.4);
        assertThat(Math.hypot(c[0], c[1])).isLessThan(1e-12);
        assertThat(view.centreX()).isCloseTo(0.3, within(1e-12));
        // (-a) (+) x for a = 0.5 on the real axis and x = 0: -0.5
        assertThat(DiscView.centredOn(0.5, 0).apply(0, 0)[0]).isCloseTo(-0.5, within(1e-12));
    }

    @Test
    void interpolationRunsFromOneViewToTheOther() {
        DiscView from = DiscView.centredOn(0.2, 0.1);
        DiscView to = DiscView.centredOn(-0.6, 0.5).after(DiscView.rotation(1.0));
        assertThat(DiscView.between(from, to, 0)).isEqualTo(from);
        assertThat(DiscView.between(from, to, 1)).isEqualTo(to);
        DiscView almost = DiscView.between(from, to, 1 - 1e-9);
        double[] p = almost.apply(0.1, 0.2);
        double[] q = to.apply(0.1, 0.2);
        assertThat(p[0]).isCloseTo(q[0], within(1e-6));
        assertThat(p[1]).isCloseTo(q[1], within(1e-6));
        // halfway the centre of a pure translation from the origin lies at the hyperbolic midpoint
        DiscView half = DiscView.between(DiscView.IDENTITY, DiscView.centredOn(0.8, 0), 0.5);
        double d = 2 * DiscView.atanh(0.8);
        assertThat(2 * DiscView.atanh(Math.abs(half.centreX()))).isCloseTo(d / 2, within(1e-9));
    }

    @Test
    void curvatureKeepsDistancesFromTheCentre() {
        EdgeList edges = EdgeList.builder().add("b", "a", 1).add("c", "a", 1).build();
        Hierarchy h = Hierarchy.of(edges);
        DiscLayout layout = new DiscLayout(new double[] {0, 0, 0.6, 0, 0, -0.9}, 1, 1, "test");
        DiscScene one = DiscScene.of(h, layout, 1, "test");
        DiscScene four = one.withCurvature(4);
        for (int i = 1; i < 3; i++) {
            assertThat(four.distance(0, i)).isCloseTo(one.distance(0, i), within(1e-9));
        }
        // in the ball of curvature -4 the point at distance 2 artanh(0.6) has norm tanh(2 artanh 0.6) / 2
        assertThat(four.norm(1)).isCloseTo(Math.tanh(2 * DiscView.atanh(0.6)) / 2, within(1e-12));
        assertThat(one.distance(1, 2)).isCloseTo(Math.log(1 + 2 * (0.36 + 0.81) / (0.64 * 0.19)
                + Math.sqrt(Math.pow(1 + 2 * (0.36 + 0.81) / (0.64 * 0.19), 2) - 1)), within(1e-9));
    }

    /**
     * The geodesic from (0.5, 0) to (0, 0.5) is the arc of the circle centred at (1.25, 1.25) of
     * radius sqrt(2.125); it crosses the diagonal at 1.25 sqrt 2 - sqrt 2.125 = 0.31 from the
     * centre, inside the straight chord (which crosses at 0.354).
     */
    @Test
    void aKnownGeodesicLandsOnTheRightPixels() {
        EdgeList edges = EdgeList.builder().add("b", "a", 1).build();
        Hierarchy h = Hierarchy.of(edges);
        // node ids follow first appearance: b then a
        DiscLayout layout = new DiscLayout(new double[] {0, 0.5, 0.5, 0}, 1, 1, "test");
        DiscScene scene = DiscScene.of(h, layout, 1, "test");
        PoincareDiscFigure f = new PoincareDiscFigure(scene, DiscView.IDENTITY, new PoincareDiscFigure.Options(true, false, 0, false),
                -1, null, "test", FigureTheme.LIGHT);
        int size = 600;
        BufferedImage image = FigureExporter.renderImage(f, size, size + (int) (PoincareDiscFigure.HEADER + PoincareDiscFigure.FOOTER), 1.0);
        Rectangle2D area = new Rectangle2D.Double(0, 0, image.getWidth(), image.getHeight());
        PoincareDiscFigure.Geometry geo = f.geometry(area);
        double onArc = 1.25 * Math.sqrt(2) - Math.sqrt(2.125);
        double arcX = geo.screenX(onArc / Math.sqrt(2));
        double arcY = geo.screenY(onArc / Math.sqrt(2));
        double chord = 0.25;
        assertThat(darkest(image, arcX, arcY, 1)).as("the arc passes here").isLessThan(235);
        assertThat(darkest(image, geo.screenX(chord), geo.screenY(chord), 1)).as("not the straight chord").isGreaterThan(240);
        // the nodes are where their coordinates say
        assertThat(darkest(image, geo.screenX(0.5), geo.screenY(0), 1)).isLessThan(200);
        assertThat(darkest(image, geo.screenX(0), geo.screenY(0.5), 1)).isLessThan(200);
    }

    /**
     * The tiling drawn after a re-centring is the image of the tiling about the origin: a point
     * of the disc lies in a shaded cell before the view exactly when its image lies in the shaded
     * shape after it (up to the sampled arcs, within a pixel of the cells' edges).
     */
    @Test
    void theTilingMovesWithTheReCentring() {
        EdgeList edges = EdgeList.builder().add("b", "a", 1).build();
        Hierarchy h = Hierarchy.of(edges);
        DiscScene scene = DiscScene.of(h, new DiscLayout(new double[] {0, 0.5, 0.5, 0}, 1, 1, "test"), 1, "test");
        PoincareDiscFigure.Geometry geo = new PoincareDiscFigure.Geometry(500, 500, 450);
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (DiscView view : new DiscView[] {DiscView.IDENTITY, DiscView.centredOn(0.45, -0.3),
                DiscView.centredOn(-0.7, 0.2).after(DiscView.rotation(0.4))}) {
            PoincareDiscFigure f = new PoincareDiscFigure(scene, view, new PoincareDiscFigure.Options(false, false, 0, true),
                    -1, null, "test", FigureTheme.LIGHT);
            java.awt.geom.Path2D.Double shape = f.tilingShape(geo);
            int agree = 0;
            int moved = 0;
            int tried = 2000;
            for (int i = 0; i < tried; i++) {
                // points within hyperbolic radius 2.5 of the origin, where cells are large on screen
                double rho = Math.tanh(2.5 / 2) * Math.sqrt(random.nextDouble());
                double t = random.nextDouble(2 * Math.PI);
                double x = rho * Math.cos(t);
                double y = rho * Math.sin(t);
                double[] image = view.apply(x, y);
                boolean drawn = shape.contains(geo.screenX(image[0]), geo.screenY(image[1]));
                agree += drawn == PoincareDiscFigure.inShadedCell(x, y) ? 1 : 0;
                moved += drawn == PoincareDiscFigure.inShadedCell(image[0], image[1]) ? 1 : 0;
            }
            assertThat(agree).as("the drawn tiling is the moved one under %s", view).isGreaterThan((int) (0.98 * tried));
            if (!view.isIdentity()) {
                assertThat(moved).as("and not the tiling about the origin").isLessThan((int) (0.8 * tried));
            }
        }
    }

    @Test
    void diametersAreStraight() {
        java.awt.geom.Path2D.Double path = new java.awt.geom.Path2D.Double();
        PoincareDiscFigure.Geometry geo = new PoincareDiscFigure.Geometry(100, 100, 100);
        PoincareDiscFigure.appendGeodesic(path, -0.5, -0.5, 0.4, 0.4, geo);
        // a straight segment: one moveTo and one lineTo
        java.awt.geom.PathIterator it = path.getPathIterator(null);
        int segments = 0;
        double[] c = new double[6];
        while (!it.isDone()) {
            assertThat(it.currentSegment(c)).isIn(java.awt.geom.PathIterator.SEG_MOVETO, java.awt.geom.PathIterator.SEG_LINETO);
            segments++;
            it.next();
        }
        assertThat(segments).isEqualTo(2);
    }

    /** The darkest grey level (0 black to 255 white) within {@code r} pixels of (x, y). */
    private static int darkest(BufferedImage image, double x, double y, int r) {
        int best = 255;
        for (int dy = -r; dy <= r; dy++) {
            for (int dx = -r; dx <= r; dx++) {
                Color c = new Color(image.getRGB((int) Math.round(x) + dx, (int) Math.round(y) + dy));
                best = Math.min(best, (c.getRed() + c.getGreen() + c.getBlue()) / 3);
            }
        }
        return best;
    }

    @Test
    void labelsNeverOverlap() {
        PoincareDiscFigure f = PoincareLabTest.sampleDisc();
        BufferedImage image = new BufferedImage(900, 820, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        var labels = f.placeLabels(g, new Rectangle2D.Double(0, 0, 900, 820));
        g.dispose();
        assertThat(labels).isNotEmpty();
        for (int i = 0; i < labels.size(); i++) {
            for (int j = i + 1; j < labels.size(); j++) {
                assertThat(labels.get(i).box().intersects(labels.get(j).box()))
                        .as(labels.get(i).text() + " and " + labels.get(j).text()).isFalse();
            }
        }
        assertThat(labels.get(0).text()).as("the most important label first").isEqualTo("mammal");
    }
}
