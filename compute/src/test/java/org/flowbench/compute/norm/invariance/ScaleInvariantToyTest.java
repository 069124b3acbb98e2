package org.flowbench.compute.norm.invariance;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ScaleInvariantToyTest {

    private static final double TARGET = Math.toRadians(20);

    @Test
    void lossIsScaleInvariantAndTheGradientMatchesFiniteDifferences() {
        double[] w = {0.3, -1.7};
        assertThat(ScaleInvariantToy.loss(new double[] {3 * w[0], 3 * w[1]}, TARGET))
                .isCloseTo(ScaleInvariantToy.loss(w, TARGET), within(1e-14));
        double[] g = ScaleInvariantToy.gradient(w, TARGET);
        double h = 1e-6;
        for (int i = 0; i < 2; i++) {
            double[] plus = w.clone();
            double[] minus = w.clone();
            plus[i] += h;
            minus[i] -= h;
            double fd = (ScaleInvariantToy.loss(plus, TARGET) - ScaleInvariantToy.loss(minus, TARGET)) / (2 * h);
            assertThat(g[i]).isCloseTo(fd, within(1e-8));
        }
        // orthogonal to w, and 1/||w|| in size: at 4 w the gradient is a quarter
        assertThat(g[0] * w[0] + g[1] * w[1]).isCloseTo(0, within(1e-15));
        double[] g4 = ScaleInvariantToy.gradient(new double[] {4 * w[0], 4 * w[1]}, TARGET);
        assertThat(g4[0]).isCloseTo(g[0] / 4, within(1e-15));
        assertThat(g4[1]).isCloseTo(g[1] / 4, within(1e-15));
    }

    @Test
    void plainGradientDescentGrowsTheSquaredNormByExactlyLrSquaredTimesTheGradient() {
        double lr = 0.3;
        double[] w = {Math.cos(2.0), Math.sin(2.0)};
        InvarianceOptimizer.Stepper sgd = InvarianceOptimizer.SGD.stepper(2, 0.9, 0.999, 0);
        for (int t = 0; t < 50; t++) {
            double[] g = ScaleInvariantToy.gradient(w, TARGET);
            double before = w[0] * w[0] + w[1] * w[1];
            double gg = g[0] * g[0] + g[1] * g[1];
            sgd.step(w, g, lr);
            double after = w[0] * w[0] + w[1] * w[1];
            assertThat(after).isCloseTo(before + lr * lr * gg, within(1e-14 * after));
            assertThat(after).isGreaterThan(before);
        }
    }

    @Test
    void momentumGrowsTheNormFasterAndProjectionKeepsThePlainRate() {
        ScaleInvariantToy.Settings s = new ScaleInvariantToy.Settings(0.1, 200, 0.9, 0.999, 0, 1, 135, 0, 0.5);
        List<ScaleInvariantToy.Run> runs = ScaleInvariantToy.runAll(List.of(InvarianceOptimizer.values()), s, 3);
        double sgd = last(runs.get(0).norm());
        double momentum = last(runs.get(1).norm());
        double sgdp = last(runs.get(3).norm());
        double adam = last(runs.get(2).norm());
        double adamp = last(runs.get(4).norm());
        assertThat(momentum).as("momentum vs plain SGD").isGreaterThan(sgd * 1.05);
        assertThat(sgdp).as("SGDP vs SGD + momentum").isLessThan(momentum);
        assertThat(adamp).as("AdamP vs Adam").isLessThan(adam);
        // Each SGDP step that projects is orthogonal to w, ||w'||^2 = ||w||^2 + lr^2 ||d||^2, up to
        // the 1e-8 the authors add to ||w|| when they normalise it.
        ScaleInvariantToy.Run run = runs.get(3);
        int projected = 0;
        for (int t = 0; t < run.steps(); t++) {
            if (!run.projected()[t]) {
                continue;
            }
            projected++;
            double[] p = run.path();
            double dx = p[2 * t + 2] - p[2 * t];
            double dy = p[2 * t + 3] - p[2 * t + 1];
            double radial = dx * p[2 * t] + dy * p[2 * t + 1];
            double n0 = run.norm()[t];
            double n1 = run.norm()[t + 1];
            assertThat(Math.abs(radial)).as("radial part of step " + t).isLessThan(1e-8 * n0 * n0);
            assertThat(n1 * n1).isCloseTo(n0 * n0 + dx * dx + dy * dy, within(2e-8 * n0 * n0));
        }
        assertThat(projected).as("a scale-invariant gradient passes the cosine test every step").isEqualTo(run.steps());
        // effective step is lr / ||w||^2
        assertThat(runs.get(1).effectiveStep()[200]).isCloseTo(0.1 / (momentum * momentum), within(1e-15));
    }

    @Test
    void runsAreReproducibleFromTheSeedAndTheNoiseDependsOnIt() {
        ScaleInvariantToy.Settings s = ScaleInvariantToy.Settings.defaults();
        ScaleInvariantToy.Run a = ScaleInvariantToy.run(InvarianceOptimizer.ADAMP, s, 11);
        ScaleInvariantToy.Run b = ScaleInvariantToy.run(InvarianceOptimizer.ADAMP, s, 11);
        ScaleInvariantToy.Run c = ScaleInvariantToy.run(InvarianceOptimizer.ADAMP, s, 12);
        assertThat(a.path()).containsExactly(b.path());
        assertThat(a.path()).isNotEqualTo(c.path());
    }

    @Test
    void badSettingsAreRefusedWithOneLine() {
        assertThatThrownBy(() -> new ScaleInvariantToy.Settings(0, 10, 0.9, 0.999, 0, 1, 0, 0, 0))
                .hasMessage("lr must be in (0, 10], got 0.0");
        assertThatThrownBy(() -> new ScaleInvariantToy.Settings(0.1, 10, 1, 0.999, 0, 1, 0, 0, 0))
                .hasMessageContaining("momentum");
        assertThatThrownBy(() -> new ScaleInvariantToy.Settings(0.1, 10, 0.9, 0.999, 0, Double.NaN, 0, 0, 0))
                .hasMessageContaining("initial norm");
        assertThatThrownBy(() -> InvarianceOptimizer.byId("lion")).hasMessageContaining("sgdp");
    }

    private static double last(double[] a) {
        return a[a.length - 1];
    }
}
