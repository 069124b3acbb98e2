package org.flowbench.compute.lm;

import org.flowbench.compute.data.SeededRandom;
import org.flowbench.compute.norm.invariance.InvarianceOptimizer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The double-precision projection of the Normalization lab's scale-invariance toy and the
 * language-model trainer's float projection decide and project alike on the same vectors.
 */
class ProjectedOptimizerAgreementTest {

    @Test
    void bothProjectionsAgree() {
        SeededRandom random = new SeededRandom(17);
        int agreedProjections = 0;
        for (int trial = 0; trial < 200; trial++) {
            int n = 2 + random.nextInt(30);
            float[] p = new float[n];
            float[] g = new float[n];
            double[] w = new double[n];
            double[] gd = new double[n];
            double radial = trial % 2 == 0 ? 0 : random.nextDouble();
            for (int i = 0; i < n; i++) {
                p[i] = (float) random.nextGaussian();
                w[i] = p[i];
            }
            double ww = 0;
            double wg = 0;
            double[] raw = new double[n];
            for (int i = 0; i < n; i++) {
                raw[i] = random.nextGaussian();
                ww += w[i] * w[i];
                wg += w[i] * raw[i];
            }
            for (int i = 0; i < n; i++) {
                // tangential gradient plus a radial part on odd trials
                g[i] = (float) (raw[i] - (1 - radial) * wg / ww * w[i]);
                gd[i] = g[i];
            }
            double[] d1 = new double[n];
            double[] d2 = new double[n];
            for (int i = 0; i < n; i++) {
                d1[i] = random.nextGaussian();
                d2[i] = d1[i];
            }
            boolean a = ProjectedOptimizer.project(p, g, d1, ProjectedOptimizer.View.rows(0, 1, n));
            boolean b = InvarianceOptimizer.project(w, gd, d2);
            assertThat(b).as("trial " + trial).isEqualTo(a);
            for (int i = 0; i < n; i++) {
                assertThat(d2[i]).isCloseTo(d1[i], within(1e-5));
            }
            if (a) {
                agreedProjections++;
            }
        }
        assertThat(agreedProjections).as("both branches are exercised").isBetween(50, 150);
    }
}
