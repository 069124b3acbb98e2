package org.flowbench.views.norm;

import org.flowbench.compute.norm.playground.NormPlayground;
import org.flowbench.compute.norm.playground.PlaygroundLayer;
import org.flowbench.views.device.DeviceSelection;
import org.flowbench.views.jobs.CurrentThreadTaskExecutor;
import org.flowbench.views.lab.TestLabContexts;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The Norm layers view model on the calling thread: what its figures show against statistics computed here. */
class NormLayersModelTest {

    private final NormLayersModel model = new NormLayersModel(
            TestLabContexts.direct(new CurrentThreadTaskExecutor(), new DeviceSelection()));

    private static double channelVariance(float[] x, int n, int c, int s, int ch) {
        double sum = 0;
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < s; i++) {
                sum += x[(b * c + ch) * s + i];
            }
        }
        double mean = sum / (n * s);
        double ss = 0;
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < s; i++) {
                double d = x[(b * c + ch) * s + i] - mean;
                ss += d * d;
            }
        }
        return ss / (n * s);
    }

    @Test
    void fluctuationShowsTheLastBatchsOwnVarianceAndRunningVariance() {
        model.applySetup(Map.of("layer", "bn", "preset", "micro", "micro", "2", "batches", "40", "view", "fluctuation"));
        assertThat(model.problemProperty().get()).isNull();
        NormLayersFigure f = model.figureProperty().get();
        assertThat(f.view()).isEqualTo(NormLayersView.FLUCTUATION);
        NormPlayground.Result r = f.result();
        assertThat(r.settings().layer()).isEqualTo(PlaygroundLayer.BATCHNORM);
        assertThat(r.settings().batch()).isEqualTo(2);
        double[][] series = f.channelSeries();
        int ch = r.settings().channel();
        double v = channelVariance(r.input(), 2, 16, 256, ch);
        assertThat(series[0][39]).isCloseTo(v, within(1e-9 * v));
        assertThat(series[1][39]).isCloseTo(v, within(1e-9 * v));
        // running variance: r <- 0.9 r + 0.1 * unbiased variance, from 1
        double running = 1;
        for (int t = 0; t < 40; t++) {
            running = 0.9 * running + 0.1 * series[0][t] * 512.0 / 511.0;
        }
        assertThat(series[2][39]).isCloseTo(running, within(1e-5 * running));
        double[][] last = f.lastStatistics();
        assertThat(last[1][ch]).isEqualTo(series[2][39]);
    }

    @Test
    void histogramsCountEveryValueOfTheirChannelInTheRightBin() {
        model.applySetup(Map.of("layer", "layernorm", "preset", "tokens", "channel", "40", "view", "histograms"));
        NormLayersFigure f = model.figureProperty().get();
        assertThat(f.histogramChannels()).containsExactly(40, 41, 42, 43);
        float[] x = f.result().input();
        float[] y = f.result().trainOutput();
        for (int i = 0; i < 4; i++) {
            int ch = f.histogramChannels()[i];
            for (int part = 0; part < 2; part++) {
                float[] data = part == 0 ? x : y;
                double lo = Double.POSITIVE_INFINITY;
                double hi = Double.NEGATIVE_INFINITY;
                for (int t = 0; t < 256; t++) {
                    lo = Math.min(lo, data[t * 64 + ch]);
                    hi = Math.max(hi, data[t * 64 + ch]);
                }
                assertThat(f.range(i, part)).containsExactly(lo, hi);
                int[] expected = new int[NormLayersFigure.BINS];
                for (int t = 0; t < 256; t++) {
                    double u = (data[t * 64 + ch] - lo) / (hi - lo);
                    expected[Math.min(NormLayersFigure.BINS - 1, (int) (u * NormLayersFigure.BINS))]++;
                }
                assertThat(f.counts(i, part)).containsExactly(expected);
            }
        }
        // channel 40 carries the outliers of value 40 in the token preset
        assertThat(f.range(0, 0)[1]).isEqualTo(40.0);
    }

    @Test
    void aViewChangeRepaintsWithoutRunningAgainAndBadSetupChangesNothing() {
        NormPlayground.Result before = model.resultProperty().get();
        model.run();
        NormPlayground.Result first = model.resultProperty().get();
        assertThat(first).isNotNull().isNotSameAs(before);
        model.setView(NormLayersView.RUNNING);
        assertThat(model.resultProperty().get()).isSameAs(first);
        assertThat(model.figureProperty().get().view()).isEqualTo(NormLayersView.RUNNING);

        model.applySetup(Map.of("layer", "instancenorm"));
        assertThat(model.problemProperty().get()).startsWith("unknown layer 'instancenorm'");
        assertThat(model.layer().get()).isEqualTo("batchnorm");
        model.applySetup(Map.of("batches", "1"));
        assertThat(model.problemProperty().get()).isEqualTo("Batches: must be between 2 and 2000 (got 1)");
        model.applySetup(Map.of("colour", "red"));
        assertThat(model.problemProperty().get()).contains("unknown set-up key 'colour'").doesNotContain("\n");
        // fits each parameter, but not together: 5 groups of 16 channels, in either order of the keys
        for (List<String> keys : List.of(List.of("layer", "groups"), List.of("groups", "layer"))) {
            Map<String, String> setup = new LinkedHashMap<>();
            for (String key : keys) {
                setup.put(key, key.equals("layer") ? "gn" : "5");
            }
            model.applySetup(setup);
            assertThat(model.problemProperty().get()).isEqualTo("groups must divide the 16 channels of the image preset, got 5");
            assertThat(model.resultProperty().get()).isSameAs(first);
            assertThat(model.layer().get()).isEqualTo("batchnorm");
            assertThat(model.groups().get()).isEqualTo(4);
        }
    }

    @Test
    void aSetUpOfSeveralKeysRunsOnceWithAllOfThem() {
        model.run();
        NormPlayground.Result first = model.resultProperty().get();
        Map<String, String> setup = new LinkedHashMap<>();
        setup.put("layer", "gn");
        setup.put("groups", "8");
        setup.put("channel", "5");
        java.util.concurrent.atomic.AtomicInteger results = new java.util.concurrent.atomic.AtomicInteger();
        model.resultProperty().addListener((obs, old, now) -> results.incrementAndGet());
        model.applySetup(setup);
        assertThat(results.get()).isEqualTo(1);
        assertThat(model.problemProperty().get()).isNull();
        NormPlayground.Result r = model.resultProperty().get();
        assertThat(r).isNotSameAs(first);
        assertThat(r.settings().layer()).isEqualTo(PlaygroundLayer.GROUPNORM);
        assertThat(r.settings().groups()).isEqualTo(8);
        assertThat(r.settings().channel()).isEqualTo(5);
    }

    @Test
    void thePagesProgressBarFollowsTheRunToItsEnd() {
        List<Double> seen = new ArrayList<>();
        model.progressProperty().addListener((obs, old, now) -> seen.add(now.doubleValue()));
        model.applySetup(Map.of("batches", "30"));
        assertThat(seen).hasSizeGreaterThan(10).isSorted();
        assertThat(seen.get(seen.size() - 1)).isEqualTo(1.0);
        assertThat(model.runningProperty().get()).isFalse();
    }

    @Test
    void theBusyStateLastsUntilTheNewestOfOverlappingRunsHasFinished() {
        model.jobStarted();
        model.jobStarted();
        model.jobFinished();
        assertThat(model.runningProperty().get()).as("the replaced run ended, the newer one still runs").isTrue();
        model.jobFinished();
        assertThat(model.runningProperty().get()).isFalse();
    }

    @Test
    void viewStateRoundTrips() {
        model.applySetup(Map.of("layer", "powernorm", "preset", "tokens", "seed", "11", "view", "fluctuation"));
        Map<String, Object> state = new LinkedHashMap<>(model.viewState());
        assertThat(state).containsEntry("layer", "powernorm").containsEntry("view", "fluctuation").containsEntry("seed", 11L);
        NormLayersModel other = new NormLayersModel(TestLabContexts.direct(new CurrentThreadTaskExecutor(), new DeviceSelection()));
        state.put("batches", "not a number");
        other.restoreViewState(state);
        assertThat(other.layer().get()).isEqualTo("powernorm");
        assertThat(other.preset().get()).isEqualTo("tokens");
        assertThat(other.batches().get()).isEqualTo(100);
        assertThat(other.viewProperty().get()).isEqualTo(NormLayersView.FLUCTUATION);
        assertThat(other.resultProperty().get().settings().seed()).isEqualTo(11);
    }
}
