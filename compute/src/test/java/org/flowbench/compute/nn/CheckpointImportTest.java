package org.flowbench.compute.nn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.flowbench.compute.checkpoint.Checkpoint;
import org.flowbench.compute.checkpoint.CheckpointFormatException;
import org.flowbench.compute.checkpoint.CheckpointIndex;
import org.flowbench.compute.checkpoint.Safetensors;
import org.flowbench.compute.checkpoint.Tensor;
import org.flowbench.compute.device.Activation;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.cpu.CpuDevice;
import org.flowbench.compute.ode.IntegrationMonitor;
import org.flowbench.compute.ode.Recording;
import org.flowbench.compute.ode.Solvers;
import org.flowbench.compute.ode.TimeGrid;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Every preset against an independent forward pass: the fixtures in {@code import/} were written
 * by {@code make_fixtures.py} with NumPy in the upstream projects' layouts (F32, F16, BF16
 * safetensors and .npz), with float64 velocities and 8-step Euler end points computed there.
 */
class CheckpointImportTest {

    private static final double TOLERANCE = 1e-5;

    private static ComputeDevice device;
    private static Path fixtures;
    private static JsonNode expected;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() throws Exception {
        device = new CpuDevice(2);
        fixtures = Path.of(CheckpointImportTest.class.getResource("import/expected.json").toURI()).getParent();
        expected = new ObjectMapper().readTree(fixtures.resolve("expected.json").toFile());
    }

    @AfterAll
    static void close() {
        device.close();
    }

    private static float[] points() {
        JsonNode p = expected.get("points");
        float[] xy = new float[p.size() * 2];
        for (int i = 0; i < p.size(); i++) {
            xy[2 * i] = (float) p.get(i).get(0).asDouble();
            xy[2 * i + 1] = (float) p.get(i).get(1).asDouble();
        }
        return xy;
    }

    private static void assertRowsClose(float[] actual, JsonNode rows, String what) {
        assertThat(actual).hasSize(rows.size() * 2);
        for (int i = 0; i < rows.size(); i++) {
            for (int d = 0; d < 2; d++) {
                assertThat((double) actual[2 * i + d]).as("%s, point %d, coordinate %d", what, i, d)
                        .isCloseTo(rows.get(i).get(d).asDouble(), within(TOLERANCE));
            }
        }
    }

    @Test
    void everyFixtureOfEveryPresetMatchesTheIndependentForwardPassAndTrajectory() throws Exception {
        float[] z0 = points();
        int n = z0.length / 2;
        int checked = 0;
        Iterator<Map.Entry<String, JsonNode>> files = expected.get("files").fields();
        while (files.hasNext()) {
            Map.Entry<String, JsonNode> fixture = files.next();
            ImportPreset preset = ImportPreset.byId(fixture.getValue().get("preset").asText());
            Path file = fixtures.resolve(fixture.getKey());
            try (FlowModelFile.Loaded loaded = CheckpointImport.load(device, file, preset, null, null)) {
                MlpArchitecture a = loaded.model().architecture();
                assertThat(a.activation()).isEqualTo(preset.activation());
                assertThat(a.time()).isEqualTo(TimeEmbedding.RAW);
                assertThat(a.inputDim()).isEqualTo(2);
                assertThat(loaded.metadata(CheckpointImport.KEY_IMPORT_PRESET, null)).isEqualTo(preset.id());
                JsonNode times = expected.get("times");
                for (int k = 0; k < times.size(); k++) {
                    float[] v = new float[2 * n];
                    loaded.model().velocity(z0, n, (float) times.get(k).asDouble(), v);
                    assertRowsClose(v, fixture.getValue().get("velocity").get(k), fixture.getKey() + " velocity at t = " + times.get(k));
                }
                float[] z1 = Solvers.byName("euler").integrate(loaded.model(), z0.clone(), n, TimeGrid.forward(expected.get("euler_steps").asInt()),
                        Recording.NONE, IntegrationMonitor.NONE).finalState();
                assertRowsClose(z1, fixture.getValue().get("euler"), fixture.getKey() + " Euler end point");
            }
            checked++;
        }
        assertThat(checked).isEqualTo(10);
    }

    @Test
    void theArchitectureIsInferredFromTheShapesAlone() throws Exception {
        CheckpointImport.Plan torchcfm = CheckpointImport.plan(CheckpointIndex.open(fixtures.resolve("torchcfm-mlp-bf16.safetensors")),
                ImportPreset.TORCHCFM_MLP, null, null);
        assertThat(torchcfm.architecture().spec()).isEqualTo("mlp:in=2,out=2,time=raw,hidden=16x16x16,activation=selu");
        assertThat(torchcfm.weights()).containsExactly("net.0.weight", "net.2.weight", "net.4.weight", "net.6.weight");
        assertThat(torchcfm.storedType()).isEqualTo("BF16");
        CheckpointImport.Plan rectified = CheckpointImport.plan(CheckpointIndex.open(fixtures.resolve("rectified-flow-mlp.npz")),
                ImportPreset.RECTIFIED_FLOW_MLP, null, null);
        assertThat(rectified.architecture().spec()).isEqualTo("mlp:in=2,out=2,time=raw,hidden=20x20,activation=tanh");
        CheckpointImport.Plan overridden = CheckpointImport.plan(CheckpointIndex.open(fixtures.resolve("flow-matching-mlp-f32.safetensors")),
                ImportPreset.FLOW_MATCHING_MLP, Activation.RELU, null);
        assertThat(overridden.architecture().spec()).isEqualTo("mlp:in=2,out=2,time=raw,hidden=12x12x12x12,activation=relu");
    }

    @Test
    void theFlowbenchPresetReadsFlowbenchCheckpointsAsTheyAre() throws Exception {
        MlpArchitecture a = MlpArchitecture.plane(new int[] {6, 5}, Activation.SELU);
        float[] p = VelocityMlp.initialParameters(a, 11);
        Path f = dir.resolve("own.safetensors");
        FlowModelFile.save(f, a, p, FlowModelFile.KIND_VELOCITY, Map.of(Checkpoint.KEY_TARGET, "moons"));
        try (FlowModelFile.Loaded loaded = CheckpointImport.load(device, f, ImportPreset.FLOWBENCH, null, null)) {
            assertThat(loaded.model().architecture()).isEqualTo(a);
            assertThat(loaded.metadata(Checkpoint.KEY_TARGET, null)).isEqualTo("moons");
            float[] x = {0.3f, -1.2f, 2f, 0.5f};
            float[] v = new float[4];
            loaded.model().velocity(x, 2, 0.7f, v);
            for (int i = 0; i < 2; i++) {
                double[] reference = forward(Safetensors.read(f).tensors(), a, x[2 * i], x[2 * i + 1], 0.7);
                assertThat((double) v[2 * i]).isCloseTo(reference[0], within(TOLERANCE));
                assertThat((double) v[2 * i + 1]).isCloseTo(reference[1], within(TOLERANCE));
            }
        }
        assertThatThrownBy(() -> CheckpointImport.load(device, f, ImportPreset.FLOWBENCH, Activation.TANH, null))
                .hasMessageContaining("takes the activation and time embedding from the file");
    }

    /** Flowbench's layout in float64: [x, sin(pi 2^k t), cos(pi 2^k t)...] through net.N with SELU. */
    private static double[] forward(Map<String, Tensor> tensors, MlpArchitecture a, double x, double y, double t) {
        List<Double> in = new ArrayList<>(List.of(x, y));
        for (int k = 0; k < a.time().frequencies(); k++) {
            in.add(Math.sin(Math.PI * Math.pow(2, k) * t));
            in.add(Math.cos(Math.PI * Math.pow(2, k) * t));
        }
        double[] h = in.stream().mapToDouble(Double::doubleValue).toArray();
        for (int l = 0; l < a.layers(); l++) {
            Tensor w = tensors.get(VelocityMlp.weightName(l));
            float[] b = tensors.get(VelocityMlp.biasName(l)).data();
            double[] out = new double[w.dim(0)];
            for (int o = 0; o < out.length; o++) {
                double s = b[o];
                for (int i = 0; i < h.length; i++) {
                    s += w.data()[o * h.length + i] * h[i];
                }
                out[o] = l < a.layers() - 1
                        ? Activation.SELU_SCALE * (s > 0 ? s : Activation.SELU_ALPHA * Math.expm1(s)) : s;
            }
            h = out;
        }
        return h;
    }

    @Test
    void layoutsThatDoNotFitThePresetGiveOneLineNamingFileAndTensor() throws Exception {
        Path torchcfm = fixtures.resolve("torchcfm-mlp-f32.safetensors");
        assertThatThrownBy(() -> CheckpointImport.load(device, torchcfm, ImportPreset.RECTIFIED_FLOW_MLP, null, null))
                .isInstanceOf(CheckpointFormatException.class)
                .hasMessage("torchcfm-mlp-f32.safetensors: tensor 'net.0.weight' (and 7 more) is not a Linear layer of a"
                        + " rectified-flow-mlp (fcN.weight and fcN.bias)");
        assertThatThrownBy(() -> CheckpointImport.load(device, torchcfm, ImportPreset.TORCHCFM_MLP, null, TimeEmbedding.sinusoidal(2)))
                .hasMessageStartingWith("torchcfm-mlp-f32.safetensors: layer shapes do not fit time embedding sin2");

        Path broken = dir.resolve("broken.safetensors");
        Safetensors.write(broken, new Checkpoint(Map.of(), List.of(
                new Tensor("net.0.weight", new int[] {4, 3}, new float[12]), new Tensor("net.0.bias", new int[] {4}, new float[4]),
                new Tensor("net.2.weight", new int[] {2, 5}, new float[10]), new Tensor("net.2.bias", new int[] {2}, new float[2]))));
        assertThatThrownBy(() -> CheckpointImport.load(device, broken, ImportPreset.TORCHCFM_MLP, null, null))
                .hasMessage("broken.safetensors: tensor 'net.2.weight' takes 5 inputs but the layer before gives 4");

        Path parallel = dir.resolve("parallel.safetensors");
        Checkpoint wrapped = Safetensors.read(torchcfm);
        List<Tensor> renamed = new ArrayList<>();
        for (Tensor t : wrapped.tensorList()) {
            renamed.add(new Tensor("module." + t.name(), t.shape(), t.data()));
        }
        Safetensors.write(parallel, new Checkpoint(Map.of(), renamed));
        try (FlowModelFile.Loaded loaded = CheckpointImport.load(device, parallel, ImportPreset.TORCHCFM_MLP, null, null)) {
            assertThat(loaded.model().architecture().hidden()).containsExactly(16, 16, 16);
        }
        assertThat(Files.size(parallel)).isPositive();
    }

    @Test
    void presetsAreNamedAsUsersTypeThem() {
        assertThat(ImportPreset.byId(" TorchCFM-MLP ")).isEqualTo(ImportPreset.TORCHCFM_MLP);
        assertThat(ImportPreset.ids()).isEqualTo("torchcfm-mlp, flow-matching-mlp, rectified-flow-mlp, flowbench");
        assertThatThrownBy(() -> ImportPreset.byId("keras")).hasMessage(
                "unknown import preset 'keras' (known: torchcfm-mlp, flow-matching-mlp, rectified-flow-mlp, flowbench)");
    }
}
