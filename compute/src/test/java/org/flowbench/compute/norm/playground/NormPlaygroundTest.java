package org.flowbench.compute.norm.playground;

import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.ComputeDevices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class NormPlaygroundTest {

    private static ComputeDevice cpu;

    @BeforeAll
    static void open() {
        cpu = ComputeDevices.open(ComputeDevices.CPU);
    }

    @AfterAll
    static void close() {
        cpu.close();
    }

    private static NormPlayground.Result run(PlaygroundInput input, int micro, PlaygroundLayer layer, int batches) {
        return NormPlayground.run(cpu, new NormPlayground.Settings(input, micro, layer, batches, 4, 3, 7), null, null);
    }

    /** Biased variance of one channel of the batch, by a running (Welford) sum, independent of the code under test. */
    private static double welfordVariance(float[] x, int n, int c, int s, int ch) {
        double mean = 0;
        double m2 = 0;
        int k = 0;
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < s; i++) {
                double v = x[(b * c + ch) * s + i];
                k++;
                double d = v - mean;
                mean += d / k;
                m2 += d * (v - mean);
            }
        }
        return m2 / k;
    }

    @Test
    void batchNormDividesByTheBatchVarianceAndItsRunningVarianceFollowsTheUnbiasedUpdate() {
        NormPlayground.Result r = run(PlaygroundInput.IMAGE, 1, PlaygroundLayer.BATCHNORM, 30);
        int c = 16;
        int n = 32;
        int s = 256;
        int last = 29;
        for (int ch = 0; ch < c; ch++) {
            double v = welfordVariance(r.input(), n, c, s, ch);
            assertThat(r.batchStat()[last * c + ch]).isCloseTo(v, within(1e-9 * v));
            assertThat(r.usedStat()[last * c + ch]).isEqualTo(r.batchStat()[last * c + ch]);
        }
        double m = n * s;
        for (int ch = 0; ch < c; ch++) {
            double running = 1;
            for (int t = 0; t < 30; t++) {
                running = 0.9 * running + 0.1 * r.batchStat()[t * c + ch] * m / (m - 1);
                assertThat(r.runningStat()[t * c + ch]).isCloseTo(running, within(1e-5 * running));
            }
        }
        // the training output of the last batch: zero mean, unit variance per channel
        double[][] out = NormPlayground.moments(r.trainOutput(), n, c, s);
        for (int ch = 0; ch < c; ch++) {
            assertThat(out[0][ch]).isCloseTo(0, within(1e-4));
            assertThat(out[1][ch]).isCloseTo(1, within(1e-3));
        }
    }

    @Test
    void powerNormDividesByTheRunningQuadraticMeanOfTheBatchesBefore() {
        NormPlayground.Result r = run(PlaygroundInput.TOKENS, 1, PlaygroundLayer.POWERNORM, 40);
        int c = 64;
        assertThat(r.statistic()).isEqualTo("quadratic mean");
        for (int t = NormPlayground.WARMUP + 1; t < 40; t++) {
            for (int ch = 0; ch < c; ch += 7) {
                double before = r.runningStat()[(t - 1) * c + ch];
                assertThat(r.usedStat()[t * c + ch]).isEqualTo(before);
                double expected = 0.9 * before + 0.1 * r.batchStat()[t * c + ch];
                assertThat(r.runningStat()[t * c + ch]).isCloseTo(expected, within(1e-5 * expected));
            }
        }
        // the batch's quadratic mean, computed here from the batch itself
        float[] x = r.input();
        for (int ch = 0; ch < c; ch += 5) {
            double q = 0;
            for (int b = 0; b < 256; b++) {
                q += (double) x[b * c + ch] * x[b * c + ch];
            }
            assertThat(r.batchStat()[39 * c + ch]).isCloseTo(q / 256, within(1e-9 * q));
        }
    }

    @Test
    void perSampleLayersHaveNoTrainEvalMismatchAndBatchNormOnOneImageHasMuch() {
        for (PlaygroundLayer layer : new PlaygroundLayer[] {PlaygroundLayer.GROUPNORM, PlaygroundLayer.LAYERNORM,
                PlaygroundLayer.RMSNORM, PlaygroundLayer.EVONORM_S0, PlaygroundLayer.WEIGHT_STANDARDIZATION}) {
            NormPlayground.Result r = run(PlaygroundInput.MICRO, 1, layer, 5);
            for (double m : r.trainEvalMismatch()) {
                assertThat(m).as(layer.id()).isZero();
            }
            assertThat(r.usedStat()[0]).as(layer.id()).isNaN();
            assertThat(r.runningStat()[0]).as(layer.id()).isNaN();
        }
        NormPlayground.Result bn = run(PlaygroundInput.MICRO, 1, PlaygroundLayer.BATCHNORM, 50);
        double mean = 0;
        for (double m : bn.trainEvalMismatch()) {
            mean += m / 16;
        }
        assertThat(mean).as("BatchNorm, one image per batch").isGreaterThan(0.1);
    }

    @Test
    void layerNormAndRmsNormNormaliseEachSample() {
        NormPlayground.Result ln = run(PlaygroundInput.IMAGE, 1, PlaygroundLayer.LAYERNORM, 2);
        NormPlayground.Result rms = run(PlaygroundInput.IMAGE, 1, PlaygroundLayer.RMSNORM, 2);
        int per = 16 * 256;
        for (int b = 0; b < 32; b += 5) {
            double sum = 0;
            double sq = 0;
            double rq = 0;
            for (int i = 0; i < per; i++) {
                sum += ln.trainOutput()[b * per + i];
                sq += (double) ln.trainOutput()[b * per + i] * ln.trainOutput()[b * per + i];
                rq += (double) rms.trainOutput()[b * per + i] * rms.trainOutput()[b * per + i];
            }
            assertThat(sum / per).isCloseTo(0, within(1e-4));
            assertThat(sq / per).isCloseTo(1, within(1e-3));
            assertThat(rq / per).isCloseTo(1, within(1e-3));
        }
    }

    @Test
    void foldedInferenceEqualsUnfoldedForBatchNormAndUnifiedNormalization() {
        for (PlaygroundLayer layer : new PlaygroundLayer[] {PlaygroundLayer.BATCHNORM, PlaygroundLayer.UNIFIED}) {
            for (PlaygroundInput input : PlaygroundInput.values()) {
                NormPlayground.Result r = run(input, 2, layer, 30);
                NormPlayground.Folding f = r.folding();
                assertThat(f).isNotNull();
                assertThat(f.maxAbsOutput()).isGreaterThan(0.5);
                assertThat(f.maxAbsDifference()).as(layer.id() + " on " + input.id())
                        .isLessThanOrEqualTo(1e-5 * Math.max(1, f.maxAbsOutput()));
                assertThat(f.unfoldedMillis()).isPositive();
                assertThat(f.foldedMillis()).isPositive();
            }
        }
        assertThat(run(PlaygroundInput.IMAGE, 1, PlaygroundLayer.GROUPNORM, 2).folding()).isNull();
    }

    @Test
    void everyLayerRunsOnEveryPresetAndTheSameSeedGivesTheSameBytes() {
        for (PlaygroundLayer layer : PlaygroundLayer.values()) {
            NormPlayground.Result a = run(PlaygroundInput.MICRO, 3, layer, 4);
            NormPlayground.Result b = run(PlaygroundInput.MICRO, 3, layer, 4);
            assertThat(a.trainOutput()).as(layer.id()).containsExactly(b.trainOutput());
            assertThat(a.input()).hasSize(3 * 16 * 256);
            for (float v : a.trainOutput()) {
                assertThat(Float.isFinite(v)).as(layer.id()).isTrue();
            }
            assertThat(PlaygroundLayer.byId(layer.id())).isEqualTo(layer);
        }
        run(PlaygroundInput.TOKENS, 1, PlaygroundLayer.EVONORM_B0, 3);
        run(PlaygroundInput.TOKENS, 1, PlaygroundLayer.BATCH_CHANNEL, 3);
    }

    @Test
    void badSettingsAreRefusedWithOneLine() {
        assertThatThrownBy(() -> new NormPlayground.Settings(PlaygroundInput.IMAGE, 1, PlaygroundLayer.GROUPNORM, 100, 5, 0, 1))
                .hasMessage("groups must divide the 16 channels of the image preset, got 5");
        assertThatThrownBy(() -> new NormPlayground.Settings(PlaygroundInput.MICRO, 5, PlaygroundLayer.BATCHNORM, 100, 4, 0, 1))
                .hasMessageContaining("micro-batch must be between 1 and 4");
        assertThatThrownBy(() -> new NormPlayground.Settings(PlaygroundInput.TOKENS, 1, PlaygroundLayer.BATCHNORM, 100, 4, 64, 1))
                .hasMessageContaining("channel must be between 0 and 63");
        assertThatThrownBy(() -> PlaygroundLayer.byId("instancenorm")).hasMessageContaining("choose batchnorm");
        assertThatThrownBy(() -> PlaygroundInput.byId("audio")).hasMessageContaining("image, tokens or micro");
    }
}
