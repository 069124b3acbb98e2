package org.flowbench.views.gflownet;

import org.flowbench.compute.device.cpu.CpuDevice;
import org.flowbench.compute.gflownet.HyperGrid;
import org.flowbench.compute.gflownet.PolicyNetwork;
import org.flowbench.compute.gflownet.Trajectory;
import org.flowbench.views.device.DeviceSelection;
import org.flowbench.views.jobs.CurrentThreadTaskExecutor;
import org.flowbench.views.lab.TestLabContexts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The view model on the calling thread: what the panels show is checked against the exact
 * solution computed here independently (rewards summed by hand, flows by their definition, the
 * induced distribution by a recursion over the grid written for this test).
 */
class GflowNetsLabTest {

    private GflowNetsLab lab;
    private final CurrentThreadTaskExecutor executor = new CurrentThreadTaskExecutor();

    @BeforeEach
    void setUp() {
        lab = new GflowNetsLab(TestLabContexts.direct(executor, new DeviceSelection()), false);
        GfnParameters p = lab.params();
        assertThat(p.environment.trySet("hypergrid:D=2,H=5")).isNull();
        assertThat(p.losses.trySet("tb,db,subtb:0.9,fldb")).isNull();
        assertThat(p.trajectories.trySet(512)).isNull();
        assertThat(p.snapshot.trySet(128)).isNull();
        assertThat(p.width.trySet(32)).isNull();
        lab.train();
    }

    @Test
    void trainingKeepsOneSnapshotPerIntervalForEveryObjective() {
        GfnRun run = lab.runProperty().get();
        assertThat(lab.problemProperty().get()).isNull();
        assertThat(run.finished()).isTrue();
        assertThat(run.series()).extracting(GfnRun.Series::loss).containsExactly("tb", "db", "subtb:0.9", "fldb");
        for (GfnRun.Series s : run.series()) {
            assertThat(s.frames()).extracting(f -> f.snapshot().trajectoriesSeen()).containsExactly(0L, 128L, 256L, 384L, 512L);
        }
        assertThat(lab.frameIndex()).isEqualTo(4);
        lab.positionProperty().set(0);
        assertThat(lab.frameIndex()).isZero();
        lab.positionProperty().set(0.5);
        assertThat(lab.frameIndex()).isEqualTo(2);
    }

    @Test
    void aCancelledTrainingKeepsTheSnapshotsItTook() {
        // one progress report per round of steps (one step of each objective, 16 trajectories each)
        executor.cancelNextAfter(20);
        lab.train();
        GfnRun run = lab.runProperty().get();
        assertThat(run.finished()).isFalse();
        assertThat(run.series().get(0).frames()).extracting(f -> f.snapshot().trajectoriesSeen()).containsExactly(0L, 128L, 256L);
        assertThat(lab.statusProperty().get()).startsWith("Training cancelled");
        assertThat(lab.busyProperty().get()).isFalse();
        assertThat(lab.figureProperty(GflowNetsLab.View.GRID).get()).isInstanceOf(GfnGridFigure.class);
    }

    @Test
    void theGridShowsRewardOverZAndTheDistributionThePolicyInduces() {
        HyperGrid grid = new HyperGrid(2, 5, 0.1, 0.5, 2.0);
        GfnGridFigure figure = (GfnGridFigure) lab.figureProperty(GflowNetsLab.View.GRID).get();
        double z = 0;
        for (int u = 0; u < 5; u++) {
            for (int v = 0; v < 5; v++) {
                z += grid.reward(new int[] {u, v});
            }
        }
        for (int u = 0; u < 5; u++) {
            for (int v = 0; v < 5; v++) {
                int[] x = {u, v};
                assertThat(figure.target()[u + 5 * v]).isCloseTo(grid.reward(x) / z, within(1e-12));
                assertThat(figure.modes()[u + 5 * v]).isEqualTo(grid.isMode(x));
            }
        }
        // The learned panel: the terminal distribution of the TB network, by a recursion over the grid.
        GfnRun.Policy policy = lab.runProperty().get().seriesOf("tb").policy();
        double[] induced = new double[25];
        try (CpuDevice cpu = new CpuDevice(1); PolicyNetwork net = PolicyNetwork.withParameters(cpu, policy.shape(), policy.parameters())) {
            double[] reach = new double[25];
            reach[0] = 1;
            float[] in = new float[grid.encodingWidth()];
            float[] out = new float[grid.actionCount() + 1];
            for (int sum = 0; sum <= 8; sum++) {
                for (int u = 0; u <= 4; u++) {
                    int v = sum - u;
                    if (v < 0 || v > 4) {
                        continue;
                    }
                    grid.encode(new int[] {u, v}, in, 0);
                    net.evaluate(in, 1, out);
                    boolean right = u < 4;
                    boolean up = v < 4;
                    double norm = Math.exp(out[2]) + (right ? Math.exp(out[0]) : 0) + (up ? Math.exp(out[1]) : 0);
                    double here = reach[u + 5 * v];
                    induced[u + 5 * v] = here * Math.exp(out[2]) / norm;
                    if (right) {
                        reach[u + 1 + 5 * v] += here * Math.exp(out[0]) / norm;
                    }
                    if (up) {
                        reach[u + 5 * (v + 1)] += here * Math.exp(out[1]) / norm;
                    }
                }
            }
        }
        double total = 0;
        double l1 = 0;
        for (int c = 0; c < 25; c++) {
            assertThat(figure.learned()[c]).as("cell %d", c).isCloseTo(induced[c], within(1e-6));
            total += induced[c];
            l1 += Math.abs(induced[c] - figure.target()[c]);
        }
        assertThat(total).isCloseTo(1, within(1e-6));
        GfnRun.Frame last = lab.runProperty().get().seriesOf("tb").frames().get(4);
        assertThat(last.snapshot().l1()).isCloseTo(l1, within(1e-5));
        assertThat(figure.subtitle()).contains("L1 " + GfnText.number(last.snapshot().l1()));
    }

    @Test
    void theTrueFlowsBalanceAtEveryCellAndStartAtZ() {
        GfnFlowFigure figure = (GfnFlowFigure) lab.figureProperty(GflowNetsLab.View.FLOWS).get();
        GfnFlowFigure.Flows f = figure.truth();
        HyperGrid grid = new HyperGrid(2, 5, 0.1, 0.5, 2.0);
        double z = 0;
        for (int c = 0; c < 25; c++) {
            int u = c % 5;
            int v = c / 5;
            z += grid.reward(new int[] {u, v});
            assertThat(f.exit()[c]).isCloseTo(grid.reward(new int[] {u, v}), within(1e-12));
            double in = (u > 0 ? f.right()[c - 1] : 0) + (v > 0 ? f.up()[c - 5] : 0);
            double out = f.right()[c] + f.up()[c] + f.exit()[c];
            assertThat(f.state()[c]).isCloseTo(out, within(1e-9));
            if (c > 0) {
                assertThat(in).as("in-flow of cell %d", c).isCloseTo(out, within(1e-9));
            }
            // uniform backward policy: an edge carries F(child) / parents(child)
            if (u < 4) {
                int parents = (u + 1 > 0 ? 1 : 0) + (v > 0 ? 1 : 0);
                assertThat(f.right()[c]).isCloseTo(f.state()[c + 1] / parents, within(1e-9));
            }
        }
        assertThat(f.state()[0]).isCloseTo(z, within(1e-9));
        // the learned TB flows start at exp(log Z), the trained parameter
        GfnRun.Series tb = lab.runProperty().get().seriesOf("tb");
        assertThat(figure.learned().state()[0]).isCloseTo(Math.exp(tb.policy().logZ()), within(1e-9 * Math.exp(tb.policy().logZ())));
    }

    @Test
    void aPathToAClickedCellIsInspectedUnderEveryObjective() {
        lab.inspectPathTo(3 + 5 * 4);
        GfnInspection i = lab.inspectionProperty().get();
        Trajectory t = i.full();
        assertThat(t.last()).containsExactly(3, 4);
        assertThat(t.moves()).isEqualTo(7);
        assertThat(i.credits()).extracting(GfnInspection.Credit::loss).containsExactly("tb", "db", "subtb:0.9", "fldb");
        assertThat(i.credits()).allMatch(c -> c.credit() != null && c.credit().transitions() == 8 && c.modelNote().isEmpty());
        double[] tb = i.credits().get(0).credit().residuals();
        assertThat(tb).containsOnly(tb[0]);
        // cut: the incomplete replay keeps DB and FL-DB, TB and SubTB say why they cannot learn
        assertThat(lab.params().cut.trySet(3)).isNull();
        GfnInspection cut = lab.inspectionProperty().get();
        assertThat(cut.shown().moves()).isEqualTo(3);
        assertThat(cut.credits().get(0).problem()).contains("needs the reward");
        assertThat(cut.credits().get(1).credit().transitions()).isEqualTo(3);
        assertThat(cut.credits().get(3).credit().transitions()).isEqualTo(3);
        assertThat(lab.figureProperty(GflowNetsLab.View.CREDIT).get()).isInstanceOf(GfnCreditFigure.class);
        assertThat(((GfnGridFigure) lab.figureProperty(GflowNetsLab.View.GRID).get()).path()).hasSize(4);
    }

    @Test
    void theCreditViewOpensOnASeededSampledTrajectoryWithSeveralMoves() {
        GfnInspection opening = lab.inspectionProperty().get();
        assertThat(opening).isNotNull();
        Trajectory t = opening.full();
        assertThat(t.isComplete()).isTrue();
        assertThat(t.moves()).isGreaterThanOrEqualTo(GfnInspection.OPENING_MOVES);
        assertThat(opening.credits()).allMatch(c -> c.credit() != null && c.credit().transitions() == t.moves() + 1);
        // the same seed opens on the same trajectory
        GflowNetsLab again = new GflowNetsLab(TestLabContexts.direct(executor, new DeviceSelection()), false);
        for (String key : new String[] {"env", "losses", "trajectories", "snapshot", "width"}) {
            again.params().all.applyAll(Map.of(key, lab.params().all.values().get(key)));
        }
        again.train();
        assertThat(again.inspectionProperty().get().full().states()).containsExactly(t.states());
        assertThat(again.inspectionProperty().get().full().actions()).containsExactly(t.actions());
    }

    @Test
    void aTrajectoryTheUserChoseStaysWhenTheSameEnvironmentIsTrainedAgain() {
        lab.inspectPathTo(3 + 5 * 4);
        Trajectory clicked = lab.inspectionProperty().get().full();
        assertThat(lab.params().learningRate.trySet(3e-3)).isNull();
        lab.train();
        GfnInspection after = lab.inspectionProperty().get();
        assertThat(after.full().states()).containsExactly(clicked.states());
        // inspected again with the new run's networks
        GfnRun.Series tb = lab.runProperty().get().seriesOf("tb");
        assertThat(after.credits().get(0).credit()).isNotNull();
        lab.sampleTrajectory();
        Trajectory sampled = lab.inspectionProperty().get().full();
        lab.train();
        assertThat(lab.inspectionProperty().get().full().states()).containsExactly(sampled.states());
        assertThat(tb).isNotSameAs(lab.runProperty().get().seriesOf("tb"));
        // another environment: the inspector opens on a trajectory of the new one
        assertThat(lab.params().environment.trySet("hypergrid:D=2,H=6")).isNull();
        lab.train();
        assertThat(lab.inspectionProperty().get().full().moves()).isGreaterThanOrEqualTo(GfnInspection.OPENING_MOVES);
        assertThat(lab.inspectionProperty().get().full().states()).isNotEqualTo(sampled.states());
    }

    @Test
    void theFlowsViewShowsLearnedMinusTrueFlowsAsADifference() {
        GfnFlowFigure sideBySide = (GfnFlowFigure) lab.figureProperty(GflowNetsLab.View.FLOWS).get();
        assertThat(sideBySide.difference()).isFalse();
        assertThat(sideBySide.layout(new java.awt.geom.Rectangle2D.Double(0, 0, 1100, 600))).hasSize(2);
        assertThat(lab.params().flowDisplay.trySet("difference")).isNull();
        GfnFlowFigure figure = (GfnFlowFigure) lab.figureProperty(GflowNetsLab.View.FLOWS).get();
        assertThat(figure.difference()).isTrue();
        assertThat(figure.layout(new java.awt.geom.Rectangle2D.Double(0, 0, 1100, 600))).hasSize(1);
        assertThat(figure.title()).contains("learned \u2212 true");
        assertThat(lab.params().flowDisplay.trySet("sideways")).isNotNull();

        // learned edge flows exp(log F^) of the last TB snapshot minus the exact flows, state by state
        GfnRun run = lab.runProperty().get();
        GfnRun.Frame last = run.seriesOf("tb").frames().get(4);
        org.flowbench.compute.gflownet.ExactFlows exact = run.exact();
        org.flowbench.compute.gflownet.StateGraph graph = exact.graph();
        int a = graph.actions();
        GfnFlowFigure.Flows d = figure.differenceFlows();
        double largest = 0;
        for (int v = 0; v < 5; v++) {
            for (int u = 0; u < 5; u++) {
                int i = graph.indexOf(new int[] {u, v});
                int c = u + 5 * v;
                double right = u < 4 ? Math.exp(last.logEdgeFlows()[i * a]) - exact.edgeFlow(i, 0) : 0;
                double up = v < 4 ? Math.exp(last.logEdgeFlows()[i * a + 1]) - exact.edgeFlow(i, 1) : 0;
                double exit = Math.exp(last.logEdgeFlows()[i * a + a - 1]) - exact.edgeFlow(i, a - 1);
                double state = Math.exp(last.logStateFlows()[i]) - exact.stateFlows()[i];
                assertThat(d.right()[c]).as("right of %d,%d", u, v).isCloseTo(right, within(1e-9 * (1 + Math.abs(right))));
                assertThat(d.up()[c]).as("up of %d,%d", u, v).isCloseTo(up, within(1e-9 * (1 + Math.abs(up))));
                assertThat(d.exit()[c]).isCloseTo(exit, within(1e-9 * (1 + Math.abs(exit))));
                assertThat(d.state()[c]).isCloseTo(state, within(1e-9 * (1 + Math.abs(state))));
                largest = Math.max(largest, Math.abs(right) + Math.abs(up));
            }
        }
        // a network trained on 512 trajectories has not learned the flows exactly
        assertThat(largest).isGreaterThan(1e-3);
        java.awt.image.BufferedImage image = org.flowbench.views.figure.FigureExporter.renderImage(figure, 1100, 600, 1);
        assertThat(image.getWidth()).isEqualTo(1100);
    }

    @Test
    void aLessonSetUpJoinsTheEnvironmentKeysAndTrains() {
        // as a set-up line arrives: "env=hypergrid:D=2, H=3, ..." split at its commas
        Map<String, String> line = new java.util.LinkedHashMap<>();
        line.put("env", "hypergrid:D=2");
        line.put("H", "3");
        line.put("losses", "tb+fldb");
        line.put("trajectories", "64");
        line.put("snapshot", "32");
        lab.setUp(line);
        GfnRun run = lab.runProperty().get();
        assertThat(run.environment().spec()).startsWith("hypergrid:D=2,H=3");
        assertThat(run.series()).extracting(GfnRun.Series::loss).containsExactly("tb", "fldb");
        assertThat(lab.figureProperty(GflowNetsLab.View.DAG).get()).isInstanceOf(GfnDagFigure.class);
        GfnDagFigure dag = (GfnDagFigure) lab.figureProperty(GflowNetsLab.View.DAG).get();
        assertThat(dag.graph().size()).isEqualTo(9);
        lab.setUp(Map.of("env", "nonsense"));
        assertThat(lab.problemProperty().get()).contains("Environment");
    }

    @Test
    void aBadEnvironmentIsNamedOnceInItsProblem() {
        assertThat(new GfnParameters().environment.trySet("hypergrid:D=x,H=8"))
                .isEqualTo("Environment: 'hypergrid:D=x,H=8': D 'x' is not a whole number");
    }

    @Test
    void setGenerationShowsTheTrainingCurvesAndSaysWhyTheGridIsEmpty() {
        assertThat(lab.params().environment.trySet("sets:U=8,S=4")).isNull();
        assertThat(lab.params().losses.trySet("tb,fldb")).isNull();
        assertThat(lab.params().trajectories.trySet(64)).isNull();
        lab.train();
        assertThat(lab.problemProperty().get()).isNull();
        assertThat(lab.figureProperty(GflowNetsLab.View.GRID).get()).isInstanceOf(GfnMessageFigure.class);
        assertThat(lab.figureProperty(GflowNetsLab.View.TRAINING).get()).isInstanceOf(GfnTrainingFigure.class);
        GfnRun.Frame last = lab.runProperty().get().series().get(1).frames().get(lab.runProperty().get().series().get(1).frames().size() - 1);
        assertThat(last.snapshot().topMeanReward()).isPositive();
    }

    @Test
    void aCheckpointOpensAsOneSnapshotMeasuredExactly(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        org.flowbench.compute.gflownet.GfnTraining.Trained trained;
        try (CpuDevice cpu = new CpuDevice(1)) {
            trained = org.flowbench.compute.gflownet.GfnTraining.train(cpu,
                    new org.flowbench.compute.gflownet.GfnTraining.Config("hypergrid:D=2,H=4", "db", new int[] {16},
                            org.flowbench.compute.device.Activation.RELU, 16, 256, 1e-3, 0.1, 0, 1, 3, 0, 0, false, 128),
                    null, null, null);
        }
        java.nio.file.Path file = dir.resolve("db.safetensors");
        org.flowbench.compute.gflownet.GfnModelFile.save(file, trained);
        lab.open(file);
        assertThat(lab.problemProperty().get()).isNull();
        GfnRun run = lab.runProperty().get();
        assertThat(run.environment().spec()).startsWith("hypergrid:D=2,H=4");
        assertThat(run.series()).hasSize(1);
        assertThat(run.series().get(0).loss()).isEqualTo("db");
        assertThat(run.series().get(0).frames().get(0).snapshot().l1()).isCloseTo(trained.last().l1(), within(1e-9));
        assertThat(lab.figureProperty(GflowNetsLab.View.GRID).get()).isInstanceOf(GfnGridFigure.class);
        // a damaged file leaves the run as it was and says which file
        java.nio.file.Path bad = dir.resolve("bad.safetensors");
        java.nio.file.Files.write(bad, new byte[] {1, 2, 3});
        lab.open(bad);
        assertThat(lab.problemProperty().get()).startsWith("bad.safetensors: ");
        assertThat(lab.runProperty().get()).isSameAs(run);
    }

    @Test
    void aThreeDimensionalGridShowsTwoAxesWithTheThirdSummedOut() {
        assertThat(lab.params().environment.trySet("hypergrid:D=3,H=4")).isNull();
        assertThat(lab.params().losses.trySet("tb")).isNull();
        assertThat(lab.params().trajectories.trySet(64)).isNull();
        assertThat(lab.params().axisY.trySet(2)).isNull();
        lab.train();
        GfnGridFigure f = (GfnGridFigure) lab.figureProperty(GflowNetsLab.View.GRID).get();
        HyperGrid grid = new HyperGrid(3, 4, 0.1, 0.5, 2.0);
        double z = 0;
        double[] cells = new double[16];
        boolean[] modes = new boolean[16];
        for (int a = 0; a < 4; a++) {
            for (int b = 0; b < 4; b++) {
                for (int c = 0; c < 4; c++) {
                    int[] x = {a, b, c};
                    z += grid.reward(x);
                    cells[a + 4 * c] += grid.reward(x);
                    modes[a + 4 * c] |= grid.isMode(x);
                }
            }
        }
        for (int i = 0; i < 16; i++) {
            assertThat(f.target()[i]).isCloseTo(cells[i] / z, within(1e-12));
            assertThat(f.modes()[i]).isEqualTo(modes[i]);
        }
        assertThat(f.axes()).contains("x0 and x2");
        double total = 0;
        for (double p : f.learned()) {
            total += p;
        }
        assertThat(total).isCloseTo(1, within(1e-6));
        assertThat(lab.params().axisY.trySet(0)).isNull();
        assertThat(lab.figureProperty(GflowNetsLab.View.GRID).get()).isInstanceOf(GfnMessageFigure.class);
    }

    @Test
    void viewStateRoundTrips() {
        lab.viewProperty().set(GflowNetsLab.View.CREDIT);
        lab.positionProperty().set(0.25);
        Map<String, Object> state = lab.viewState(null);
        GfnRun before = lab.runProperty().get();
        lab.viewProperty().set(GflowNetsLab.View.GRID);
        lab.positionProperty().set(1);
        lab.restoreViewState(state, null);
        assertThat(lab.viewProperty().get()).isEqualTo(GflowNetsLab.View.CREDIT);
        assertThat(lab.positionProperty().get()).isEqualTo(0.25);
        // the parameters are trained again: the same seed, the same snapshots
        GfnRun after = lab.runProperty().get();
        assertThat(after).isNotSameAs(before);
        assertThat(after.series().get(0).frames().get(4).snapshot().l1())
                .isEqualTo(before.series().get(0).frames().get(4).snapshot().l1());
        assertThat(lab.frameIndex()).isEqualTo(1);
        assertThat(lab.currentFigure()).containsSame(lab.figureProperty(GflowNetsLab.View.CREDIT).get());
        lab.restoreViewState(Map.of("view", "NOPE", "position", 7), null);
        assertThat(lab.viewProperty().get()).isEqualTo(GflowNetsLab.View.CREDIT);
    }
}
