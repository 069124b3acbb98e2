package org.flowbench.app.cli;

import org.flowbench.compute.checkpoint.Checkpoint;
import org.flowbench.compute.checkpoint.Checkpoints;
import org.flowbench.compute.checkpoint.Safetensors;
import org.flowbench.compute.device.Activation;
import org.flowbench.compute.nn.CheckpointImport;
import org.flowbench.compute.nn.FlowModelFile;
import org.flowbench.compute.nn.MlpArchitecture;
import org.flowbench.compute.nn.VelocityMlp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** import-checkpoint and --import on the fixtures the compute module's import tests check against NumPy. */
class ImportCommandsTest {

    /** The NumPy-made fixtures (see make_fixtures.py there); tests run in the app module's folder. */
    private static final Path FIXTURES = Path.of("../compute/src/test/resources/org/flowbench/compute/nn/import");

    @TempDir
    Path dir;

    private static CommandLineRunner ok(String... args) {
        CommandLineRunner r = CommandLineRunner.run(args);
        assertThat(r.exitCode()).as("exit code of %s, stderr: %s", String.join(" ", args), r.err()).isZero();
        return r;
    }

    private static String bad(String... args) {
        CommandLineRunner r = CommandLineRunner.run(args);
        assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(2);
        String line = r.err().strip();
        assertThat(line.lines().count()).as("one line: %s", line).isEqualTo(1);
        return line;
    }

    @Test
    void importCheckpointWritesAFlowbenchCheckpointWithFullMetadata() throws IOException {
        Path in = FIXTURES.resolve("torchcfm-mlp-bf16.safetensors");
        assertThat(in).exists();
        Path out = dir.resolve("cfm.safetensors");
        CommandLineRunner r = ok("import-checkpoint", "--preset", "torchcfm-mlp", "--in", in.toString(), "--target", "moons",
                "--out", out.toString());
        assertThat(r.out()).contains("architecture mlp:in=2,out=2,time=raw,hidden=16x16x16,activation=selu")
                // (3 + 1) * 16 + 2 * (16 + 1) * 16 + (16 + 1) * 2 parameters
                .contains("parameters 642").contains("checkpoint " + out);
        assertThat(r.err()).contains("torchcfm-mlp-bf16.safetensors: 4 Linear layers (BF16)");
        Checkpoint c = Checkpoints.load(out);
        assertThat(c.metadata()).containsEntry(Checkpoint.KEY_FORMAT, Checkpoint.FORMAT_FLOWBENCH)
                .containsEntry(Checkpoint.KEY_KIND, FlowModelFile.KIND_VELOCITY)
                .containsEntry(Checkpoint.KEY_SOURCE, "normal").containsEntry(Checkpoint.KEY_TARGET, "moons")
                .containsEntry(CheckpointImport.KEY_IMPORTED_FROM, "torchcfm-mlp-bf16.safetensors")
                .containsEntry(CheckpointImport.KEY_IMPORT_PRESET, "torchcfm-mlp")
                .containsEntry(CheckpointImport.KEY_STORED_TYPE, "BF16");
        // The converted file is a model like any other: eval finds its target in the metadata.
        CommandLineRunner e = ok("eval", "--model", out.toString(), "--n", "32", "--nfe", "8", "--solver", "euler", "--device", "cpu");
        assertThat(e.out()).contains("nfe 8");

        bad("import-checkpoint", "--preset", "torchcfm-mlp", "--in", in.toString(), "--out", out.toString());
        assertThat(bad("import-checkpoint", "--preset", "torchcfm-mlp", "--in", in.toString(), "--out", in.toString(), "--force"))
                .contains("is also an input of this run");
        assertThat(bad("import-checkpoint", "--preset", "keras", "--in", in.toString(), "--out", dir.resolve("k.safetensors").toString()))
                .isEqualTo("flowbench: unknown import preset 'keras' (known: torchcfm-mlp, flow-matching-mlp, rectified-flow-mlp, flowbench)");
    }

    @Test
    void importOnTheFlyGivesTheSameSamplesAsTheConvertedFile() throws IOException {
        Path npz = FIXTURES.resolve("flow-matching-mlp.npz");
        Path converted = dir.resolve("fm.safetensors");
        ok("import-checkpoint", "--preset", "flow-matching-mlp", "--in", npz.toString(), "--out", converted.toString());
        Path direct = dir.resolve("direct.csv");
        Path viaFile = dir.resolve("via-file.csv");
        ok("sample", "--import", "flow-matching-mlp", "--model", npz.toString(), "--n", "20", "--nfe", "8", "--solver", "euler",
                "--device", "cpu", "--out", direct.toString());
        ok("sample", "--model", converted.toString(), "--n", "20", "--nfe", "8", "--solver", "euler", "--device", "cpu",
                "--out", viaFile.toString());
        assertThat(Files.readAllBytes(direct)).isEqualTo(Files.readAllBytes(viaFile));
        ok("boss", "--import", "rectified-flow-mlp", "--model", FIXTURES.resolve("rectified-flow-mlp-f32.safetensors").toString(),
                "--k", "3", "--grid", "6", "--n", "16", "--device", "cpu", "--out", dir.resolve("b.csv").toString());

        String foreign = bad("sample", "--model", npz.toString(), "--n", "5", "--out", dir.resolve("x.csv").toString());
        assertThat(foreign).isEqualTo("flowbench: flow-matching-mlp.npz: not a Flowbench checkpoint (its metadata names no kind);"
                + " read a PyTorch state dict with --import PRESET (torchcfm-mlp, flow-matching-mlp, rectified-flow-mlp, flowbench)");
        assertThat(bad("sample", "--import", "torchcfm-mlp", "--model", npz.toString(), "--n", "5", "--out", dir.resolve("y.csv").toString()))
                .contains("flow-matching-mlp.npz: tensor 'main.0.weight' (and 9 more) is not a Linear layer of a torchcfm-mlp");
    }

    private Path claiming(String name, String key, String value) throws IOException {
        MlpArchitecture real = MlpArchitecture.plane(new int[] {128, 128, 64}, Activation.SELU);
        Checkpoint c = FlowModelFile.toCheckpoint(real, VelocityMlp.initialParameters(real, 3), FlowModelFile.KIND_VELOCITY, Map.of());
        Map<String, String> meta = new LinkedHashMap<>(c.metadata());
        meta.put(key, value);
        Path f = dir.resolve(name);
        Safetensors.write(f, new Checkpoint(meta, new ArrayList<>(c.tensorList())));
        return f;
    }

    @Test
    void hostileMetadataIsOneLineNamingFileAndKey() throws IOException {
        String wide30 = String.join("x", java.util.Collections.nCopies(30, "8192"));
        Path claims = claiming("claims.safetensors", Checkpoint.KEY_ARCHITECTURE, "mlp:in=2,out=2,time=sin4,hidden=" + wide30 + ",activation=selu");
        long start = System.nanoTime();
        String line = bad("sample", "--model", claims.toString(), "--device", "cpu", "--out", dir.resolve("s.csv").toString());
        assertThat((System.nanoTime() - start) / 1e9).as("seconds").isLessThan(1.0);
        assertThat(line).isEqualTo("flowbench: claims.safetensors: tensor 'net.0.weight' has shape [128, 10] but the architecture needs [8192, 10]");

        String wide64 = String.join("x", java.util.Collections.nCopies(64, "8192"));
        Path overflow = claiming("overflow.safetensors", Checkpoint.KEY_ARCHITECTURE, "mlp:in=2,out=2,time=sin4,hidden=" + wide64 + ",activation=selu");
        assertThat(bad("eval", "--model", overflow.toString(), "--target", "moons", "--device", "cpu"))
                .isEqualTo("flowbench: overflow.safetensors: an MLP of 64 hidden layers up to 8192 wide has 4228481026 parameters,"
                        + " more than the 2147483639 one model may hold");

        Path unknownSource = claiming("source.safetensors", Checkpoint.KEY_SOURCE, "spiral9");
        assertThat(bad("sample", "--model", unknownSource.toString(), "--device", "cpu", "--out", dir.resolve("u.csv").toString()))
                .startsWith("flowbench: source.safetensors: metadata 'source': unknown dataset 'spiral9'");
        Path unknownTarget = claiming("target.safetensors", Checkpoint.KEY_TARGET, "spiral9");
        assertThat(bad("eval", "--model", unknownTarget.toString(), "--device", "cpu"))
                .startsWith("flowbench: target.safetensors: metadata 'target': unknown dataset 'spiral9'");
    }
}
