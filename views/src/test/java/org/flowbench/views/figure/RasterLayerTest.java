package org.flowbench.views.figure;

import org.jfree.svg.SVGGraphics2D;
import org.junit.jupiter.api.Test;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;

import static org.assertj.core.api.Assertions.assertThat;

/** The pixel route's marks against Java2D drawing the same shapes. */
class RasterLayerTest {

    private static final Color BLUE = new Color(0x0072B2);

    private static RasterLayer layer(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        RasterLayer.Placement placement = RasterLayer.placement(g, new Rectangle2D.Double(0, 0, width, height));
        g.dispose();
        return RasterLayer.acquire(placement);
    }

    private static BufferedImage java2d(int width, int height) {
        return new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB_PRE);
    }

    private static Graphics2D quality(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        return g;
    }

    private static int maxChannelDifference(int a, int b) {
        int d = 0;
        for (int shift = 0; shift < 32; shift += 8) {
            d = Math.max(d, Math.abs(((a >>> shift) & 255) - ((b >>> shift) & 255)));
        }
        return d;
    }

    @Test
    void aStampedDotIsJava2dsAntialiasedCircle() {
        RasterLayer layer = layer(20, 20);
        layer.stamp(RasterLayer.disc(2.1), 9.375f, 8.625f); // on the 1/8-pixel grid: no rounding of the position
        layer.flush(BLUE);
        BufferedImage expected = java2d(20, 20);
        Graphics2D g = quality(expected);
        g.setColor(BLUE);
        g.fill(new Ellipse2D.Double(9.375 - 2.1, 8.625 - 2.1, 4.2, 4.2));
        g.dispose();
        int covered = 0;
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 20; x++) {
                assertThat(maxChannelDifference(layer.pixel(x, y), expected.getRGB(x, y) == 0 ? 0
                        : ((int[]) expected.getRaster().getDataElements(x, y, null))[0])).as("pixel %d,%d", x, y).isLessThanOrEqualTo(1);
                covered += layer.pixel(x, y) != 0 ? 1 : 0;
            }
        }
        assertThat(covered).isBetween(16, 36);
        assertThat(layer.pixel(9, 8)).isEqualTo(0xFF000000 | BLUE.getRGB());
    }

    @Test
    void aPolylineCoversWhatJava2dsStrokeCovers() {
        RasterLayer layer = layer(80, 60);
        float[] xs = {5.3f, 20.1f, 33.7f, 47.2f, 60.9f, 74.4f};
        float[] ys = {50.2f, 30.6f, 22.4f, 20.9f, 26.1f, 40.8f};
        layer.moveTo(xs[0], ys[0], 0.45f);
        for (int i = 1; i < xs.length; i++) {
            layer.lineTo(xs[i], ys[i]);
        }
        layer.endPath();
        layer.flush(BLUE);
        BufferedImage expected = java2d(80, 60);
        Graphics2D g = quality(expected);
        g.setColor(BLUE);
        g.setStroke(new BasicStroke(0.9f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        Path2D.Float path = new Path2D.Float();
        path.moveTo(xs[0], ys[0]);
        for (int i = 1; i < xs.length; i++) {
            path.lineTo(xs[i], ys[i]);
        }
        g.draw(path);
        g.dispose();
        double ours = 0;
        double theirs = 0;
        double difference = 0;
        for (int y = 0; y < 60; y++) {
            for (int x = 0; x < 80; x++) {
                int a = layer.pixel(x, y) >>> 24;
                int b = expected.getRGB(x, y) >>> 24;
                ours += a;
                theirs += b;
                difference += Math.abs(a - b);
                if (b == 0) {
                    assertThat(a).as("no ink at %d,%d where Java2D has none", x, y).isLessThan(40);
                }
            }
        }
        // the same amount of ink, in the same places
        assertThat(ours / theirs).isBetween(0.9, 1.1);
        assertThat(difference / theirs).isLessThan(0.35);
    }

    @Test
    void oneColourDoesNotDarkenWhereItsPathsCross() {
        RasterLayer layer = layer(40, 40);
        Color faint = new Color(0x660072B2, true);
        layer.moveTo(5, 20.5f, 0.45f);
        layer.lineTo(35, 20.5f);
        layer.endPath();
        layer.moveTo(20.5f, 5, 0.45f);
        layer.lineTo(20.5f, 35);
        layer.endPath();
        layer.flush(faint);
        int crossing = layer.pixel(20, 20) >>> 24;
        int alongOne = layer.pixel(10, 20) >>> 24;
        assertThat(crossing).isEqualTo(alongOne);
        // a second colour on top blends over the first
        layer.moveTo(5, 20.5f, 0.45f);
        layer.lineTo(35, 20.5f);
        layer.endPath();
        layer.flush(faint);
        assertThat(layer.pixel(10, 20) >>> 24).isGreaterThan(alongOne);
    }

    @Test
    void marksStopAtThePanelsPixels() {
        BufferedImage image = new BufferedImage(100, 100, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        RasterLayer.Placement placement = RasterLayer.placement(g, new Rectangle2D.Double(10.2, 20.7, 30.0, 40.0));
        g.dispose();
        // pixels whose centres lie inside, as Java2D clips to a rectangle
        assertThat(placement.x()).isEqualTo(10);
        assertThat(placement.y()).isEqualTo(21);
        assertThat(placement.insideWidth()).isEqualTo(30);
        assertThat(placement.insideHeight()).isEqualTo(40);
        RasterLayer layer = RasterLayer.acquire(placement);
        layer.stamp(RasterLayer.disc(3), placement.insideWidth() - 0.5f, 5);
        layer.flush(BLUE);
        assertThat(layer.pixel(placement.insideWidth() - 1, 5)).isNotZero();
        assertThat(layer.pixel(placement.insideWidth(), 5)).isZero();
    }

    @Test
    void vectorOutputsAndSkewedTransformsKeepTheVectorShapes() {
        Rectangle2D area = new Rectangle2D.Double(0, 0, 50, 50);
        assertThat(RasterLayer.placement(new SVGGraphics2D(100, 100), area)).isNull();
        BufferedImage image = new BufferedImage(100, 100, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.scale(2, 2);
        RasterLayer.Placement doubled = RasterLayer.placement(g, area);
        assertThat(doubled.scale()).isEqualTo(2.0);
        assertThat(doubled.insideWidth()).isEqualTo(100);
        g.shear(0.1, 0);
        assertThat(RasterLayer.placement(g, area)).isNull();
        g.dispose();
    }
}
