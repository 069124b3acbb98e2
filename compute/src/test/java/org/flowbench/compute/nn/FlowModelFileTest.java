package org.flowbench.compute.nn;

import org.flowbench.compute.checkpoint.Checkpoint;
import org.flowbench.compute.checkpoint.CheckpointFormatException;
import org.flowbench.compute.checkpoint.Safetensors;
import org.flowbench.compute.checkpoint.Tensor;
import org.flowbench.compute.device.Activation;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.cpu.CpuDevice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class FlowModelFileTest {

    private static ComputeDevice device;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() {
        device = new CpuDevice(2);
    }

    @AfterAll
    static void close() {
        device.close();
    }

    @Test
    void savedModelLoadsBackBitForBitWithItsRecord() throws Exception {
        MlpArchitecture a = MlpArchitecture.plane(new int[] {12, 6}, Activation.TANH);
        float[] p = VelocityMlp.initialParameters(a, 9);
        Path f = dir.resolve("m.safetensors");
        FlowModelFile.save(f, a, p, FlowModelFile.KIND_VELOCITY, Map.of(Checkpoint.KEY_TARGET, "moons", Checkpoint.KEY_SEED, "9"));
        byte[] first = Files.readAllBytes(f);
        try (FlowModelFile.Loaded loaded = FlowModelFile.load(device, f)) {
            assertThat(loaded.model().parameterValues()).containsExactly(p);
            assertThat(loaded.model().architecture()).isEqualTo(a);
            assertThat(loaded.kind()).isEqualTo(FlowModelFile.KIND_VELOCITY);
            assertThat(loaded.metadata(Checkpoint.KEY_TARGET, null)).isEqualTo("moons");
            FlowModelFile.save(f, a, loaded.model().parameterValues(), FlowModelFile.KIND_VELOCITY,
                    Map.of(Checkpoint.KEY_TARGET, "moons", Checkpoint.KEY_SEED, "9"));
        }
        assertThat(Files.readAllBytes(f)).isEqualTo(first);
        assertThatThrownBy(() -> FlowModelFile.load(device, f, FlowModelFile.KIND_ONE_STEP))
                .isInstanceOf(CheckpointFormatException.class)
                .hasMessage("m.safetensors: checkpoint of kind 'velocity-mlp', expected one-step-generator");
    }

    @Test
    void mismatchedArchitectureOrNonFiniteWeightsAreRefused() throws Exception {
        MlpArchitecture a = MlpArchitecture.plane(new int[] {4}, Activation.RELU);
        Checkpoint c = FlowModelFile.toCheckpoint(a, VelocityMlp.initialParameters(a, 1), FlowModelFile.KIND_VELOCITY, Map.of());
        Map<String, String> meta = new java.util.LinkedHashMap<>(c.metadata());
        meta.put(Checkpoint.KEY_ARCHITECTURE, MlpArchitecture.plane(new int[] {5}, Activation.RELU).spec());
        Path wrong = dir.resolve("wrong.safetensors");
        Safetensors.write(wrong, new Checkpoint(meta, c.tensorList()));
        assertThatThrownBy(() -> FlowModelFile.load(device, wrong)).hasMessageContaining("wrong.safetensors: tensor 'net.0.weight' has shape [4, 10]");
        float[] p = VelocityMlp.initialParameters(a, 1);
        p[3] = Float.NaN;
        Path nan = dir.resolve("nan.safetensors");
        FlowModelFile.save(nan, a, p, FlowModelFile.KIND_VELOCITY, Map.of());
        assertThatThrownBy(() -> FlowModelFile.load(device, nan)).hasMessageContaining("is not finite");
        meta.put(Checkpoint.KEY_ARCHITECTURE, "mlp:in=2");
        Path garbled = dir.resolve("garbled.safetensors");
        Safetensors.write(garbled, new Checkpoint(meta, c.tensorList()));
        assertThatThrownBy(() -> FlowModelFile.load(device, garbled)).hasMessageContaining("garbled.safetensors: architecture 'mlp:in=2' lacks");
    }

    @Test
    void importsATorchcfmStyleLinearStackWithoutMetadata() throws Exception {
        // torchcfm MLP(dim=2, w=3, time_varying=True): Linear(3, 3), act, Linear(3, 2); input [x, t].
        float[] w0 = {0.1f, -0.2f, 0.3f, 0.4f, 0.5f, -0.6f, -0.7f, 0.8f, 0.9f};
        float[] b0 = {0.01f, 0.02f, -0.03f};
        float[] w2 = {1f, -1f, 0.5f, 0.25f, 2f, -0.5f};
        float[] b2 = {0.1f, -0.1f};
        Path f = dir.resolve("torch.safetensors");
        Safetensors.write(f, new Checkpoint(Map.of("format", "pt"), List.of(
                new Tensor("net.0.weight", new int[] {3, 3}, w0), new Tensor("net.0.bias", new int[] {3}, b0),
                new Tensor("net.2.weight", new int[] {2, 3}, w2), new Tensor("net.2.bias", new int[] {2}, b2))));
        assertThatThrownBy(() -> FlowModelFile.load(device, f)).hasMessageContaining("not a Flowbench checkpoint");
        try (FlowModelFile.Loaded loaded = FlowModelFile.importLinearStack(device, f, Activation.TANH, TimeEmbedding.RAW)) {
            assertThat(loaded.model().architecture().spec()).isEqualTo("mlp:in=2,out=2,time=raw,hidden=3,activation=tanh");
            float[] x = {0.5f, -1f};
            float t = 0.25f;
            float[] in = {x[0], x[1], t};
            double[] h = new double[3];
            for (int o = 0; o < 3; o++) {
                double s = b0[o];
                for (int i = 0; i < 3; i++) {
                    s += w0[o * 3 + i] * in[i];
                }
                h[o] = Math.tanh(s);
            }
            float[] v = new float[2];
            loaded.model().velocity(x, 1, t, v);
            for (int o = 0; o < 2; o++) {
                double s = b2[o];
                for (int i = 0; i < 3; i++) {
                    s += w2[o * 3 + i] * h[i];
                }
                assertThat((double) v[o]).isCloseTo(s, within(1e-6));
            }
        }
        assertThatThrownBy(() -> FlowModelFile.importLinearStack(device, f, Activation.TANH, TimeEmbedding.sinusoidal(4)))
                .hasMessageContaining("torch.safetensors: layer shapes do not fit time embedding sin4");
    }
}
