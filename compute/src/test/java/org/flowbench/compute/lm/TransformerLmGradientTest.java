package org.flowbench.compute.lm;

import org.flowbench.compute.data.SeededRandom;
import org.flowbench.compute.device.Activation;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.cpu.CpuDevice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The hand-written backward pass of the whole model against central finite differences, tensor
 * by tensor along a random unit direction, for every placement, both norm kinds, tied and untied
 * heads, with and without attention.
 *
 * <p>Tolerance, from float32 arithmetic: the mean loss (about 2 nats) carries a rounding error
 * near 1e-6, so a central difference with step h = 1e-2 is off by about 1e-4 from rounding, and
 * its truncation error is h^2 times a third derivative of order 1 (about 1e-4 too). A directional
 * derivative must match within 3e-4 absolute plus 2% relative; a wrong term in the backward
 * (a missed scale, a transposition, a dropped residual path) is off by far more.
 */
class TransformerLmGradientTest {

    private static ComputeDevice cpu;

    @BeforeAll
    static void open() {
        cpu = new CpuDevice(1);
    }

    @AfterAll
    static void close() {
        cpu.close();
    }

    static int[][] data(int vocab, int batch, int seq, long seed) {
        SeededRandom rnd = new SeededRandom(seed);
        int[] tokens = new int[batch * seq];
        int[] targets = new int[batch * seq];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = rnd.nextInt(vocab);
            targets[i] = i % 4 == 1 ? -1 : rnd.nextInt(vocab);
        }
        return new int[][] {tokens, targets};
    }

    @ParameterizedTest
    @CsvSource({
        "none,layer,false,false,gelu", "post,layer,false,false,gelu", "pre,layer,false,false,gelu",
        "peri,layer,false,false,gelu", "pre-scaled,layer,false,false,gelu", "pre,rms,true,false,gelu",
        "peri,rms,false,true,relu", "post,rms,true,true,gelu", "pre-scaled,layer,true,false,silu"})
    void backwardMatchesFiniteDifferencesForEveryTensor(String placement, String norm, boolean tied, boolean ffnOnly,
                                                        String activation) {
        LmConfig config = new LmConfig(7, 6, 8, 2, 2, Placement.parse(placement), NormKind.parse(norm), ffnOnly,
                tied, LmConfig.Init.FAN_IN, 0.7f, Activation.parse(activation));
        assertGradientsMatchFiniteDifferences(config, placement + " " + norm, false);
    }

    /**
     * Flow attention and the batch-statistics norms inside the model. BatchNorm's backward in
     * training is the exact gradient through the batch statistics; PowerNorm's training backward
     * is the paper's approximation, so PowerNorm is checked in evaluation mode (after a few
     * training passes have moved its running statistics), where its gradient is exact.
     */
    @ParameterizedTest
    @CsvSource({
        "pre,layer,flow,true", "peri,rms,flow,true", "post,layer,flow,true", "none,layer,flow,true",
        "pre,batch,softmax,true", "peri,batch,softmax,true", "post,batch,flow,true", "pre,batch,softmax,false",
        "pre,power,softmax,false", "peri,power,flow,false"})
    void flowAttentionAndBatchNormsMatchFiniteDifferences(String placement, String norm, String attention,
                                                          boolean training) {
        LmConfig config = new LmConfig(7, 6, 8, 2, 2, Placement.parse(placement), NormKind.parse(norm), false,
                false, LmConfig.Init.FAN_IN, 0.7f, Activation.GELU, AttentionKind.parse(attention));
        assertGradientsMatchFiniteDifferences(config, placement + " " + norm + " " + attention
                + (training ? " training" : " evaluation"), !training);
    }

    private static void assertGradientsMatchFiniteDifferences(LmConfig config, String label, boolean evaluation) {
        int vocab = config.vocab();
        int batch = 2;
        int seq = 5;
        int[][] d = data(vocab, batch, seq, 11);
        try (TransformerLm model = new TransformerLm(cpu, config, 5)) {
            if (evaluation) {
                for (int i = 0; i < 3; i++) {
                    int[][] other = data(vocab, batch, seq, 100 + i);
                    model.forward(other[0], other[1], batch, seq);
                }
                model.setTraining(false);
            }
            // Gains and biases away from 1 and 0, so their gradients and the paths through them are exercised.
            float[] p = cpu.download(model.parameters());
            SeededRandom jitter = new SeededRandom(3);
            for (LmLayout.Entry e : model.layout().entries()) {
                if (e.role() == LmLayout.Role.GAIN || e.role() == LmLayout.Role.BIAS) {
                    for (int i = 0; i < e.size(); i++) {
                        p[e.offset() + i] += (float) (0.3 * jitter.nextGaussian());
                    }
                }
            }
            cpu.upload(p, model.parameters());
            model.forward(d[0], d[1], batch, seq);
            model.backward();
            float[] g = cpu.download(model.gradients());
            // ReLU: a step can carry a pre-activation across the kink at 0, so it gets a smaller step,
            // whose rounding error (about 5e-4) the larger absolute tolerance covers.
            boolean kinked = config.activation() == Activation.RELU;
            double h = kinked ? 2e-3 : 1e-2;
            double absolute = kinked ? 1e-3 : 3e-4;
            SeededRandom dir = new SeededRandom(17);
            for (LmLayout.Entry e : model.layout().entries()) {
                double[] v = new double[e.size()];
                double norm2 = 0;
                for (int i = 0; i < v.length; i++) {
                    v[i] = dir.nextGaussian();
                    norm2 += v[i] * v[i];
                }
                double analytic = 0;
                for (int i = 0; i < v.length; i++) {
                    v[i] /= Math.sqrt(norm2);
                    analytic += v[i] * g[e.offset() + i];
                }
                float[] plus = p.clone();
                float[] minus = p.clone();
                for (int i = 0; i < v.length; i++) {
                    plus[e.offset() + i] += (float) (h * v[i]);
                    minus[e.offset() + i] -= (float) (h * v[i]);
                }
                cpu.upload(plus, model.parameters());
                double lp = model.forward(d[0], d[1], batch, seq);
                cpu.upload(minus, model.parameters());
                double lm = model.forward(d[0], d[1], batch, seq);
                double numeric = (lp - lm) / (2 * h);
                assertThat(analytic).as("%s: d loss along a direction of %s", label, e.name())
                        .isCloseTo(numeric, org.assertj.core.data.Offset.offset(absolute + 0.02 * Math.abs(numeric)));
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameBytesAndAnotherSeedDoesNot() {
        LmConfig config = LmConfig.of(11, 8, 16, 4, 2, Placement.PERI);
        int[][] d = data(11, 3, 8, 2);
        float[] g1;
        double l1;
        try (TransformerLm m = new TransformerLm(cpu, config, 42)) {
            l1 = m.forward(d[0], d[1], 3, 8);
            m.backward();
            g1 = cpu.download(m.gradients());
        }
        try (ComputeDevice four = new CpuDevice(4); TransformerLm m = new TransformerLm(four, config, 42)) {
            assertThat(m.forward(d[0], d[1], 3, 8)).isEqualTo(l1);
            m.backward();
            assertThat(four.download(m.gradients())).containsExactly(g1);
        }
        try (TransformerLm m = new TransformerLm(cpu, config, 43)) {
            assertThat(m.forward(d[0], d[1], 3, 8)).isNotEqualTo(l1);
        }
    }

    @ParameterizedTest
    @CsvSource({"layer,softmax", "batch,flow", "power,softmax"})
    void theOpenClDeviceAgreesWithCpu(String normKind, String attention) {
        LmConfig config = new LmConfig(13, 9, 24, 3, 2, Placement.PERI, NormKind.parse(normKind), false, true,
                LmConfig.Init.FAN_IN, 1f, Activation.GELU, AttentionKind.parse(attention));
        int[][] d = data(13, 3, 9, 6);
        double loss;
        float[] grads;
        try (TransformerLm m = new TransformerLm(cpu, config, 7)) {
            loss = m.forward(d[0], d[1], 3, 9);
            m.backward();
            grads = cpu.download(m.gradients());
        }
        try (ComputeDevice cl = org.flowbench.compute.device.ComputeDevices.open(
                org.flowbench.compute.device.ComputeDevices.OPENCL); TransformerLm m = new TransformerLm(cl, config, 7)) {
            assertThat(cl.kind()).isEqualTo(org.flowbench.compute.device.DeviceKind.OPENCL);
            assertThat(m.forward(d[0], d[1], 3, 9)).isCloseTo(loss, org.assertj.core.data.Offset.offset(1e-5 * loss));
            m.backward();
            float[] other = cl.download(m.gradients());
            double diff = 0;
            double norm = 0;
            for (int i = 0; i < grads.length; i++) {
                diff += (grads[i] - other[i]) * (double) (grads[i] - other[i]);
                norm += grads[i] * (double) grads[i];
            }
            assertThat(Math.sqrt(diff / norm)).as("relative gradient difference").isLessThan(1e-5);
        }
    }

    @Test
    void aFreshModelPredictsAboutUniformly() {
        // GPT-2 init: logits are near 0, so the loss is near ln(vocab).
        LmConfig config = LmConfig.of(50, 16, 32, 4, 3, Placement.PRE);
        int[][] d = data(50, 4, 16, 9);
        try (TransformerLm m = new TransformerLm(cpu, config, 1)) {
            assertThat(m.forward(d[0], d[1], 4, 16)).isCloseTo(Math.log(50), org.assertj.core.data.Offset.offset(0.02));
        }
    }

    @Test
    void attentionIsCausal() {
        // Changing the last token must not change any loss before the last position.
        LmConfig config = LmConfig.of(9, 6, 8, 2, 2, Placement.PRE);
        int[][] d = data(9, 1, 6, 4);
        for (int i = 0; i < 6; i++) {
            d[1][i] = (i + 1) % 9;
        }
        try (TransformerLm m = new TransformerLm(cpu, config, 8)) {
            m.forward(d[0], d[1], 1, 6);
            float[] before = m.lastLosses();
            d[0][5] = (d[0][5] + 1) % 9;
            m.forward(d[0], d[1], 1, 6);
            float[] after = m.lastLosses();
            for (int i = 0; i < 5; i++) {
                assertThat(after[i]).as("loss at %d", i).isEqualTo(before[i]);
            }
            assertThat(after[5]).isNotEqualTo(before[5]);
        }
    }

    @Test
    void flowAttentionIsCausal() {
        // With flow attention too, changing a token changes no loss at an earlier position.
        LmConfig config = LmConfig.of(9, 8, 8, 2, 2, Placement.PRE).withAttention(AttentionKind.FLOW);
        int[][] d = data(9, 1, 8, 4);
        try (TransformerLm m = new TransformerLm(cpu, config, 8)) {
            m.forward(d[0], d[1], 1, 8);
            float[] before = m.lastLosses();
            for (int changed = 7; changed >= 1; changed--) {
                d[0][changed] = (d[0][changed] + 1 + changed) % 9;
                m.forward(d[0], d[1], 1, 8);
                float[] after = m.lastLosses();
                for (int i = 0; i < changed; i++) {
                    assertThat(after[i]).as("loss at %d after changing token %d", i, changed).isEqualTo(before[i]);
                }
            }
            assertThat(m.attentionProbabilities(1)).as("flow attention has no attention matrix").isNull();
        }
    }

    @ParameterizedTest
    @CsvSource({"batch", "power"})
    void trainingWithBatchStatisticsIsReproducible(String norm) {
        LmConfig config = new LmConfig(9, 8, 16, 2, 2, Placement.PRE, NormKind.parse(norm), false, false,
                LmConfig.Init.GPT2, 1f, Activation.GELU);
        float[][] params = new float[2][];
        for (int run = 0; run < 2; run++) {
            try (ComputeDevice dev = new CpuDevice(run == 0 ? 1 : 3); TransformerLm m = new TransformerLm(dev, config, 4);
                 LmTrainer trainer = new LmTrainer(m, LmOptimizerConfig.adamW(3e-3f, 5, 60))) {
                for (int step = 0; step < 60; step++) {
                    int[][] d = data(9, 6, 8, 100 + step);
                    trainer.step(new LmBatch(d[0], d[1], 6, 8), null);
                }
                params[run] = dev.download(m.parameters());
            }
        }
        assertThat(params[1]).as("%s: the same seed on 1 and 3 threads", norm).containsExactly(params[0]);
    }

    @Test
    void batchNormUsesRunningStatisticsInEvaluation() {
        // In evaluation a sequence's loss does not depend on the other sequences of the batch; in training it does.
        LmConfig config = new LmConfig(9, 6, 8, 2, 2, Placement.PRE, NormKind.BATCH, false, false,
                LmConfig.Init.FAN_IN, 1f, Activation.GELU);
        int[][] d = data(9, 2, 6, 5);
        try (TransformerLm m = new TransformerLm(cpu, config, 3)) {
            m.forward(d[0], d[1], 2, 6);
            float[] first = m.lastLosses();
            int[] other = d[0].clone();
            for (int i = 6; i < 12; i++) {
                other[i] = (other[i] + 4) % 9;
            }
            m.forward(other, d[1], 2, 6);
            assertThat(m.lastLosses()[0]).as("training: batch statistics mix sequences").isNotEqualTo(first[0]);
            m.setTraining(false);
            m.forward(d[0], d[1], 2, 6);
            float[] evalFirst = m.lastLosses();
            m.forward(other, d[1], 2, 6);
            float[] evalOther = m.lastLosses();
            for (int i = 0; i < 6; i++) {
                assertThat(evalOther[i]).as("evaluation: loss at %d", i).isEqualTo(evalFirst[i]);
            }
            assertThat(m.isTraining()).isFalse();
        }
    }

    @Test
    void aRunFileDescriptionKeepsTheAttentionKind() {
        LmConfig flow = LmConfig.of(9, 8, 8, 2, 2, Placement.PERI).withAttention(AttentionKind.FLOW);
        assertThat(LmConfig.parse(flow.describe())).isEqualTo(flow);
        String old = LmConfig.of(9, 8, 8, 2, 2, Placement.PERI).describe().replace(" attention=softmax", "");
        assertThat(LmConfig.parse(old).attention()).isEqualTo(AttentionKind.SOFTMAX);
        assertThatThrownBy(() -> AttentionKind.parse("linear")).hasMessage(
                "unknown attention 'linear' (expected one of [softmax, flow])");
    }

    @Test
    void impossibleSettingsAreOneLineEach() {
        assertThatThrownBy(() -> LmConfig.of(10, 8, 30, 4, 2, Placement.PRE))
                .hasMessage("heads (4) must divide width (30)");
        assertThatThrownBy(() -> LmConfig.of(10, 0, 32, 4, 2, Placement.PRE))
                .hasMessage("context must be in [1, 8192], got 0");
        assertThatThrownBy(() -> Placement.parse("middle")).hasMessageContaining("unknown placement 'middle'");
        LmConfig config = LmConfig.of(10, 8, 8, 2, 1, Placement.PRE);
        try (TransformerLm m = new TransformerLm(cpu, config, 1)) {
            assertThatThrownBy(() -> m.forward(new int[] {3, 12}, new int[] {1, 1}, 1, 2))
                    .hasMessageContaining("token id 12 at position 1");
            assertThatThrownBy(() -> m.forward(new int[9], new int[9], 1, 9)).hasMessageContaining("seq in [1, 8]");
            assertThatThrownBy(m::backward).hasMessageContaining("forward pass first");
        }
    }
}
