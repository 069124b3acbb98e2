package org.flowbench.views.norm;

import org.flowbench.compute.norm.invariance.BatchNormOnlyTraining;
import org.flowbench.compute.norm.invariance.InvarianceOptimizer;
import org.flowbench.compute.norm.invariance.ScaleInvariantToy;
import org.flowbench.views.device.DeviceSelection;
import org.flowbench.views.jobs.CurrentThreadTaskExecutor;
import org.flowbench.views.lab.TestLabContexts;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The Scale invariance view model on the calling thread, against the toy stepped here by hand. */
class ScaleInvarianceModelTest {

    private final ScaleInvarianceModel model = new ScaleInvarianceModel(
            TestLabContexts.direct(new CurrentThreadTaskExecutor(), new DeviceSelection()));

    @org.junit.jupiter.api.BeforeEach
    void runBoth() {
        model.runAll();
    }

    @Test
    void plainSgdWithoutNoiseMatchesGradientStepsTakenByHand() {
        model.applySetup(Map.of("noise", "0", "steps", "50", "lr", "0.2", "angle", "100", "bn-steps", "5"));
        assertThat(model.problemProperty().get()).isNull();
        List<ScaleInvariantToy.Run> runs = model.runsProperty().get();
        assertThat(runs).extracting(ScaleInvariantToy.Run::optimizer).containsExactly(InvarianceOptimizer.values());
        double a = Math.toRadians(100);
        double x = Math.cos(a);
        double y = Math.sin(a);
        double squared = 1;
        for (int t = 0; t < 50; t++) {
            double r = Math.hypot(x, y);
            double ux = x / r;
            double uy = y / r;
            // gradient of 1 - u_x: -(e1 - u_x u) / r
            double gx = -(1 - ux * ux) / r;
            double gy = ux * uy / r;
            x -= 0.2 * gx;
            y -= 0.2 * gy;
            squared += 0.04 * (gx * gx + gy * gy);
        }
        ScaleInvariantToy.Run sgd = runs.get(0);
        assertThat(sgd.path()[100]).isCloseTo(x, within(1e-12));
        assertThat(sgd.path()[101]).isCloseTo(y, within(1e-12));
        assertThat(sgd.norm()[50] * sgd.norm()[50]).isCloseTo(squared, within(1e-12));
        assertThat(runs.get(1).norm()[50]).as("momentum grows the norm faster").isGreaterThan(sgd.norm()[50]);
    }

    @Test
    void highlightAndViewOnlyRepaintAndBadValuesChangeNothing() {
        List<ScaleInvariantToy.Run> runs = model.runsProperty().get();
        assertThat(runs).isNotNull();
        model.applySetup(Map.of("optimizer", "adamp", "view", "path"));
        assertThat(model.runsProperty().get()).isSameAs(runs);
        assertThat(model.figureProperty().get().highlight()).isEqualTo(InvarianceOptimizer.ADAMP);
        assertThat(model.figureProperty().get().view()).isEqualTo(ScaleInvarianceView.PATH);
        model.applySetup(Map.of("lr", "-1"));
        assertThat(model.problemProperty().get()).isEqualTo("Learning rate: must be between 1.0E-4 and 10.0 (got -1.0)");
        model.applySetup(Map.of("optimizer", "lion"));
        assertThat(model.problemProperty().get()).contains("unknown optimizer 'lion'");
        model.applySetup(Map.of("beta3", "1"));
        assertThat(model.problemProperty().get()).contains("unknown set-up key 'beta3'");
        assertThat(model.runsProperty().get()).isSameAs(runs);
    }

    @Test
    void batchNormOnlyBeatsFrozenAndTheStateRoundTrips() {
        model.applySetup(Map.of("view", "bn-only", "task", "moons", "bn-steps", "200"));
        List<BatchNormOnlyTraining.Result> r = model.trainingProperty().get();
        assertThat(r).extracting(BatchNormOnlyTraining.Result::trained)
                .containsExactly(BatchNormOnlyTraining.Trained.values());
        assertThat(r.get(1).finalAccuracy()).isGreaterThan(r.get(0).finalAccuracy());
        assertThat(model.statusProperty().get()).startsWith("Accuracy:");
        Map<String, Object> state = model.viewState();
        ScaleInvarianceModel other = new ScaleInvarianceModel(
                TestLabContexts.direct(new CurrentThreadTaskExecutor(), new DeviceSelection()));
        other.restoreViewState(state);
        assertThat(other.viewProperty().get()).isEqualTo(ScaleInvarianceView.BN_ONLY);
        assertThat(other.bnSteps().get()).isEqualTo(200);
    }
}
