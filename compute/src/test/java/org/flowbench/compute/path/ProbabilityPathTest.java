package org.flowbench.compute.path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.flowbench.compute.data.SeededRandom;
import org.junit.jupiter.api.Test;

class ProbabilityPathTest {
    private static final List<ProbabilityPath> PATHS = List.of(ProbabilityPath.rectified(), ProbabilityPath.icfm(0.1),
            ProbabilityPath.variancePreserving(), ProbabilityPath.lipman(0.05));

    @Test
    void targetIsTheTimeDerivativeOfTheInterpolant() {
        SeededRandom rng = new SeededRandom(1);
        int n = 50;
        float[] x0 = gaussian(rng, 2 * n);
        float[] x1 = gaussian(rng, 2 * n);
        float[] eps = gaussian(rng, 2 * n);
        float[] t = new float[n];
        for (int i = 0; i < n; i++) {
            t[i] = 0.05f + 0.9f * rng.nextFloat();
        }
        float h = 1e-3f;
        for (ProbabilityPath path : PATHS) {
            float[] tPlus = new float[n];
            float[] tMinus = new float[n];
            for (int i = 0; i < n; i++) {
                tPlus[i] = t[i] + h;
                tMinus[i] = t[i] - h;
            }
            float[] up = new float[2 * n];
            float[] down = new float[2 * n];
            float[] u = new float[2 * n];
            path.interpolate(x0, x1, tPlus, eps, up);
            path.interpolate(x0, x1, tMinus, eps, down);
            path.target(x0, x1, t, u);
            for (int k = 0; k < 2 * n; k++) {
                double fd = (up[k] - down[k]) / (double) (tPlus[k / 2] - tMinus[k / 2]);
                assertThat(u[k]).as("%s entry %d", path, k).isCloseTo((float) fd, within(2e-3f));
            }
        }
    }

    @Test
    void endpointsMatchTheTable() {
        float[] x0 = {1, 2};
        float[] x1 = {-3, 5};
        float[] eps = {0.5f, -0.5f};
        float[] out = new float[2];
        ProbabilityPath.rectified().interpolate(x0, x1, new float[] {0}, null, out);
        assertThat(out).containsExactly(1, 2);
        ProbabilityPath.variancePreserving().interpolate(x0, x1, new float[] {1}, null, out);
        assertThat(out[0]).isCloseTo(-3f, within(1e-6f));
        ProbabilityPath.icfm(0.2).interpolate(x0, x1, new float[] {0.5f}, eps, out);
        assertThat(out).containsExactly(-1 + 0.1f, 3.5f - 0.1f);
        ProbabilityPath.lipman(0.1).interpolate(x0, x1, new float[] {1}, null, out);
        assertThat(out[0]).isCloseTo(-3 + 0.1f, within(1e-6f));
        ProbabilityPath.lipman(0.1).target(x0, x1, new float[] {0.3f}, out);
        assertThat(out[1]).isCloseTo(5 - 0.9f * 2, within(1e-6f));
        ProbabilityPath.variancePreserving().target(x0, x1, new float[] {0}, out);
        assertThat(out[0]).isCloseTo((float) (Math.PI / 2 * -3), within(1e-6f));
    }

    @Test
    void namesAndBadInput() {
        assertThat(ProbabilityPath.byName("linear", 0)).isEqualTo(ProbabilityPath.rectified());
        assertThat(ProbabilityPath.byName("ICFM", 0.1)).isEqualTo(ProbabilityPath.icfm(0.1));
        assertThat(ProbabilityPath.byName("trig", 0).kind()).isEqualTo(ProbabilityPath.Kind.VARIANCE_PRESERVING);
        assertThat(ProbabilityPath.lipman(0.1).requiresGaussianSource()).isTrue();
        assertThatThrownBy(() -> ProbabilityPath.byName("bent", 0)).hasMessageContaining("bent").hasMessageContaining("icfm");
        assertThatThrownBy(() -> ProbabilityPath.icfm(Double.NaN)).hasMessageContaining("sigma");
        assertThatThrownBy(() -> ProbabilityPath.byName("vp", 0.3)).hasMessageContaining("no sigma");
        assertThatThrownBy(() -> ProbabilityPath.icfm(0.1).interpolate(new float[2], new float[2], new float[1], null, new float[2]))
                .hasMessageContaining("eps");
    }

    static float[] gaussian(SeededRandom rng, int length) {
        float[] a = new float[length];
        rng.fillGaussian(a);
        return a;
    }
}
