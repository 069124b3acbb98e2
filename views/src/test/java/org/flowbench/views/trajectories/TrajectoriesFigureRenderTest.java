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
