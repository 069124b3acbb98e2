package org.flowbench.compute.path;

import java.util.Locale;
import org.flowbench.compute.data.SeededRandom;
import org.flowbench.compute.ot.LinearAssignment;
import org.flowbench.compute.ot.SquaredEuclideanOt;

/** The couplings of conditional flow matching. */
public final class Couplings {

    /** Pairs rows by a seeded random permutation of the targets. */
    public static final Coupling INDEPENDENT = new Coupling() {
        @Override
        public String name() {
            return "independent";
        }

        @Override
        public void pair(float[] x0, float[] x1, int n, SeededRandom random) {
            checkBatch(x0, x1, n);
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                swapRows(x1, i, j);
            }
        }
    };

    /**
     * Exact minibatch optimal transport: the permutation of the targets that minimises the total
     * squared Euclidean distance to the sources (flows.md; OT-CFM). Deterministic; the random
     * generator is not used. Batches up to {@link LinearAssignment#MAX_SIZE}.
     */
    public static final Coupling EXACT_OT = new Coupling() {
        @Override
        public String name() {
            return "ot";
        }

        @Override
        public void pair(float[] x0, float[] x1, int n, SeededRandom random) {
            checkBatch(x0, x1, n);
            int[] partner = SquaredEuclideanOt.match(x0, x1, n).rowToColumn();
            float[] drawn = java.util.Arrays.copyOf(x1, 2 * n);
            for (int i = 0; i < n; i++) {
                x1[2 * i] = drawn[2 * partner[i]];
                x1[2 * i + 1] = drawn[2 * partner[i] + 1];
            }
        }
    };

    private Couplings() {
    }

    /** {@code independent} (or {@code indep}) or {@code ot} (or {@code exact-ot}, {@code minibatch-ot}). */
    public static Coupling byName(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (key) {
            case "independent", "indep" -> INDEPENDENT;
            case "ot", "exact-ot", "minibatch-ot" -> EXACT_OT;
            default -> throw new IllegalArgumentException("unknown coupling '" + name + "'; known couplings: independent, ot");
        };
    }

    private static void checkBatch(float[] x0, float[] x1, int n) {
        if (n < 0 || x0 == null || x1 == null || x0.length < 2 * n || x1.length < 2 * n) {
            throw new IllegalArgumentException("coupling of " + n + " pairs needs x0 and x1 with at least " + 2 * n + " entries");
        }
    }

    private static void swapRows(float[] xy, int i, int j) {
        float x = xy[2 * i];
        float y = xy[2 * i + 1];
        xy[2 * i] = xy[2 * j];
        xy[2 * i + 1] = xy[2 * j + 1];
        xy[2 * j] = x;
        xy[2 * j + 1] = y;
    }
}
