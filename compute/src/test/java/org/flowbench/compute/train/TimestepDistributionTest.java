package org.flowbench.compute.train;

import org.flowbench.compute.data.SeededRandom;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TimestepDistributionTest {

    private static final int N = 40_000;
    /** Kolmogorov-Smirnov critical value at the 0.1% level. */
    private static final double KS_CRITICAL = 1.95 / Math.sqrt(N);

    private static double ksDistance(TimestepDistribution d, long seed) {
        float[] t = new float[N];
        d.sample(new SeededRandom(seed), t, N);
        double[] sorted = new double[N];
        for (int i = 0; i < N; i++) {
            assertThat(t[i]).isBetween(0f, 1f);
            sorted[i] = t[i];
        }
        Arrays.sort(sorted);
        double worst = 0;
        for (int i = 0; i < N; i++) {
            double f = d.cdf(sorted[i]);
            worst = Math.max(worst, Math.max(Math.abs(f - (double) i / N), Math.abs(f - (double) (i + 1) / N)));
        }
        return worst;
    }

    @Test
    void samplesFollowTheirClosedFormCdfs() {
        assertThat(ksDistance(TimestepDistribution.parse("uniform"), 1)).isLessThan(KS_CRITICAL);
        assertThat(ksDistance(TimestepDistribution.parse("logit-normal"), 2)).isLessThan(KS_CRITICAL);
        assertThat(ksDistance(TimestepDistribution.parse("logit-normal:0.5,0.8"), 3)).isLessThan(KS_CRITICAL);
        assertThat(ksDistance(TimestepDistribution.parse("u-shaped"), 4)).isLessThan(KS_CRITICAL);
        assertThat(ksDistance(TimestepDistribution.parse("u-shaped:1.5"), 5)).isLessThan(KS_CRITICAL);
    }

    @Test
    void ksTestCanTellDistributionsApart() {
        // The same draws judged against a different law must fail, or the test above proves nothing.
        TimestepDistribution u = TimestepDistribution.parse("u-shaped:4");
        float[] t = new float[N];
        u.sample(new SeededRandom(9), t, N);
        double[] sorted = new double[N];
        for (int i = 0; i < N; i++) {
            sorted[i] = t[i];
        }
        Arrays.sort(sorted);
        double worst = 0;
        for (int i = 0; i < N; i++) {
            worst = Math.max(worst, Math.abs(TimestepDistribution.parse("uniform").cdf(sorted[i]) - (double) i / N));
        }
        assertThat(worst).isGreaterThan(5 * KS_CRITICAL);
    }

    @Test
    void uShapedDensityIsCoshShapedAndKeepsOffTheEnds() {
        TimestepDistribution.UShaped d = new TimestepDistribution.UShaped(4);
        // density ratio end : middle = cosh(2) : 1 = 3.7622
        double h = 1e-3;
        double atEnd = (d.cdf(0.05 + h) - d.cdf(0.05 - h)) / (2 * h);
        double atMiddle = (d.cdf(0.5 + h) - d.cdf(0.5 - h)) / (2 * h);
        assertThat(atEnd / atMiddle).isCloseTo(Math.cosh(4 * 0.45), within(1e-3));
        float[] t = new float[N];
        d.sample(new SeededRandom(11), t, N);
        for (float v : t) {
            assertThat(v).isBetween(1e-5f, 1 - 1e-5f);
        }
    }

    @Test
    void sameSeedSameDraws() {
        float[] a = new float[100];
        float[] b = new float[100];
        TimestepDistribution.parse("u-shaped:4").sample(new SeededRandom(42), a, 100);
        TimestepDistribution.parse("u-shaped:4").sample(new SeededRandom(42), b, 100);
        assertThat(a).containsExactly(b);
    }

    @Test
    void normalCdfMatchesKnownValues() {
        assertThat(TimestepDistribution.NormalCdf.phi(0)).isCloseTo(0.5, within(1e-7));
        assertThat(TimestepDistribution.NormalCdf.phi(1.959963985)).isCloseTo(0.975, within(1e-7));
        assertThat(TimestepDistribution.NormalCdf.phi(-1)).isCloseTo(0.158655254, within(1e-7));
    }

    @Test
    void badSpecsNameTheProblem() {
        assertThatThrownBy(() -> TimestepDistribution.parse("gamma")).hasMessageContaining("unknown time distribution 'gamma'");
        assertThatThrownBy(() -> TimestepDistribution.parse("u-shaped:-1")).hasMessageContaining("(0, 50]");
        assertThatThrownBy(() -> TimestepDistribution.parse("u-shaped:NaN")).hasMessageContaining("(0, 50]");
        assertThatThrownBy(() -> TimestepDistribution.parse("u-shaped:x")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> TimestepDistribution.parse("logit-normal:0")).hasMessageContaining("needs a mean and a std");
        assertThat(TimestepDistribution.parse(" U-Shaped ").spec()).isEqualTo("u-shaped:4.0");
        assertThat(TimestepDistribution.parse(TimestepDistribution.parse("logit-normal:1,2").spec()).spec()).isEqualTo("logit-normal:1.0,2.0");
    }
}
