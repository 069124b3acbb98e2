package org.flowbench.compute.nn;

import org.flowbench.compute.checkpoint.Checkpoint;
import org.flowbench.compute.checkpoint.CheckpointFormatException;
import org.flowbench.compute.checkpoint.CheckpointIndex;
import org.flowbench.compute.checkpoint.Safetensors;
import org.flowbench.compute.checkpoint.Tensor;
import org.flowbench.compute.device.Activation;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.cpu.CpuDevice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Files whose metadata claims more than their tensors hold, or that carry tensors nobody uses:
 * loading refuses or skips them with one line, quickly, without allocating what they claim.
 */
class HostileCheckpointsTest {

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

    /** Bytes this thread allocates while {@code call} runs (HotSpot's per-thread counter). */
    private static long allocatedDuring(ThrowingCall call) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        try {
            call.run();
        } catch (Exception | Error e) {
            // the caller asserts the outcome separately
        }
        return threads.getThreadAllocatedBytes(id) - before;
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }

    /** A real small model's tensors under metadata that claims another architecture. */
    private Path claiming(String name, String claimedArchitecture, MlpArchitecture real, Tensor... extra) throws Exception {
        Checkpoint c = FlowModelFile.toCheckpoint(real, VelocityMlp.initialParameters(real, 3), FlowModelFile.KIND_VELOCITY, Map.of());
        Map<String, String> meta = new LinkedHashMap<>(c.metadata());
        meta.put(Checkpoint.KEY_ARCHITECTURE, claimedArchitecture);
        List<Tensor> tensors = new ArrayList<>(c.tensorList());
        tensors.addAll(List.of(extra));
        Path f = dir.resolve(name);
        Safetensors.write(f, new Checkpoint(meta, tensors));
        return f;
    }

    private static String widths(int layers, int width) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < layers; i++) {
            s.append(i == 0 ? "" : "x").append(width);
        }
        return s.toString();
    }

    @Test
    void thirtyLayersOfWidth8192ClaimedByA140KilobyteFileAreRefusedFastAndSmall() throws Exception {
        MlpArchitecture real = MlpArchitecture.plane(new int[] {128, 128, 64}, Activation.SELU);
        Path f = claiming("claims-30x8192.safetensors", "mlp:in=2,out=2,time=sin4,hidden=" + widths(30, 8192) + ",activation=selu", real);
        assertThat(Files.size(f)).isBetween(80_000L, 200_000L);
        long start = System.nanoTime();
        long allocated = allocatedDuring(() -> FlowModelFile.load(device, f));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThatThrownBy(() -> FlowModelFile.load(device, f)).isInstanceOf(CheckpointFormatException.class)
                .hasMessage("claims-30x8192.safetensors: tensor 'net.0.weight' has shape [128, 10] but the architecture needs [8192, 10]");
        assertThat(seconds).as("seconds to refuse").isLessThan(1.0);
        assertThat(allocated).as("bytes allocated while refusing").isLessThan(20L << 20);
    }

    @Test
    void sixtyFourLayersOfWidth8192AreCountedWithoutOverflow() throws Exception {
        MlpArchitecture real = MlpArchitecture.plane(new int[] {16}, Activation.SELU);
        Path f = claiming("claims-64x8192.safetensors", "mlp:in=2,out=2,time=sin4,hidden=" + widths(64, 8192) + ",activation=selu", real);
        assertThatThrownBy(() -> FlowModelFile.load(device, f)).isInstanceOf(CheckpointFormatException.class)
                .hasMessage("claims-64x8192.safetensors: an MLP of 64 hidden layers up to 8192 wide has 4228481026 parameters,"
                        + " more than the 2147483639 one model may hold");
        // (10 + 1) * 8192 into the first layer, 63 * (8192 + 1) * 8192 between hidden layers, (8192 + 1) * 2 out.
        assertThat(11L * 8192 + 63L * 8193 * 8192 + 8193L * 2).isEqualTo(4228481026L);
    }

    @Test
    void aLargeTensorTheModelDoesNotUseIsNeverRead() throws Exception {
        MlpArchitecture real = MlpArchitecture.plane(new int[] {8}, Activation.SELU);
        int big = 10 << 20; // 40 MB of floats on disk
        Path f = claiming("big-extra.safetensors", real.spec(), real, new Tensor("optimizer.state", new int[] {big}, new float[big]));
        System.gc();
        long allocated = allocatedDuring(() -> FlowModelFile.load(device, f));
        assertThatThrownBy(() -> FlowModelFile.load(device, f)).hasMessage("big-extra.safetensors: architecture " + real.spec()
                + " has 4 tensors but the file holds 5 (e.g. 'optimizer.state')");
        assertThat(allocated).as("bytes allocated for a %d-byte file", Files.size(f)).isLessThan(4L << 20);

        CheckpointIndex index = CheckpointIndex.open(f);
        long readOne = allocatedDuring(() -> index.read(VelocityMlp.weightName(0)));
        assertThat(index.read(VelocityMlp.weightName(0)).shape()).containsExactly(8, 10);
        assertThat(readOne).as("bytes allocated reading one small tensor").isLessThan(4L << 20);
    }

    @Test
    void theLoadingCeilingRefusesATensorBeforeReadingIt() throws Exception {
        MlpArchitecture real = MlpArchitecture.plane(new int[] {8}, Activation.SELU);
        Path f = claiming("small.safetensors", real.spec(), real);
        String previous = System.getProperty(CheckpointIndex.MAX_LOAD_BYTES_PROPERTY);
        System.setProperty(CheckpointIndex.MAX_LOAD_BYTES_PROPERTY, "200");
        try {
            assertThatThrownBy(() -> FlowModelFile.load(device, f)).hasMessage("small.safetensors: tensor 'net.0.weight' needs 320 bytes,"
                    + " beyond the loading limit of 200 bytes (set -Dflowbench.maxLoadBytes to raise it)");
        } finally {
            if (previous == null) {
                System.clearProperty(CheckpointIndex.MAX_LOAD_BYTES_PROPERTY);
            } else {
                System.setProperty(CheckpointIndex.MAX_LOAD_BYTES_PROPERTY, previous);
            }
        }
        try (FlowModelFile.Loaded loaded = FlowModelFile.load(device, f)) {
            assertThat(loaded.model().architecture()).isEqualTo(real);
        }
    }
}
