package org.flowbench.compute.gflownet;

import org.flowbench.compute.data.SeededRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ObjectiveTest {

    /** Trajectories of a uniformly random forward policy, written without the network. */
    static List<Trajectory> randomTrajectories(GfnEnvironment env, int count, SeededRandom random) {
        List<Trajectory> list = new ArrayList<>();
        int dim = env.dimension();
        boolean[] mask = new boolean[env.actionCount()];
        for (int k = 0; k < count; k++) {
            int[] s = env.initialState();
            int[] states = new int[(env.maxTrajectoryLength() + 1) * dim];
            int[] actions = new int[env.maxTrajectoryLength() + 1];
            int length = 0;
            while (true) {
                System.arraycopy(s, 0, states, length * dim, dim);
                env.forwardMask(s, mask);
                int allowed = 0;
                for (boolean m : mask) {
                    allowed += m ? 1 : 0;
                }
                int pick = random.nextInt(allowed);
                int a = -1;
                for (int j = 0; j < mask.length; j++) {
                    if (mask[j] && pick-- == 0) {
                        a = j;
                        break;
                    }
                }
                actions[length++] = a;
                if (a == env.exitAction()) {
                    break;
                }
                env.step(s, a, s);
            }
            list.add(new Trajectory(dim, Arrays.copyOf(states, length * dim), Arrays.copyOf(actions, length)));
        }
        return list;
    }

    private static GfnEnvironment env(String which) {
        return which.startsWith("sets") ? new SetGeneration(6, 3, 5) : new HyperGrid(2, 4, 0.1, 0.5, 2.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tb@grid", "db@grid", "subtb:0.9@grid", "subtb:2@grid", "fldb@grid", "fm@grid",
            "tb@sets", "db@sets", "subtb:0.9@sets", "fldb@sets", "fm@sets"})
    void gradientsMatchFiniteDifferences(String which) {
        String[] parts = which.split("@");
        Objective objective = Objective.parse(parts[0]);
        GfnEnvironment env = env(parts[1]);
        SeededRandom random = new SeededRandom(11);
        TrajectoryBatch batch = TrajectoryBatch.of(env, randomTrajectories(env, 5, random), objective.needsParents());
        checkGradients(objective, batch, random);
    }

    @ParameterizedTest
    @ValueSource(strings = {"db", "fldb"})
    void gradientsMatchFiniteDifferencesOnIncompleteTrajectories(String loss) {
        GfnEnvironment env = env("grid");
        SeededRandom random = new SeededRandom(12);
        List<Trajectory> cut = new ArrayList<>();
        for (Trajectory t : randomTrajectories(env, 8, random)) {
            cut.add(t.truncate(random.nextInt(t.moves() + 1)));
        }
        TrajectoryBatch batch = TrajectoryBatch.of(env, cut, false);
        assertThat(batch.isComplete(0)).isFalse();
        checkGradients(Objective.parse(loss), batch, random);
    }

    private static void checkGradients(Objective objective, TrajectoryBatch batch, SeededRandom random) {
        int w = batch.environment().actionCount() + 1;
        double[] out = new double[batch.totalRows() * w];
        for (int i = 0; i < out.length; i++) {
            out[i] = random.nextGaussian();
        }
        double logZ = 0.7;
        double[] dOut = new double[out.length];
        double[] dLogZ = new double[1];
        double loss = objective.evaluate(batch, out, logZ, dOut, dLogZ);
        assertThat(loss).isPositive();
        double h = 1e-6;
        double[] scratch = new double[out.length];
        double[] z = new double[1];
        double maxGrad = 0;
        for (int i = 0; i < out.length; i++) {
            double keep = out[i];
            out[i] = keep + h;
            double up = objective.evaluate(batch, out, logZ, scratch, z);
            out[i] = keep - h;
            double down = objective.evaluate(batch, out, logZ, scratch, z);
            out[i] = keep;
            double numeric = (up - down) / (2 * h);
            assertThat(dOut[i]).as("output %d of %s", i, objective).isCloseTo(numeric, within(1e-6 + 1e-5 * Math.abs(numeric)));
            maxGrad = Math.max(maxGrad, Math.abs(dOut[i]));
        }
        assertThat(maxGrad).isPositive();
        double up = objective.evaluate(batch, out, logZ + h, scratch, z);
        double down = objective.evaluate(batch, out, logZ - h, scratch, z);
        assertThat(dLogZ[0]).isCloseTo((up - down) / (2 * h), within(1e-6));
        if (!objective.usesLogZ()) {
            assertThat(dLogZ[0]).isZero();
        }
    }

    /** Network outputs that hold the exact solution: true policy logits, true log flows (or F~ for FL-DB). */
    private static double[] exactOutputs(TrajectoryBatch batch, ExactFlows exact, Objective objective, List<int[]> rowStates) {
        StateGraph g = exact.graph();
        GfnEnvironment env = g.environment();
        int a = env.actionCount();
        double[] out = new double[batch.totalRows() * (a + 1)];
        for (int r = 0; r < rowStates.size(); r++) {
            int i = g.indexOf(rowStates.get(r));
            for (int j = 0; j < a; j++) {
                double f = exact.edgeFlow(i, j);
                out[r * (a + 1) + j] = f > 0 ? Math.log(f) : -30;
            }
            double logF = Math.log(exact.stateFlow(i));
            out[r * (a + 1) + a] = objective.kind() == Objective.Kind.FLDB ? logF + env.energy(rowStates.get(r)) : logF;
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"tb", "db", "subtb:0.9", "fldb", "fm"})
    void theExactSolutionHasZeroLoss(String loss) {
        Objective objective = Objective.parse(loss);
        for (GfnEnvironment env : new GfnEnvironment[] {env("grid"), env("sets")}) {
            ExactFlows exact = ExactFlows.of(env);
            List<Trajectory> trajectories = randomTrajectories(env, 6, new SeededRandom(3));
            TrajectoryBatch batch = TrajectoryBatch.of(env, trajectories, objective.needsParents());
            List<int[]> rowStates = new ArrayList<>();
            for (Trajectory t : trajectories) {
                for (int i = 0; i < t.length(); i++) {
                    rowStates.add(t.state(i));
                }
            }
            if (objective.needsParents()) {
                int[] parent = new int[env.dimension()];
                boolean[] back = new boolean[env.backwardActionCount()];
                for (Trajectory t : trajectories) {
                    for (int i = 1; i < t.length(); i++) {
                        env.backwardMask(t.state(i), back);
                        for (int b = 0; b < back.length; b++) {
                            if (back[b]) {
                                env.stepBack(t.state(i), b, parent);
                                rowStates.add(parent.clone());
                            }
                        }
                    }
                }
            }
            assertThat(rowStates).hasSize(batch.totalRows());
            double[] out = exactOutputs(batch, exact, objective, rowStates);
            double[] dOut = new double[out.length];
            double value = objective.evaluate(batch, out, exact.logZ(), dOut, new double[1]);
            assertThat(value).as("%s on %s", loss, env.spec()).isLessThan(1e-18);
            assertThat(objective.estimateLogZ(env, Arrays.copyOfRange(out, 0, env.actionCount() + 1), exact.logZ()))
                    .isCloseTo(exact.logZ(), within(1e-9));
            // A wrong log Z or a shifted flow is penalised.
            if (objective.usesLogZ()) {
                assertThat(objective.evaluate(batch, out, exact.logZ() + 0.5, dOut, new double[1])).isCloseTo(0.25, within(1e-9));
            }
        }
    }

    @Test
    void onlyLocalObjectivesTakeIncompleteTrajectories() {
        GfnEnvironment env = env("grid");
        List<Trajectory> cut = new ArrayList<>();
        for (Trajectory t : randomTrajectories(env, 4, new SeededRandom(1))) {
            cut.add(t.truncate(0));
        }
        TrajectoryBatch batch = TrajectoryBatch.of(env, cut, false);
        double[] out = new double[batch.totalRows() * 4];
        assertThatThrownBy(() -> Objective.TB.evaluate(batch, out, 0, new double[out.length], new double[1]))
                .hasMessageContaining("complete trajectories");
        assertThat(Objective.FLDB.evaluate(batch, out, 0, new double[out.length], new double[1])).isZero();
    }

    @Test
    void lossNamesParse() {
        assertThat(Objective.parse("SubTB:0.5").spec()).isEqualTo("subtb:0.5");
        assertThat(Objective.parse("subtb").lambda()).isEqualTo(0.9);
        assertThatThrownBy(() -> Objective.parse("kl")).hasMessageContaining("unknown loss 'kl'");
        assertThatThrownBy(() -> Objective.parse("subtb:-1")).hasMessageContaining("lambda must be positive");
    }
}
