package org.flowbench.compute.nn;

import org.flowbench.compute.checkpoint.Tensor;
import org.flowbench.compute.data.SeededRandom;
import org.flowbench.compute.device.Activation;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.cpu.CpuDevice;
import org.flowbench.compute.ode.IntegrationMonitor;
import org.flowbench.compute.ode.OdeResult;
import org.flowbench.compute.ode.Recording;
import org.flowbench.compute.ode.Solvers;
import org.flowbench.compute.ode.TimeGrid;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class VelocityMlpTest {

    private static ComputeDevice device;

    @BeforeAll
    static void open() {
        device = new CpuDevice(2);
    }

    @AfterAll
    static void close() {
        device.close();
    }

    /** An independent forward pass in double precision on the heap, PyTorch layout semantics. */
    static double[] referenceForward(MlpArchitecture a, double[] p, float[] x, float[] t, int n) {
        double[] out = new double[n * a.outputDim()];
        float[] features = new float[a.time().dimension()];
        for (int r = 0; r < n; r++) {
            double[] h = new double[a.fanIn(0)];
            for (int j = 0; j < a.inputDim(); j++) {
                h[j] = x[r * a.inputDim() + j];
            }
            a.time().embed(t[r], features, 0);
            for (int j = 0; j < features.length; j++) {
                h[a.inputDim() + j] = features[j];
            }
            for (int l = 0; l < a.layers(); l++) {
                int in = a.fanIn(l);
                int outWidth = a.fanOut(l);
                double[] z = new double[outWidth];
                for (int o = 0; o < outWidth; o++) {
                    double s = p[a.biasOffset(l) + o];
                    for (int i = 0; i < in; i++) {
                        s += h[i] * p[a.weightOffset(l) + i * outWidth + o];
                    }
                    z[o] = l < a.layers() - 1 ? activate(a.activation(), s) : s;
                }
                h = z;
            }
            System.arraycopy(h, 0, out, r * a.outputDim(), a.outputDim());
        }
        return out;
    }

    static double activate(Activation f, double x) {
        return switch (f) {
            case RELU -> Math.max(0, x);
            case SILU -> x / (1 + Math.exp(-x));
            case SELU -> Activation.SELU_SCALE * (x > 0 ? x : Activation.SELU_ALPHA * Math.expm1(x));
            case TANH -> Math.tanh(x);
            case GELU -> 0.5 * x * (1 + Math.tanh(Activation.GELU_SQRT_2_OVER_PI * (x + Activation.GELU_CUBIC * x * x * x)));
            case IDENTITY -> x;
        };
    }

    private static float[] gaussian(int count, long seed) {
        float[] v = new float[count];
        new SeededRandom(seed).fillGaussian(v);
        return v;
    }

    private static float[] uniform(int count, long seed) {
        float[] v = new float[count];
        SeededRandom r = new SeededRandom(seed);
        for (int i = 0; i < count; i++) {
            v[i] = r.nextFloat();
        }
        return v;
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"RELU", "SILU", "SELU", "TANH", "GELU"})
    void gradientsMatchFiniteDifferencesOfADoublePrecisionForward(Activation activation) {
        MlpArchitecture a = new MlpArchitecture(2, 2, TimeEmbedding.sinusoidal(3), new int[] {7, 5}, activation);
        int n = 6;
        float[] x = gaussian(2 * n, 1);
        float[] t = uniform(n, 2);
        float[] weights = gaussian(2 * n, 3); // L = sum weights * out, so dL/dout = weights
        try (VelocityMlp model = VelocityMlp.create(device, a, 5)) {
            float[] out = new float[2 * n];
            model.forward(x, t, n, out);
            float[] p = model.parameterValues();
            double[] pd = new double[p.length];
            for (int i = 0; i < p.length; i++) {
                pd[i] = p[i];
            }
            double[] reference = referenceForward(a, pd, x, t, n);
            for (int k = 0; k < out.length; k++) {
                assertThat((double) out[k]).isCloseTo(reference[k], within(1e-5 + 1e-5 * Math.abs(reference[k])));
            }
            model.backward(weights, n);
            float[] g = model.gradientValues();
            double h = 1e-5;
            int checked = 0;
            for (int i = 0; i < p.length; i++) {
                double saved = pd[i];
                pd[i] = saved + h;
                double plus = dot(weights, referenceForward(a, pd, x, t, n));
                pd[i] = saved - h;
                double minus = dot(weights, referenceForward(a, pd, x, t, n));
                pd[i] = saved;
                double numeric = (plus - minus) / (2 * h);
                assertThat((double) g[i]).as("%s parameter %d", activation, i)
                        .isCloseTo(numeric, within(2e-4 + 2e-3 * Math.abs(numeric)));
                checked++;
            }
            assertThat(checked).isEqualTo(a.parameterCount());
            assertThat(maxAbs(g)).isGreaterThan(1e-2);
        }
    }

    private static double dot(float[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float f : v) {
            m = Math.max(m, Math.abs(f));
        }
        return m;
    }

    @Test
    void initialisationIsDeterministicAndBoundedByFanIn() {
        MlpArchitecture a = MlpArchitecture.plane(new int[] {64, 64, 64}, Activation.SELU);
        float[] p = VelocityMlp.initialParameters(a, 42);
        assertThat(VelocityMlp.initialParameters(a, 42)).containsExactly(p);
        assertThat(VelocityMlp.initialParameters(a, 43)).isNotEqualTo(p);
        assertThat(p).hasSize((2 + 8 + 1) * 64 + 2 * 65 * 64 + 65 * 2);
        double bound = 1 / Math.sqrt(64);
        for (int i = a.weightOffset(1); i < a.weightOffset(2); i++) {
            assertThat(Math.abs(p[i])).isLessThan((float) bound);
        }
    }

    @Test
    void tensorsUsePyTorchLinearLayout() {
        MlpArchitecture a = new MlpArchitecture(2, 2, TimeEmbedding.RAW, new int[0], Activation.TANH);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("net.0.weight", new Tensor("net.0.weight", new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));
        tensors.put("net.0.bias", new Tensor("net.0.bias", new int[] {2}, new float[] {0.5f, -0.5f}));
        float[] flat = VelocityMlp.fromTensors(a, tensors);
        try (VelocityMlp model = VelocityMlp.withParameters(device, a, flat)) {
            float[] v = new float[2];
            model.velocity(new float[] {1, 1}, 1, 0.5f, v);
            // PyTorch: y = W [x, t] + b with W [out, in]
            assertThat(v).containsExactly(1 + 2 + 1.5f + 0.5f, 4 + 5 + 3f - 0.5f);
            List<Tensor> back = model.toTensors();
            assertThat(back.get(0).bitEquals(tensors.get("net.0.weight"))).isTrue();
            assertThat(back.get(1).bitEquals(tensors.get("net.0.bias"))).isTrue();
        }
        tensors.remove("net.0.bias");
        assertThatThrownBy(() -> VelocityMlp.fromTensors(a, tensors)).hasMessage("no tensor named 'net.0.bias'");
        MlpArchitecture wider = new MlpArchitecture(2, 2, TimeEmbedding.sinusoidal(1), new int[0], Activation.TANH);
        tensors.put("net.0.bias", new Tensor("net.0.bias", new int[] {2}, new float[] {0, 0}));
        assertThatThrownBy(() -> VelocityMlp.fromTensors(wider, tensors)).hasMessageContaining("has shape [2, 3] but the architecture needs [2, 4]");
    }

    @Test
    void velocityInChunksEqualsOneBatchAndTimeEnters() {
        MlpArchitecture a = MlpArchitecture.plane(new int[] {16, 16}, Activation.SILU);
        int n = VelocityMlp.INFERENCE_CHUNK + 37;
        float[] x = gaussian(2 * n, 9);
        try (VelocityMlp model = VelocityMlp.create(device, a, 1)) {
            float[] chunked = new float[2 * n];
            model.velocity(x, n, 0.3f, chunked);
            float[] tail = new float[2 * 37];
            float[] xTail = java.util.Arrays.copyOfRange(x, 2 * VelocityMlp.INFERENCE_CHUNK, 2 * n);
            model.forward(xTail, 0.3f, 37, tail);
            assertThat(java.util.Arrays.copyOfRange(chunked, 2 * VelocityMlp.INFERENCE_CHUNK, 2 * n)).containsExactly(tail);
            float[] later = new float[2 * n];
            model.velocity(x, n, 0.7f, later);
            assertThat(later).isNotEqualTo(chunked);
        }
    }

    @Test
    void architectureSpecRoundTripsAndRejectsNonsense() {
        MlpArchitecture a = MlpArchitecture.plane(new int[] {64, 32}, Activation.SELU);
        assertThat(a.spec()).isEqualTo("mlp:in=2,out=2,time=sin4,hidden=64x32,activation=selu");
        assertThat(MlpArchitecture.parse(a.spec())).isEqualTo(a);
        assertThatThrownBy(() -> MlpArchitecture.parse("cnn:foo")).hasMessageContaining("not an MLP");
        assertThatThrownBy(() -> MlpArchitecture.parse("mlp:in=2,out=2,time=sin4,hidden=0,activation=selu"))
                .hasMessageContaining("hidden widths must be in");
        assertThatThrownBy(() -> MlpArchitecture.parseWidths("64,abc")).hasMessageContaining("'abc'");
        assertThatThrownBy(() -> MlpArchitecture.parse("mlp:in=2,out=2,time=sin4,hidden=64,activation=swish"))
                .hasMessageContaining("unknown activation 'swish'");
    }
}
