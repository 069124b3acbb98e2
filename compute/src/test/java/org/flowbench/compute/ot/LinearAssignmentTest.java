package org.flowbench.compute.ot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.CancellationException;
import org.flowbench.compute.data.SeededRandom;
import org.junit.jupiter.api.Test;

class LinearAssignmentTest {

    @Test
    void matchesBruteForceOnAllSmallSizes() {
        SeededRandom rng = new SeededRandom(1);
        for (int n = 1; n <= 7; n++) {
            for (int trial = 0; trial < 20; trial++) {
                double[] c = new double[n * n];
                for (int k = 0; k < c.length; k++) {
                    // integer costs in half the trials force ties
                    c[k] = trial % 2 == 0 ? rng.nextInt(5) : rng.nextDouble() * 10 - 3;
                }
                AssignmentSolution s = LinearAssignment.solve(c, n);
                assertThat(s.totalCost()).as("n=%d trial=%d", n, trial).isCloseTo(bruteForce(c, n), within(1e-9));
                assertIsPermutation(s.rowToColumn());
            }
        }
    }

    @Test
    void dualPotentialsCertifyOptimalityOnRandomSizes() {
        SeededRandom rng = new SeededRandom(2);
        for (int trial = 0; trial < 12; trial++) {
            int n = 1 + rng.nextInt(300);
            double[] c = new double[n * n];
            for (int k = 0; k < c.length; k++) {
                c[k] = rng.nextDouble() * 100;
            }
            AssignmentSolution s = LinearAssignment.solve(c, n);
            double[] u = s.rowPotential();
            double[] v = s.columnPotential();
            double dual = 0;
            for (int i = 0; i < n; i++) {
                dual += u[i] + v[i];
                for (int j = 0; j < n; j++) {
                    assertThat(u[i] + v[j]).isLessThanOrEqualTo(c[i * n + j] + 1e-7);
                }
                assertThat(u[i] + v[s.rowToColumn()[i]]).isCloseTo(c[i * n + s.rowToColumn()[i]], within(1e-7));
            }
            // weak duality: any feasible dual bounds every assignment from below; equality proves optimality
            assertThat(dual).isCloseTo(s.totalCost(), within(1e-6 * Math.max(1, s.totalCost())));
            assertIsPermutation(s.rowToColumn());
            assertThat(s.totalCost()).isCloseTo(ReferenceHungarian.minimumCost(c, n), within(1e-8 * Math.max(1, s.totalCost())));
        }
    }

    @Test
    void agreesWithTheTextbookHungarianOnPointSetsWithTies() {
        SeededRandom rng = new SeededRandom(4);
        for (int trial = 0; trial < 10; trial++) {
            int n = 2 + rng.nextInt(120);
            float[] a = new float[2 * n];
            float[] b = new float[2 * n];
            for (int k = 0; k < 2 * n; k++) {
                // coarse integer grid: many equal distances
                a[k] = rng.nextInt(4);
                b[k] = rng.nextInt(4);
            }
            double[] c = SquaredEuclideanOt.costMatrix(a, b, n);
            assertThat(SquaredEuclideanOt.match(a, b, n).totalCost()).isEqualTo(ReferenceHungarian.minimumCost(c, n));
        }
    }

    @Test
    void findsTheHiddenPermutationOfAShuffledSet() {
        SeededRandom rng = new SeededRandom(3);
        int n = 200;
        float[] a = new float[2 * n];
        for (int k = 0; k < a.length; k++) {
            a[k] = (float) rng.nextGaussian();
        }
        int[] perm = rng.permutation(n);
        float[] b = new float[2 * n];
        for (int i = 0; i < n; i++) {
            b[2 * perm[i]] = a[2 * i];
            b[2 * perm[i] + 1] = a[2 * i + 1];
        }
        AssignmentSolution s = SquaredEuclideanOt.match(a, b, n);
        assertThat(s.rowToColumn()).isEqualTo(perm);
        assertThat(s.totalCost()).isZero();
        assertThat(s.columnToRow()[perm[5]]).isEqualTo(5);
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> LinearAssignment.solve(new double[] {1, Double.NaN, 0, 0}, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-finite");
        assertThatThrownBy(() -> LinearAssignment.solve(new double[3], 2)).hasMessageContaining("n*n");
        assertThatThrownBy(() -> LinearAssignment.solve(new double[0], LinearAssignment.MAX_SIZE + 1))
                .hasMessageContaining("assignment size");
        assertThat(LinearAssignment.solve(new double[0], 0).totalCost()).isZero();
    }

    @Test
    void honoursInterruption() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> LinearAssignment.solve(new double[4], 2)).isInstanceOf(CancellationException.class);
        } finally {
            Thread.interrupted();
        }
    }

    static double bruteForce(double[] c, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return permute(c, n, p, 0);
    }

    private static double permute(double[] c, int n, int[] p, int k) {
        if (k == n) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += c[i * n + p[i]];
            }
            return s;
        }
        double best = Double.POSITIVE_INFINITY;
        for (int i = k; i < n; i++) {
            int t = p[k]; p[k] = p[i]; p[i] = t;
            best = Math.min(best, permute(c, n, p, k + 1));
            t = p[k]; p[k] = p[i]; p[i] = t;
        }
        return best;
    }

    private static void assertIsPermutation(int[] p) {
        boolean[] seen = new boolean[p.length];
        for (int j : p) {
            assertThat(seen[j]).isFalse();
            seen[j] = true;
        }
    }
}
