package org.flowbench.views.trajectories;

import org.flowbench.compute.data.Datasets;
import org.flowbench.compute.ode.TimeGrid;
import org.flowbench.compute.ode.VelocityField;
import org.flowbench.views.figure.FigureExporter;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.figure.PlotFrame;
import org.junit.jupiter.api.Test;

import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Paints the figure into an image and finds the particles where compute put them. */
class TrajectoriesFigureRenderTest {

    /** A rotation about the origin: exact paths are circles, Euler spirals outwards. */
    private static final VelocityField ROTATION = (x, n, t, v) -> {
        for (int i = 0; i < n; i++) {
            v[2 * i] = -x[2 * i + 1];
            v[2 * i + 1] = x[2 * i];
        }
    };

    private static final VelocityField DRIFT = (x, n, t, v) -> {
        for (int i = 0; i < n; i++) {
            v[2 * i] = 1.5f;
            v[2 * i + 1] = 0.5f;
        }
    };

    private static TrajectoriesFigure figure(double t, int n) {
        SamplingSettings settings = new SamplingSettings("euler", 10, 1e-5, "uniform", n, 20, 3);
        float[] noise = Datasets.NORMAL.sample(n, 3);
        FlowRun a = FlowSampler.run("rotation", ROTATION, noise, TimeGrid.forward(10), settings, false, () -> false);
        FlowRun b = FlowSampler.run("drift", DRIFT, noise, TimeGrid.forward(10), settings, false, () -> false);
        return new TrajectoriesFigure(List.of(a, b), new float[0], t, null, -1,
                new TrajectoriesFigure.Options(false, false, false, false), FigureTheme.LIGHT);
    }

    @Test
    void particlesAppearWhereComputeSaysTheyAre() {
        for (double t : new double[] {0, 0.5, 1}) {
            TrajectoriesFigure figure = figure(t, 40);
            BufferedImage image = FigureExporter.renderImage(figure, 1400, 640, 1.0);
            PlotFrame[] frames = figure.frames(new Rectangle2D.Double(0, 0, 1400, 640));
            for (int p = 0; p < 2; p++) {
                FlowRun run = figure.runs().get(p);
                float[] xy = run.positionsAt(t);
                int last = run.n() - 1; // painted last, so nothing covers it
                int sx = (int) Math.floor(frames[p].screenX(xy[2 * last]));
                int sy = (int) Math.floor(frames[p].screenY(xy[2 * last + 1]));
                assertThat(image.getRGB(sx, sy) & 0xFFFFFF).as("panel %d at t=%s", p, t).isEqualTo(figure.colourOf(last));
            }
        }
    }

    @Test
    void particlesAppearWhereComputeSaysTheyAreAtTwiceTheScale() {
        TrajectoriesFigure figure = figure(0.5, 40);
        BufferedImage image = FigureExporter.renderImage(figure, 1400, 640, 2.0);
        PlotFrame[] frames = figure.frames(new Rectangle2D.Double(0, 0, 1400, 640));
        for (int p = 0; p < 2; p++) {
            float[] xy = figure.runs().get(p).positionsAt(0.5);
            int last = figure.runs().get(p).n() - 1;
            int sx = (int) Math.floor(2 * frames[p].screenX(xy[2 * last]));
            int sy = (int) Math.floor(2 * frames[p].screenY(xy[2 * last + 1]));
            for (int[] d : new int[][] {{-2, 0}, {2, 0}, {0, -2}, {0, 2}, {0, 0}}) {
                assertThat(image.getRGB(sx + d[0], sy + d[1]) & 0xFFFFFF).as("panel %d", p).isEqualTo(figure.colourOf(last));
            }
        }
    }

    /**
     * Pixels (screen, PNG) are drawn by a rasteriser of their own, vector outputs by Java2D
     * shapes; a transform that scales y by a hair more than x sends an image through the vector
     * route, so the two pictures can be compared.
     */
    @Test
    void thePixelRouteDrawsWhatTheVectorRouteDraws() {
        SamplingSettings settings = new SamplingSettings("rk4", 12, 1e-5, "uniform", 3000, 200, 1);
        float[] noise = Datasets.NORMAL.sample(3000, 1);
        VelocityField swirl = (x, n, t, v) -> {
            for (int i = 0; i < n; i++) {
                v[2 * i] = -x[2 * i + 1] + 0.5f * t;
                v[2 * i + 1] = 0.8f * x[2 * i];
            }
        };
        FlowRun run = FlowSampler.run("swirl", swirl, noise, TimeGrid.forward(12), settings, false, () -> false);
        TrajectoriesFigure figure = new TrajectoriesFigure(List.of(run, run), Datasets.MOONS.sample(2000, 2), 0.25, null, 7,
                TrajectoriesFigure.Options.defaults(), FigureTheme.LIGHT);
        BufferedImage[] images = new BufferedImage[2];
        for (int route = 0; route < 2; route++) {
            images[route] = new BufferedImage(1400, 640, BufferedImage.TYPE_INT_ARGB);
            java.awt.Graphics2D g = images[route].createGraphics();
            FigureExporter.applyQualityHints(g);
            if (route == 1) {
                g.scale(1, 1 + 1e-12);
            }
            figure.paint(g, new Rectangle2D.Double(0, 0, 1400, 640));
            g.dispose();
        }
        long total = 0;
        int far = 0;
        for (int y = 0; y < 640; y++) {
            for (int x = 0; x < 1400; x++) {
                int a = images[0].getRGB(x, y);
                int b = images[1].getRGB(x, y);
                int d = 0;
                for (int shift = 0; shift < 32; shift += 8) {
                    d = Math.max(d, Math.abs(((a >>> shift) & 255) - ((b >>> shift) & 255)));
                }
                total += d;
                far += d > 64 ? 1 : 0;
            }
        }
        assertThat(total / (1400.0 * 640)).as("mean difference per pixel, of 255").isLessThan(1.5);
        assertThat(far).as("pixels differing by more than a quarter").isLessThan(1400 * 640 / 2000);
    }

    @Test
    void vectorExportsStayVector() {
        String svg = FigureExporter.toSvg(figure(0.5, 40), 1400, 640);
        assertThat(svg).doesNotContain("<image");
        assertThat(svg.split("<path", -1).length).isGreaterThan(40);
    }

    @Test
    void driftMovesParticlesByTheExactDisplacement() {
        TrajectoriesFigure figure = figure(1, 10);
        FlowRun drift = figure.runs().get(1);
        assertThat(drift.x(10, 0) - drift.x(0, 0)).isCloseTo(1.5f, org.assertj.core.api.Assertions.within(1e-5f));
        assertThat(drift.straightness()).isLessThan(1e-9);
        assertThat(figure.runs().get(0).straightness()).isGreaterThan(0.05);
    }

    @Test
    void clickingAParticleFindsIt() {
        TrajectoriesFigure figure = figure(0.5, 40);
        Rectangle2D area = new Rectangle2D.Double(0, 0, 1400, 640);
        PlotFrame right = figure.frames(area)[1];
        float[] xy = figure.runs().get(1).positionsAt(0.5);
        int i = 39;
        assertThat(figure.particleAt(area, right.screenX(xy[2 * i]), right.screenY(xy[2 * i + 1]), 0.5)).isEqualTo(i);
        assertThat(figure.particleAt(area, 2, 2, 8)).isEqualTo(-1);
    }

    @Test
    void emptyAreaOfAPanelShowsThePanelColour() {
        TrajectoriesFigure figure = figure(0, 40).viewing(new org.flowbench.views.figure.DataBounds(40, 50, 40, 50));
        BufferedImage image = FigureExporter.renderImage(figure, 1400, 640, 1.0);
        Rectangle2D a = figure.frames(new Rectangle2D.Double(0, 0, 1400, 640))[0].area();
        int colour = image.getRGB((int) a.getCenterX() + 3, (int) a.getCenterY() + 3) & 0xFFFFFF;
        assertThat(colour).isEqualTo(FigureTheme.LIGHT.panel().getRGB() & 0xFFFFFF);
    }
}
