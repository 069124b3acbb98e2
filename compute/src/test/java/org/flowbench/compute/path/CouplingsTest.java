package org.flowbench.compute.path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.flowbench.compute.data.Datasets;
import org.flowbench.compute.data.SeededRandom;
import org.junit.jupiter.api.Test;

class CouplingsTest {

    @Test
    void exactOtPairingIsNeverWorseThanAnyShuffleAndKeepsTheTargets() {
        int n = 128;
        float[] x0 = Datasets.NORMAL.sample(n, 1);
        float[] targets = Datasets.MOONS.sample(n, 2);
        float[] ot = targets.clone();
        Couplings.EXACT_OT.pair(x0, ot, n, new SeededRandom(0));
        double otCost = cost(x0, ot);
        for (int s = 0; s < 20; s++) {
            float[] shuffled = targets.clone();
            Couplings.INDEPENDENT.pair(x0, shuffled, n, new SeededRandom(s));
            assertThat(otCost).isLessThanOrEqualTo(cost(x0, shuffled));
        }
        assertThat(sortedRows(ot)).isEqualTo(sortedRows(targets));
    }

    @Test
    void independentPairingIsASeededPermutation() {
        int n = 64;
        float[] x0 = Datasets.NORMAL.sample(n, 1);
        float[] a = Datasets.MOONS.sample(n, 2);
        float[] b = a.clone();
        float[] original = a.clone();
        Couplings.INDEPENDENT.pair(x0, a, n, new SeededRandom(5));
        Couplings.INDEPENDENT.pair(x0, b, n, new SeededRandom(5));
        assertThat(a).isEqualTo(b).isNotEqualTo(original);
        assertThat(sortedRows(a)).isEqualTo(sortedRows(original));
        assertThat(Couplings.byName("OT")).isSameAs(Couplings.EXACT_OT);
        assertThatThrownBy(() -> Couplings.byName("sinkhorn")).hasMessageContaining("independent, ot");
    }

    private static double cost(float[] a, float[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += (a[k] - b[k]) * (double) (a[k] - b[k]);
        }
        return s;
    }

    private static long[] sortedRows(float[] xy) {
        long[] keys = new long[xy.length / 2];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = ((long) Float.floatToIntBits(xy[2 * i]) << 32) | (Float.floatToIntBits(xy[2 * i + 1]) & 0xFFFFFFFFL);
        }
        Arrays.sort(keys);
        return keys;
    }
}
