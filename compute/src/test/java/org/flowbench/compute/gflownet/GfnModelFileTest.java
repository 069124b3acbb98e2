package org.flowbench.compute.gflownet;

import org.flowbench.compute.checkpoint.Checkpoint;
import org.flowbench.compute.checkpoint.CheckpointFormatException;
import org.flowbench.compute.checkpoint.Safetensors;
import org.flowbench.compute.device.Activation;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.cpu.CpuDevice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GfnModelFileTest {

    private static ComputeDevice device;

    @BeforeAll
    static void open() {
        device = new CpuDevice(2);
    }

    @AfterAll
    static void close() {
        device.close();
    }

    private static GfnTraining.Trained trained() {
        return GfnTraining.train(device, new GfnTraining.Config("hypergrid:D=2,H=5,R0=0.01", "subtb:0.9", new int[] {16},
                Activation.RELU, 8, 64, 1e-3, 0.1, 0.05, 1, 9, 0, 0, false, 64), null, null, null);
    }

    @Test
    void aSavedModelLoadsBackAndInducesTheSameDistribution(@TempDir Path dir) throws Exception {
        GfnTraining.Trained run = trained();
        Path file = dir.resolve("grid.safetensors");
        GfnModelFile.save(file, run);
        try (GfnModelFile.Loaded loaded = GfnModelFile.load(device, file)) {
            assertThat(loaded.environment().spec()).isEqualTo("hypergrid:D=2,H=5,R0=0.01,R1=0.5,R2=2");
            assertThat(loaded.objective().spec()).isEqualTo("subtb:0.9");
            assertThat(loaded.network().parameterValues()).containsExactly(run.parameters());
            assertThat(loaded.metadata(Checkpoint.KEY_SEED, "")).isEqualTo("9");
            assertThat(loaded.metadata(Checkpoint.KEY_TRAINING, "")).contains("\"loss\":\"subtb:0.9\"");
            Evaluation.Exact e = Evaluation.exact(ExactFlows.of(loaded.environment()), loaded.network(), loaded.objective(),
                    loaded.logZ());
            assertThat(e.l1()).isEqualTo(run.last().l1());
            // The edge flow error is the mean over allowed edges of |learned - true| log flow.
            ExactFlows truth = ExactFlows.of(loaded.environment());
            int a = loaded.environment().actionCount();
            double sum = 0;
            int edges = 0;
            for (int i = 0; i < truth.graph().size(); i++) {
                for (int j = 0; j < a; j++) {
                    if (truth.edgeFlow(i, j) > 0) {
                        sum += Math.abs(e.logEdgeFlows()[i * a + j] - Math.log(truth.edgeFlow(i, j)));
                        edges++;
                    } else {
                        assertThat(e.logEdgeFlows()[i * a + j]).isEqualTo(Double.NEGATIVE_INFINITY);
                    }
                }
            }
            assertThat(edges).isEqualTo(truth.graph().edgeCount());
            assertThat(e.edgeFlowError()).isCloseTo(sum / edges, org.assertj.core.api.Assertions.within(1e-12));
            // SubTB reads the state flow from the flow head.
            assertThat(e.logStateFlows()[0]).isEqualTo(e.logZEstimate());
        }
        // Same run, same bytes.
        assertThat(Safetensors.toBytes(GfnModelFile.toCheckpoint(run))).isEqualTo(Files.readAllBytes(file));
    }

    @Test
    void brokenMetadataIsNamed(@TempDir Path dir) throws Exception {
        Checkpoint good = GfnModelFile.toCheckpoint(trained());
        Map<String, String[]> cases = Map.of(
                "environment", new String[] {"hypergrid:D=2", "metadata 'environment'"},
                "loss", new String[] {"kl", "metadata 'loss'"},
                "architecture", new String[] {"gfn-mlp:in=9,actions=3,hidden=16,activation=relu", "does not fit"},
                "kind", new String[] {"velocity-mlp", "expected gflownet-policy"});
        for (Map.Entry<String, String[]> c : cases.entrySet()) {
            Map<String, String> meta = new HashMap<>(good.metadata());
            meta.put(c.getKey(), c.getValue()[0]);
            Path file = dir.resolve(c.getKey() + ".safetensors");
            Safetensors.write(file, new Checkpoint(meta, good.tensorList()));
            assertThatThrownBy(() -> GfnModelFile.load(device, file)).isInstanceOf(CheckpointFormatException.class)
                    .hasMessageContaining(c.getValue()[1]).hasMessageContaining(file.getFileName().toString());
        }
    }
}
