package org.flowbench.compute.norm;

import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.DeviceBuffer;
import org.flowbench.compute.device.EvoNormKind;
import org.flowbench.compute.device.TestDevices;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.flowbench.compute.norm.NormTestSupport.activations;
import static org.flowbench.compute.norm.NormTestSupport.gaussian;

/**
 * Layer backward passes against central finite differences of the layer's own forward pass, on
 * cpu and on OpenCL, with {@code L = sum c * y} (so {@code dy = c}), steps of {@value #H} and the
 * check {@code |fd - analytic| <= 2e-3 max(1, |analytic|)} as for the device primitives.
 *
 * <p>Where a layer's backward is exact: BatchNorm in training (through the batch statistics) and
 * in evaluation, GroupNorm, Batch-Channel Norm with its estimates fixed (evaluation), Weight
 * Standardization, PowerNorm and Unified Normalization in evaluation. In training PowerNorm's
 * input gradient is the paper's approximation, so only its parameter gradients are checked;
 * Unified Normalization during warm-up with momentum 0 (its correction then equals the current
 * batch's mean(g z)) is the exact gradient of normalising by the batch's quadratic mean.
 */
class NormGradientCheckTest {

    static final float H = 1e-2f;
    static final double TOL = 2e-3;

    @RegisterExtension
    static final TestDevices DEVICES = new TestDevices();

    private static double loss(float[] y, float[] c) {
        double l = 0;
        for (int i = 0; i < y.length; i++) {
            l += (double) c[i] * y[i];
        }
        return l;
    }

    /**
     * Checks the layer's dx (and, if {@code params}, its parameter gradients) at {@code x} for
     * a few coordinates each.
     */
    private static void check(String what, ComputeDevice d, NormLayer layer, float[] x, int batch, int spatial,
                              boolean inputGradient, boolean params, Random r) {
        float[] c = gaussian(r, x.length, 1, 0);
        DeviceBuffer xb = d.upload(x);
        DeviceBuffer y = d.allocate(x.length);
        DeviceBuffer g = d.upload(c);
        IntFunction<Double> forwardLoss = unused -> {
            layer.forward(xb, y, batch, spatial);
            return loss(d.download(y), c);
        };
        layer.forward(xb, y, batch, spatial);
        layer.backward(xb, g, g, batch, spatial);
        List<float[]> grads = new ArrayList<>();
        List<DeviceBuffer> targets = new ArrayList<>();
        if (inputGradient) {
            grads.add(d.download(g));
            targets.add(xb);
        }
        if (params) {
            for (Parameter p : layer.parameters()) {
                grads.add(d.download(p.gradient()));
                targets.add(p.value());
            }
        }
        for (int t = 0; t < targets.size(); t++) {
            DeviceBuffer target = targets.get(t);
            float[] values = d.download(target);
            float[] grad = grads.get(t);
            for (int k = 0; k < Math.min(8, values.length); k++) {
                int at = values.length <= 8 ? k : r.nextInt(values.length);
                float saved = values[at];
                values[at] = saved + H;
                d.upload(values, target);
                double up = forwardLoss.apply(0);
                values[at] = saved - H;
                d.upload(values, target);
                double down = forwardLoss.apply(0);
                values[at] = saved;
                d.upload(values, target);
                double fd = (up - down) / (2 * H);
                assertThat(Math.abs(fd - grad[at]))
                        .as("%s: d loss / d %s[%d]: finite difference %s, backward %s", what,
                                t == 0 && inputGradient ? "x" : "parameter " + t, at, fd, grad[at])
                        .isLessThanOrEqualTo(TOL * Math.max(1, Math.abs(grad[at])));
            }
        }
        d.free(xb);
        d.free(y);
        d.free(g);
    }

    private static void randomParameters(ComputeDevice d, NormLayer layer, Random r) {
        for (Parameter p : layer.parameters()) {
            boolean isWeight = p.name().endsWith("weight") || p.name().equals("v");
            d.upload(gaussian(r, p.value().length(), 0.3, isWeight ? 1 : 0), p.value());
        }
    }

    /** A few training steps on random batches, so running state is not at its initial values. */
    private static void train(ComputeDevice d, NormLayer layer, int batch, int spatial, int steps, Random r) {
        for (int s = 0; s < steps; s++) {
            float[] x = activations(r, batch, layer.channels(), spatial);
            DeviceBuffer xb = d.upload(x);
            DeviceBuffer y = d.allocate(x.length);
            layer.forward(xb, y, batch, spatial);
            layer.backward(xb, y, y, batch, spatial);
            d.free(xb);
            d.free(y);
        }
    }

    @ParameterizedTest(name = "batch norm on {0}")
    @ValueSource(strings = {"cpu", "opencl"})
    void batchNorm(String name) {
        ComputeDevice d = DEVICES.named(name);
        for (int[] s : new int[][] {{6, 7, 1}, {3, 4, 5}}) {
            Random r = new Random(11 + s[1]);
            try (BatchNorm bn = new BatchNorm(d, s[1], 1e-3, 0.1)) {
                randomParameters(d, bn, r);
                float[] x = activations(r, s[0], s[1], s[2]);
                check("batch norm training " + name, d, bn, x, s[0], s[2], true, true, r);
                train(d, bn, s[0], s[2], 3, r);
                bn.setTraining(false);
                check("batch norm eval " + name, d, bn, x, s[0], s[2], true, true, r);
            }
        }
    }

    @ParameterizedTest(name = "group norm on {0}")
    @ValueSource(strings = {"cpu", "opencl"})
    void groupNorm(String name) {
        ComputeDevice d = DEVICES.named(name);
        for (int[] s : new int[][] {{2, 6, 1, 3}, {3, 4, 5, 2}, {2, 5, 3, 5}}) {
            Random r = new Random(13 + s[1]);
            try (GroupNorm gn = new GroupNorm(d, s[1], s[3], 1e-3)) {
                randomParameters(d, gn, r);
                check("group norm " + name, d, gn, activations(r, s[0], s[1], s[2]), s[0], s[2], true, true, r);
            }
        }
    }

    @ParameterizedTest(name = "batch-channel norm on {0}")
    @ValueSource(strings = {"cpu", "opencl"})
    void batchChannelNorm(String name) {
        ComputeDevice d = DEVICES.named(name);
        Random r = new Random(17);
        try (BatchChannelNorm bcn = new BatchChannelNorm(d, 6, 2, 1e-3, 0.5)) {
            randomParameters(d, bcn, r);
            train(d, bcn, 3, 4, 3, r);
            bcn.setTraining(false);
            check("batch-channel norm " + name, d, bcn, activations(r, 3, 6, 4), 3, 4, true, true, r);
        }
    }

    @ParameterizedTest(name = "power norm on {0}")
    @ValueSource(strings = {"cpu", "opencl"})
    void powerNorm(String name) {
        ComputeDevice d = DEVICES.named(name);
        for (int groups : new int[] {0, 1}) {
            Random r = new Random(19 + groups);
            // Warm-up longer than the test: training normalises by the batch's own statistics.
            try (PowerNorm pn = new PowerNorm(d, 7, 1e-3, 0.9, 0.9, 1000, groups)) {
                randomParameters(d, pn, r);
                float[] x = activations(r, 6, 7, 1);
                check("power norm training, parameters " + name, d, pn, x, 6, 1, false, true, r);
                pn.setTraining(false);
                check("power norm eval " + name, d, pn, x, 6, 1, true, true, r);
            }
        }
    }

    @ParameterizedTest(name = "unified norm on {0}")
    @ValueSource(strings = {"cpu", "opencl"})
    void unifiedNorm(String name) {
        ComputeDevice d = DEVICES.named(name);
        Random r = new Random(23);
        try (UnifiedNorm un = new UnifiedNorm(d, 7, 4, 1000, false, 1e-3, 0)) {
            randomParameters(d, un, r);
            float[] x = activations(r, 6, 7, 1);
            check("unified norm training during warm-up, momentum 0, " + name, d, un, x, 6, 1, true, true, r);
        }
        try (UnifiedNorm un = new UnifiedNorm(d, 7, 4, 2, false, 1e-3, 0.9)) {
            randomParameters(d, un, r);
            train(d, un, 6, 1, 6, r);
            un.setTraining(false);
            check("unified norm eval " + name, d, un, activations(r, 6, 7, 1), 6, 1, true, true, r);
        }
    }

    @ParameterizedTest(name = "weight standardization on {0}")
    @ValueSource(strings = {"cpu", "opencl"})
    void weightStandardization(String name) {
        ComputeDevice d = DEVICES.named(name);
        Random r = new Random(29);
        int out = 4;
        int fanIn = 9;
        float[] w = gaussian(r, out * fanIn, 0.2, 0.05);
        float[] c = gaussian(r, w.length, 1, 0);
        try (WeightStandardization ws = new WeightStandardization(d, out, fanIn, 1e-3)) {
            DeviceBuffer wb = d.upload(w);
            DeviceBuffer hat = d.allocate(w.length);
            DeviceBuffer g = d.upload(c);
            ws.forward(wb, hat);
            ws.backward(wb, g, g);
            float[] grad = d.download(g);
            for (int k = 0; k < w.length; k += 5) {
                float saved = w[k];
                w[k] = saved + H;
                d.upload(w, wb);
                ws.forward(wb, hat);
                double up = loss(d.download(hat), c);
                w[k] = saved - H;
                d.upload(w, wb);
                ws.forward(wb, hat);
                double down = loss(d.download(hat), c);
                w[k] = saved;
                double fd = (up - down) / (2 * H);
                assertThat(Math.abs(fd - grad[k])).as("weight standardization d/dw[%d] on %s: fd %s, backward %s", k,
                        name, fd, grad[k]).isLessThanOrEqualTo(TOL * Math.max(1, Math.abs(grad[k])));
            }
            d.free(wb);
            d.free(hat);
            d.free(g);
        }
    }

    @ParameterizedTest(name = "EvoNorm on {0}")
    @ValueSource(strings = {"cpu", "opencl"})
    void evoNorm(String name) {
        ComputeDevice d = DEVICES.named(name);
        for (EvoNormKind kind : EvoNormKind.values()) {
            for (int[] s : new int[][] {{3, 4, 6, 2}, {5, 6, 1, 3}}) {
                Random r = new Random(31 + s[1] + kind.ordinal());
                try (EvoNorm evo = new EvoNorm(d, kind, s[1], s[3], 1e-3, 0.1)) {
                    randomParameters(d, evo, r);
                    d.upload(gaussian(r, s[1], 0.5, 0.5), evo.v().value());
                    float[] x = activations(r, s[0], s[1], s[2]);
                    check(kind + " training " + name, d, evo, x, s[0], s[2], true, true, r);
                    evo.setTraining(false);
                    check(kind + " eval " + name, d, evo, x, s[0], s[2], true, true, r);
                }
            }
        }
    }
}
