package org.flowbench.compute.gflownet;

import org.flowbench.compute.data.SeededRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TransitionCreditTest {

    private static final HyperGrid GRID = new HyperGrid(2, 5, 0.1, 0.5, 2.0);

    private static Trajectory trajectory(long seed) {
        return ObjectiveTest.randomTrajectories(GRID, 1, new SeededRandom(seed)).get(0);
    }

    private static Trajectory longTrajectory() {
        for (long seed = 0; ; seed++) {
            Trajectory t = trajectory(seed);
            if (t.moves() >= 4) {
                return t;
            }
        }
    }

    private static double[] randomOutputs(int rows, long seed) {
        SeededRandom random = new SeededRandom(seed);
        double[] out = new double[rows * (GRID.actionCount() + 1)];
        for (int i = 0; i < out.length; i++) {
            out[i] = random.nextDouble() * 2 - 1;
        }
        return out;
    }

    /** Outputs of the exact solution: logits log F(s -> .), log flow log F(s) (log F~(s) for FL-DB). */
    private static double[] exactOutputs(Trajectory t, ExactFlows exact, boolean forwardLooking) {
        int a = GRID.actionCount();
        double[] out = new double[t.length() * (a + 1)];
        for (int r = 0; r < t.length(); r++) {
            int[] s = t.state(r);
            int i = exact.graph().indexOf(s);
            for (int j = 0; j < a; j++) {
                double f = exact.edgeFlow(i, j);
                out[r * (a + 1) + j] = f > 0 ? Math.log(f) : 0;
            }
            out[r * (a + 1) + a] = Math.log(exact.stateFlow(i)) + (forwardLooking ? GRID.energy(s) : 0);
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"tb", "db", "subtb:0.9", "fldb"})
    void theExactSolutionLeavesNoResidualAndNoGradient(String loss) {
        ExactFlows exact = ExactFlows.of(GRID);
        Objective objective = Objective.parse(loss);
        Trajectory t = longTrajectory();
        TransitionCredit credit = TransitionCredit.of(GRID, t, objective,
                exactOutputs(t, exact, objective.kind() == Objective.Kind.FLDB), exact.logZ());
        assertThat(credit.transitions()).isEqualTo(t.moves() + 1);
        for (int k = 0; k < credit.transitions(); k++) {
            assertThat(credit.residuals()[k]).as("residual %d", k).isCloseTo(0, within(1e-9));
            assertThat(credit.gradientNorms()[k]).as("gradient %d", k).isCloseTo(0, within(1e-9));
        }
        assertThat(credit.loss()).isCloseTo(0, within(1e-15));
    }

    @Test
    void trajectoryBalanceGivesOneGlobalResidualWhoseSquareIsTheLoss() {
        Trajectory t = longTrajectory();
        TransitionCredit credit = TransitionCredit.of(GRID, t, Objective.TB, randomOutputs(t.length(), 3), 0.7);
        for (double r : credit.residuals()) {
            assertThat(r).isEqualTo(credit.residuals()[0]);
        }
        assertThat(credit.residuals()[0] * credit.residuals()[0]).isCloseTo(credit.loss(), within(1e-12));
    }

    @ParameterizedTest
    @ValueSource(strings = {"db", "fldb"})
    void detailedBalanceResidualsAreLocalAndAverageToTheLoss(String loss) {
        Objective objective = Objective.parse(loss);
        Trajectory t = longTrajectory();
        double[] out = randomOutputs(t.length(), 4);
        TransitionCredit before = TransitionCredit.of(GRID, t, objective, out, 0);
        double mean = 0;
        for (double r : before.residuals()) {
            mean += r * r / before.transitions();
        }
        assertThat(mean).isCloseTo(before.loss(), within(1e-12));
        // Changing the log flow of state 3 moves only the residuals of transitions 2 and 3.
        int w = GRID.actionCount() + 1;
        out[3 * w + w - 1] += 0.5;
        TransitionCredit after = TransitionCredit.of(GRID, t, objective, out, 0);
        for (int k = 0; k < before.transitions(); k++) {
            if (k == 2 || k == 3) {
                assertThat(after.residuals()[k]).isNotCloseTo(before.residuals()[k], within(1e-3));
            } else {
                assertThat(after.residuals()[k]).isEqualTo(before.residuals()[k]);
            }
        }
        // Trajectory balance, by contrast, moves every residual when one logit changes.
        double[] tbOut = randomOutputs(t.length(), 4);
        TransitionCredit tb0 = TransitionCredit.of(GRID, t, Objective.TB, tbOut, 0);
        tbOut[3 * w + t.actions()[3]] += 0.5;
        TransitionCredit tb1 = TransitionCredit.of(GRID, t, Objective.TB, tbOut, 0);
        for (int k = 0; k < tb0.transitions(); k++) {
            assertThat(tb1.residuals()[k]).isNotCloseTo(tb0.residuals()[k], within(1e-3));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tb", "db", "subtb:0.9", "fldb"})
    void eachTransitionsGradientMatchesFiniteDifferences(String loss) {
        Objective objective = Objective.parse(loss);
        Trajectory t = longTrajectory();
        double[] out = randomOutputs(t.length(), 5);
        double logZ = 0.3;
        TransitionCredit credit = TransitionCredit.of(GRID, t, objective, out, logZ);
        int w = GRID.actionCount() + 1;
        boolean[] mask = new boolean[GRID.actionCount()];
        double h = 1e-6;
        for (int k = 0; k < credit.transitions(); k++) {
            GRID.forwardMask(t.state(k), mask);
            double normSquared = 0;
            for (int j = 0; j < w; j++) {
                if (j < w - 1 && !mask[j]) {
                    assertThat(credit.gradients()[k * w + j]).isZero();
                    continue;
                }
                double keep = out[k * w + j];
                out[k * w + j] = keep + h;
                double up = TransitionCredit.of(GRID, t, objective, out, logZ).loss();
                out[k * w + j] = keep - h;
                double down = TransitionCredit.of(GRID, t, objective, out, logZ).loss();
                out[k * w + j] = keep;
                double fd = (up - down) / (2 * h);
                assertThat(credit.gradients()[k * w + j]).as("transition %d output %d", k, j).isCloseTo(fd, within(1e-6));
                normSquared += fd * fd;
            }
            assertThat(credit.gradientNorms()[k]).isCloseTo(Math.sqrt(normSquared), within(1e-6));
        }
    }

    @Test
    void anIncompleteTrajectoryTrainsTheLocalObjectivesOnly() {
        Trajectory t = longTrajectory().truncate(3);
        double[] out = randomOutputs(t.length(), 6);
        TransitionCredit fl = TransitionCredit.of(GRID, t, Objective.FLDB, out, 0);
        assertThat(fl.transitions()).isEqualTo(3);
        assertThat(java.util.Arrays.stream(fl.gradientNorms()).allMatch(g -> g > 0)).isTrue();
        assertThat(TransitionCredit.of(GRID, t, Objective.DB, out, 0).transitions()).isEqualTo(3);
        assertThatThrownBy(() -> TransitionCredit.of(GRID, t, Objective.TB, out, 0))
                .hasMessageContaining("needs the reward");
        assertThatThrownBy(() -> TransitionCredit.of(GRID, t, Objective.subTrajectory(0.9), out, 0))
                .hasMessageContaining("needs the reward");
        assertThatThrownBy(() -> TransitionCredit.of(GRID, longTrajectory(), Objective.FM, randomOutputs(1, 1), 0))
                .hasMessageContaining("flow matching");
        assertThatThrownBy(() -> TransitionCredit.of(GRID, longTrajectory(), Objective.TB, new double[3], 0))
                .hasMessageContaining("outputs hold 3");
    }

    @Test
    void networkOutputsGiveTheSameCreditAsTheArray() {
        try (var device = new org.flowbench.compute.device.cpu.CpuDevice(1);
             PolicyNetwork net = PolicyNetwork.create(device, NetworkShape.forEnvironment(GRID, new int[] {16},
                     org.flowbench.compute.device.Activation.RELU), 9)) {
            Trajectory t = longTrajectory();
            TransitionCredit viaNetwork = TransitionCredit.of(GRID, t, Objective.DB, net, 0);
            TrajectoryBatch batch = TrajectoryBatch.of(GRID, List.of(t), false);
            float[] o = new float[t.length() * (GRID.actionCount() + 1)];
            net.evaluate(batch.encodings(), t.length(), o);
            double[] od = new double[o.length];
            for (int i = 0; i < o.length; i++) {
                od[i] = o[i];
            }
            assertThat(viaNetwork.residuals()).containsExactly(TransitionCredit.of(GRID, t, Objective.DB, od, 0).residuals());
        }
    }
}
