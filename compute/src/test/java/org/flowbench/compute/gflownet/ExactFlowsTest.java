package org.flowbench.compute.gflownet;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ExactFlowsTest {

    @Test
    void hypergridPartitionFunctionsAndModesMatchThePublishedValues() {
        ExactFlows small = ExactFlows.of(Environments.parse("hypergrid:D=2,H=8"));
        assertThat(small.z()).isCloseTo(22.4, within(1e-9));
        assertThat(small.modeCount()).isEqualTo(4);
        ExactFlows fourD = ExactFlows.of(Environments.parse("hypergrid:D=4,H=8"));
        assertThat(fourD.z()).isCloseTo(569.6, within(1e-8));
        assertThat(fourD.modeCount()).isEqualTo(16);
        ExactFlows tall = ExactFlows.of(Environments.parse("hypergrid:D=2,H=64"));
        assertThat(tall.z()).isCloseTo(1209.6, within(1e-8));
        assertThat(tall.modeCount()).isEqualTo(144);
    }

    @Test
    void harderRewardLowersOnlyTheBackground() {
        // 64 states, 16 in the outer corners, 4 modes: Z = 64 R0 + 16 R1 + 4 R2.
        assertThat(ExactFlows.of(Environments.parse("hypergrid:D=2,H=8,R0=0.001")).z()).isCloseTo(0.064 + 8 + 8, within(1e-9));
    }

    @Test
    void stateFlowOfTheOriginIsZAndFlowIsConservedAtEveryState() {
        ExactFlows exact = ExactFlows.of(Environments.parse("hypergrid:D=3,H=5"));
        StateGraph g = exact.graph();
        assertThat(exact.stateFlow(0)).isCloseTo(exact.z(), within(1e-9 * exact.z()));
        int actions = g.actions();
        double[] inflow = new double[g.size()];
        for (int i = 0; i < g.size(); i++) {
            double out = 0;
            for (int a = 0; a < actions; a++) {
                out += exact.edgeFlow(i, a);
                if (a < actions - 1 && g.child(i, a) >= 0) {
                    inflow[g.child(i, a)] += exact.edgeFlow(i, a);
                }
            }
            assertThat(out).isCloseTo(exact.stateFlow(i), within(1e-9 * exact.z()));
        }
        for (int i = 1; i < g.size(); i++) {
            assertThat(inflow[i]).isCloseTo(exact.stateFlow(i), within(1e-9 * exact.z()));
        }
    }

    @Test
    void theFlowPolicyInducesExactlyTheRewardDistribution() {
        ExactFlows exact = ExactFlows.of(Environments.parse("hypergrid:D=2,H=8"));
        StateGraph g = exact.graph();
        int actions = g.actions();
        double[] logPolicy = new double[g.size() * actions];
        for (int i = 0; i < g.size(); i++) {
            for (int a = 0; a < actions; a++) {
                logPolicy[i * actions + a] = Math.log(exact.edgeFlow(i, a) / exact.stateFlow(i));
            }
        }
        double[] p = ExactFlows.terminalDistribution(g, logPolicy);
        double[] target = exact.targetDistribution();
        for (int i = 0; i < p.length; i++) {
            assertThat(p[i]).isCloseTo(target[i], within(1e-12));
        }
        assertThat(Metrics.l1(p, target)).isLessThan(1e-10);
    }

    @Test
    void theUniformPolicyInducesADistributionThatIsNotTheTarget() {
        ExactFlows exact = ExactFlows.of(Environments.parse("hypergrid:D=2,H=8"));
        StateGraph g = exact.graph();
        int actions = g.actions();
        double[] logPolicy = new double[g.size() * actions];
        boolean[] mask = new boolean[actions];
        for (int i = 0; i < g.size(); i++) {
            g.forwardMask(i, mask);
            int allowed = 0;
            for (boolean m : mask) {
                allowed += m ? 1 : 0;
            }
            for (int a = 0; a < actions; a++) {
                logPolicy[i * actions + a] = mask[a] ? -Math.log(allowed) : Double.NEGATIVE_INFINITY;
            }
        }
        double[] p = ExactFlows.terminalDistribution(g, logPolicy);
        assertThat(java.util.Arrays.stream(p).sum()).isCloseTo(1.0, within(1e-12));
        // From the origin, exit with probability 1/3.
        assertThat(p[0]).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(Metrics.l1(p, exact.targetDistribution())).isGreaterThan(0.2);
    }

    @Test
    void setPartitionFunctionClosedFormMatchesEnumeration() {
        SetGeneration sets = new SetGeneration(10, 4, 7);
        ExactFlows exact = ExactFlows.of(sets);
        assertThat(exact.graph().size()).isEqualTo(1 + 10 + 45 + 120 + 210);
        assertThat(exact.logZ()).isCloseTo(sets.logPartitionClosedForm(), within(1e-10));
        assertThat(exact.stateFlow(0)).isCloseTo(exact.z(), within(1e-9 * exact.z()));
        // A full set: exit only; a partial one: every missing element, no exit.
        assertThat(sets.stateCount()).isEqualTo(386);
    }

    @Test
    void largeSetTasksAreNotEnumeratedButHaveTheirPartitionFunction() {
        SetGeneration sets = new SetGeneration(30, 20, 0);
        assertThat(sets.stateCount()).isEqualTo(-1);
        assertThatThrownBy(() -> StateGraph.of(sets)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too many states");
        assertThat(sets.logPartitionClosedForm()).isFinite();
        // e_S over all-equal weights would be C(U,S) w^S; with energies in [0,1) log Z lies between the extremes.
        double logBinomial = Math.log(30045015.0); // C(30, 20)
        assertThat(sets.logPartitionClosedForm()).isBetween(logBinomial - 20, logBinomial);
    }
}
