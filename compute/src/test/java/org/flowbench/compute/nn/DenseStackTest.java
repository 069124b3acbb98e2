package org.flowbench.compute.nn;

import org.flowbench.compute.checkpoint.Tensor;
import org.flowbench.compute.data.SeededRandom;
import org.flowbench.compute.device.Activation;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.DeviceBuffer;
import org.flowbench.compute.device.cpu.CpuDevice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class DenseStackTest {

    private static ComputeDevice device;

    @BeforeAll
    static void open() {
        device = new CpuDevice(2);
    }

    @AfterAll
    static void close() {
        device.close();
    }

    /** 3 -> 5 -> 4 -> 2 with tanh, a layout that is neither network built on the stack. */
    private static final DenseLayers LAYOUT = new DenseLayers() {
        private final int[] widths = {3, 5, 4, 2};

        @Override
        public int layers() {
            return widths.length - 1;
        }

        @Override
        public int fanIn(int layer) {
            return widths[layer];
        }

        @Override
        public int fanOut(int layer) {
            return widths[layer + 1];
        }

        @Override
        public Activation activation() {
            return Activation.TANH;
        }
    };

    private static float[] gaussian(int count, long seed) {
        float[] v = new float[count];
        new SeededRandom(seed).fillGaussian(v);
        return v;
    }

    @Test
    void forwardMatchesADoublePrecisionReferenceAndDeviceFilledInputGivesTheSameBytes() {
        float[] p = DenseLayers.pytorchInitialParameters(LAYOUT, 4);
        int n = 7;
        float[] x = gaussian(n * 3, 5);
        try (DenseStack stack = new DenseStack(device, LAYOUT, p)) {
            float[] uploaded = device.download(stack.forward(x, n));
            assertThat(uploaded).hasSize(n * 2);
            for (int r = 0; r < n; r++) {
                double[] h = {x[3 * r], x[3 * r + 1], x[3 * r + 2]};
                for (int l = 0; l < LAYOUT.layers(); l++) {
                    double[] z = new double[LAYOUT.fanOut(l)];
                    for (int o = 0; o < z.length; o++) {
                        double s = p[LAYOUT.biasOffset(l) + o];
                        for (int i = 0; i < h.length; i++) {
                            s += h[i] * p[LAYOUT.weightOffset(l) + i * z.length + o];
                        }
                        z[o] = l < LAYOUT.layers() - 1 ? Math.tanh(s) : s;
                    }
                    h = z;
                }
                assertThat((double) uploaded[2 * r]).isCloseTo(h[0], within(1e-5));
                assertThat((double) uploaded[2 * r + 1]).isCloseTo(h[1], within(1e-5));
            }
            DeviceBuffer xs = device.upload(x);
            device.copy(xs, stack.input(n));
            assertThat(device.download(stack.forward(n))).containsExactly(uploaded);
            device.free(xs);
        }
    }

    @Test
    void backwardNeedsAForwardPassOverTheSameRows() {
        try (DenseStack stack = new DenseStack(device, LAYOUT, DenseLayers.pytorchInitialParameters(LAYOUT, 1))) {
            assertThatThrownBy(() -> stack.input(1)).hasMessageContaining("ensureCapacity first");
            stack.forward(gaussian(4 * 3, 2), 4);
            assertThatThrownBy(() -> stack.backward(new float[3 * 2], 3)).hasMessageContaining("forward pass over the same rows");
            stack.backward(gaussian(4 * 2, 3), 4);
            assertThat(stack.gradientValues()).isNotEqualTo(new float[LAYOUT.parameterCount()]);
            stack.discardActivations();
            assertThatThrownBy(() -> stack.backward(new float[4 * 2], 4)).isInstanceOf(IllegalStateException.class);
            stack.close();
            assertThatThrownBy(() -> stack.forward(new float[3], 1)).hasMessage("dense layers were closed");
        }
        assertThatThrownBy(() -> new DenseStack(device, LAYOUT, new float[3])).hasMessageContaining("got 3");
    }

    @Test
    void tensorsRoundTripAndOtherTensorsAreIgnored() {
        float[] p = DenseLayers.pytorchInitialParameters(LAYOUT, 9);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Tensor t : DenseStack.toTensors(LAYOUT, p)) {
            tensors.put(t.name(), t);
        }
        assertThat(tensors.keySet()).containsExactly("net.0.weight", "net.0.bias", "net.2.weight", "net.2.bias",
                "net.4.weight", "net.4.bias");
        assertThat(tensors.get("net.2.weight").shape()).containsExactly(4, 5);
        // PyTorch's [out, in]: row o of the tensor holds the weights into output o.
        assertThat(tensors.get("net.0.weight").data()[1 * 3 + 2]).isEqualTo(p[LAYOUT.weightOffset(0) + 2 * 5 + 1]);
        tensors.put("log_z", new Tensor("log_z", new int[] {1}, new float[] {1f}));
        assertThat(DenseStack.fromTensors(LAYOUT, tensors)).containsExactly(p);
        tensors.remove("net.4.bias");
        assertThatThrownBy(() -> DenseStack.fromTensors(LAYOUT, tensors)).hasMessage("no tensor named 'net.4.bias'");
    }
}
