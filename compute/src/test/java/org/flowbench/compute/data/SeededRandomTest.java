package org.flowbench.compute.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SeededRandomTest {

    @Test
    void matchesPublishedSplitMix64Vectors() {
        SeededRandom rng = new SeededRandom(0L);
        assertThat(rng.nextLong()).isEqualTo(0xE220A8397B1DCDAFL);
        assertThat(rng.nextLong()).isEqualTo(0x6E789E6AA1B965F4L);
        assertThat(rng.nextLong()).isEqualTo(0x06C45D188009454FL);
    }

    @Test
    void nextIntIsUniformOverSmallBound() {
        SeededRandom rng = new SeededRandom(7);
        int[] counts = new int[5];
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            counts[rng.nextInt(5)]++;
        }
        for (int c : counts) {
            assertThat((double) c / n).isCloseTo(0.2, within(0.01));
        }
    }

    @Test
    void gaussianHasUnitMomentsAndPermutationIsAPermutation() {
        SeededRandom rng = new SeededRandom(11);
        double s = 0;
        double s2 = 0;
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            double g = rng.nextGaussian();
            s += g;
            s2 += g * g;
        }
        assertThat(s / n).isCloseTo(0.0, within(0.01));
        assertThat(s2 / n).isCloseTo(1.0, within(0.01));
        int[] p = new SeededRandom(3).permutation(50);
        boolean[] seen = new boolean[50];
        for (int v : p) {
            seen[v] = true;
        }
        for (boolean b : seen) {
            assertThat(b).isTrue();
        }
    }
}
