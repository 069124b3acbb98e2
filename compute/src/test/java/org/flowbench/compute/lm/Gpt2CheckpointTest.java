package org.flowbench.compute.lm;

import org.flowbench.compute.checkpoint.Checkpoint;
import org.flowbench.compute.checkpoint.CheckpointFormatException;
import org.flowbench.compute.checkpoint.Safetensors;
import org.flowbench.compute.checkpoint.Tensor;
import org.flowbench.compute.device.ComputeDevice;
import org.flowbench.compute.device.cpu.CpuDevice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * GPT-2 checkpoints against the logits and hidden states Hugging Face transformers computed for
 * the same weights (fixtures made by samples/norm/make_gpt2_fixture.py), and every bad file
 * the reader must name in one line.
 */
class Gpt2CheckpointTest {

    private static final double TOLERANCE = 1e-4;
    private static ComputeDevice cpu;
    private static Path hfFolder;
    private static Path nanoFolder;
    private static Map<String, Tensor> expected;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() throws Exception {
        cpu = new CpuDevice(2);
        hfFolder = Path.of(Gpt2CheckpointTest.class.getResource("gpt2-tiny/model.safetensors").toURI()).getParent();
        nanoFolder = Path.of(Gpt2CheckpointTest.class.getResource("nanogpt-tiny/model.safetensors").toURI()).getParent();
        expected = Safetensors.read(hfFolder.resolve("expected.safetensors")).tensors();
    }

    @AfterAll
    static void close() {
        cpu.close();
    }

    private static int[] tokens() {
        float[] t = expected.get("tokens").data();
        int[] ids = new int[t.length];
        for (int i = 0; i < t.length; i++) {
            ids[i] = (int) t[i];
        }
        return ids;
    }

    private static double maxAbsDifference(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
        }
        return m;
    }

    /** Logits and the residual stream after each block but the last (transformers applies ln_f to that one). */
    private static void assertMatchesTransformers(Gpt2Checkpoint ckpt) {
        int[] ids = tokens();
        try (TransformerLm model = ckpt.open(cpu)) {
            float[] logits = model.logits(ids, 1, ids.length);
            assertThat(maxAbsDifference(logits, expected.get("logits").data())).isLessThan(TOLERANCE);
            for (int l = 0; l < ckpt.config().layers(); l++) {
                assertThat(maxAbsDifference(model.residual(l), expected.get("hidden." + l).data()))
                        .as("residual stream after block %d", l).isLessThan(TOLERANCE);
            }
        }
    }

    @Test
    void huggingFaceFileGivesTransformersLogits() throws IOException {
        Gpt2Checkpoint ckpt = Gpt2Checkpoint.read(hfFolder.resolve("model.safetensors"), null);
        LmConfig c = ckpt.config();
        assertThat(List.of(c.vocab(), c.context(), c.width(), c.layers(), c.heads())).containsExactly(256, 64, 32, 2, 4);
        assertThat(c.placement()).isEqualTo(Placement.PRE);
        assertThat(c.tiedHead()).isTrue();
        assertThat(ckpt.matrixLayout()).isEqualTo(Gpt2Checkpoint.MatrixLayout.CONV1D);
        assertThat(ckpt.headsSource()).isEqualTo("config.json");
        assertThat(ckpt.notes()).isEmpty();
        assertThat(Math.abs(expected.get("logits").data()[0])).isGreaterThan(0.01f);
        assertMatchesTransformers(ckpt);
    }

    @Test
    void nanoGptFileGivesTheSameLogits() throws IOException {
        Gpt2Checkpoint ckpt = Gpt2Checkpoint.read(nanoFolder.resolve("model.safetensors"), null);
        assertThat(ckpt.matrixLayout()).isEqualTo(Gpt2Checkpoint.MatrixLayout.LINEAR);
        assertThat(ckpt.headsSource()).isEqualTo("metadata");
        assertThat(ckpt.config().tiedHead()).as("lm_head.weight equals wte").isTrue();
        assertMatchesTransformers(ckpt);
        assertThat(ckpt.parameters()).containsExactly(
                Gpt2Checkpoint.read(hfFolder.resolve("model.safetensors"), null).parameters());
    }

    @Test
    void wrongHeadsChangeTheLogits() throws IOException {
        Path file = copyWithoutConfig(hfFolder.resolve("model.safetensors"));
        Gpt2Checkpoint two = Gpt2Checkpoint.read(file, 2);
        assertThat(two.headsSource()).isEqualTo("option");
        int[] ids = tokens();
        try (TransformerLm model = two.open(cpu)) {
            assertThat(maxAbsDifference(model.logits(ids, 1, ids.length), expected.get("logits").data()))
                    .isGreaterThan(1e-2);
        }
    }

    private Path copyWithoutConfig(Path source) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("bare"));
        return Files.copy(source, folder.resolve("gpt2.safetensors"));
    }

    @Test
    void headsComeFromTheCallerWhenNothingSaysThem() throws IOException {
        Path file = copyWithoutConfig(hfFolder.resolve("model.safetensors"));
        assertThatThrownBy(() -> Gpt2Checkpoint.read(file, null))
                .isInstanceOf(CheckpointFormatException.class)
                .hasMessage("gpt2.safetensors: the number of attention heads is not in the file: put config.json "
                        + "(with n_head) beside it or give the heads (--heads)");
        assertMatchesTransformers(Gpt2Checkpoint.read(file, 4));
        assertThatThrownBy(() -> Gpt2Checkpoint.read(hfFolder.resolve("model.safetensors"), 8))
                .hasMessage("model.safetensors: --heads 8 but config.json says n_head 4");
        assertThatThrownBy(() -> Gpt2Checkpoint.read(file, 5))
                .hasMessageContaining("heads (5) must divide width (32)");
    }

    /** The Hugging Face fixture's tensors, changed by {@code edit}, written without config.json. */
    private Path variant(String name, UnaryOperator<Map<String, Tensor>> edit) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>(Safetensors.read(hfFolder.resolve("model.safetensors")).tensors());
        Map<String, Tensor> changed = edit.apply(tensors);
        Path folder = Files.createDirectories(dir.resolve(name));
        Path file = folder.resolve(name + ".safetensors");
        Safetensors.write(file, new Checkpoint(Map.of("n_head", "4"), new ArrayList<>(changed.values())));
        return file;
    }

    private static Tensor renamed(Tensor t, String name) {
        return new Tensor(name, t.shape(), t.data());
    }

    @Test
    void untiedHeadIsReadAsNnLinear() throws IOException {
        Path file = variant("untied", m -> {
            Tensor wte = m.get("transformer.wte.weight");
            float[] twice = wte.data().clone();
            for (int i = 0; i < twice.length; i++) {
                twice[i] *= 2;
            }
            m.put("lm_head.weight", new Tensor("lm_head.weight", wte.shape(), twice));
            return m;
        });
        Gpt2Checkpoint ckpt = Gpt2Checkpoint.read(file, null);
        assertThat(ckpt.config().tiedHead()).isFalse();
        int[] ids = tokens();
        float[] want = expected.get("logits").data();
        try (TransformerLm model = ckpt.open(cpu)) {
            float[] logits = model.logits(ids, 1, ids.length);
            for (int i = 0; i < want.length; i++) {
                assertThat((double) logits[i]).isCloseTo(2.0 * want[i], org.assertj.core.data.Offset.offset(2 * TOLERANCE));
            }
        }
    }

    @Test
    void namesWithoutThePrefixAndWithoutBiasesLoad() throws IOException {
        Path file = variant("bare-names", m -> {
            Map<String, Tensor> out = new LinkedHashMap<>();
            m.forEach((k, t) -> {
                if (!k.endsWith(".bias")) {
                    String n = k.substring("transformer.".length());
                    out.put(n, renamed(t, n));
                }
            });
            return out;
        });
        Gpt2Checkpoint ckpt = Gpt2Checkpoint.read(file, null);
        assertThat(ckpt.notes()).containsExactly("the file has no biases (nanoGPT's bias=False): they are zero");
        // The same model with its biases set to zero by hand gives the same logits.
        Gpt2Checkpoint full = Gpt2Checkpoint.read(hfFolder.resolve("model.safetensors"), null);
        float[] p = full.parameters();
        LmLayout layout = new LmLayout(full.config());
        for (LmLayout.Entry e : layout.entries()) {
            if (e.name().endsWith(".bias")) {
                java.util.Arrays.fill(p, e.offset(), e.offset() + e.size(), 0f);
            }
        }
        int[] ids = tokens();
        try (TransformerLm a = ckpt.open(cpu); TransformerLm b = new TransformerLm(cpu, full.config(), p)) {
            assertThat(a.logits(ids, 1, ids.length)).containsExactly(b.logits(ids, 1, ids.length));
        }
    }

    @Test
    void badFilesAreOneLineNamingTheTensor() throws IOException {
        Path unknown = variant("unknown", m -> {
            Tensor t = m.get("transformer.ln_f.bias");
            m.put("transformer.h.0.attn.rotary.weight", renamed(t, "transformer.h.0.attn.rotary.weight"));
            return m;
        });
        assertThatThrownBy(() -> Gpt2Checkpoint.read(unknown, null)).isInstanceOf(CheckpointFormatException.class)
                .hasMessage("unknown.safetensors: unknown tensor 'transformer.h.0.attn.rotary.weight': not a GPT-2 "
                        + "or nanoGPT parameter name");

        Path shape = variant("shape", m -> {
            m.put("transformer.h.1.ln_2.weight", new Tensor("transformer.h.1.ln_2.weight", new int[]{31}, new float[31]));
            return m;
        });
        assertThatThrownBy(() -> Gpt2Checkpoint.read(shape, null))
                .hasMessage("shape.safetensors: tensor 'transformer.h.1.ln_2.weight' has shape [31], expected [32]");

        Path matrix = variant("matrix", m -> {
            Tensor t = m.get("transformer.h.1.mlp.c_fc.weight");
            m.put(t.name(), new Tensor(t.name(), new int[]{128, 32}, t.data()));
            return m;
        });
        assertThatThrownBy(() -> Gpt2Checkpoint.read(matrix, null))
                .hasMessage("matrix.safetensors: tensor 'transformer.h.1.mlp.c_fc.weight' has shape [128, 32], "
                        + "expected [32, 128] (Hugging Face Conv1D [in, out])");

        Path missing = variant("missing", m -> {
            m.remove("transformer.h.1.attn.c_proj.bias");
            return m;
        });
        assertThatThrownBy(() -> Gpt2Checkpoint.read(missing, null))
                .hasMessage("missing.safetensors: no tensor 'transformer.h.1.attn.c_proj.bias': not a complete GPT-2 checkpoint");

        Path gap = variant("gap", m -> {
            Map<String, Tensor> out = new LinkedHashMap<>();
            m.forEach((k, t) -> out.put(k.replace(".h.1.", ".h.2."), renamed(t, k.replace(".h.1.", ".h.2."))));
            return out;
        });
        assertThatThrownBy(() -> Gpt2Checkpoint.read(gap, null))
                .hasMessage("gap.safetensors: block 1 is missing (no tensor transformer.h.1.*) but block 2 is there");

        Path nan = variant("nan", m -> {
            Tensor t = m.get("transformer.h.0.mlp.c_proj.weight");
            float[] v = t.data().clone();
            v[7] = Float.NaN;
            m.put(t.name(), new Tensor(t.name(), t.shape(), v));
            return m;
        });
        assertThatThrownBy(() -> Gpt2Checkpoint.read(nan, null))
                .hasMessage("nan.safetensors: tensor 'transformer.h.0.mlp.c_proj.weight' holds NaN at element 7");

        Path notGpt2 = variant("other", m -> {
            Map<String, Tensor> out = new LinkedHashMap<>();
            out.put("net.0.weight", renamed(m.get("transformer.ln_f.weight"), "net.0.weight"));
            return out;
        });
        assertThatThrownBy(() -> Gpt2Checkpoint.read(notGpt2, null))
                .hasMessage("other.safetensors: unknown tensor 'net.0.weight': not a GPT-2 or nanoGPT parameter name");

        Path hugeBlock = variant("huge", m -> {
            Tensor t = m.get("transformer.ln_f.weight");
            m.put("transformer.h.99999.ln_1.weight", renamed(t, "transformer.h.99999.ln_1.weight"));
            return m;
        });
        assertThatThrownBy(() -> Gpt2Checkpoint.read(hugeBlock, null))
                .hasMessage("huge.safetensors: tensor 'transformer.h.99999.ln_1.weight' is in block 99999, beyond "
                        + "the 512 blocks a model may have");
    }

    @Test
    void configJsonMustAgreeWithTheTensors() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("cfg"));
        Path file = Files.copy(hfFolder.resolve("model.safetensors"), folder.resolve("model.safetensors"));
        String json = Files.readString(hfFolder.resolve("config.json"));
        Files.writeString(folder.resolve("config.json"), json.replace("\"n_layer\": 2", "\"n_layer\": 3"));
        assertThatThrownBy(() -> Gpt2Checkpoint.read(file, null))
                .hasMessage("config.json: n_layer is 3 but the tensors say 2");
        Files.writeString(folder.resolve("config.json"), json.replace("1e-05", "1e-06"));
        assertThatThrownBy(() -> Gpt2Checkpoint.read(file, null))
                .hasMessage("config.json: layer_norm_epsilon is 1.0E-6; the model's LayerNorm uses 1.0E-5");
        Files.writeString(folder.resolve("config.json"), json.replace("\"gelu_new\"", "\"relu\""));
        assertThatThrownBy(() -> Gpt2Checkpoint.read(file, null))
                .hasMessage("config.json: activation_function 'relu' is not GELU");
        Files.writeString(folder.resolve("config.json"), json.replace("\"gelu_new\"", "\"gelu\""));
        assertThat(Gpt2Checkpoint.read(file, null).notes()).singleElement().asString().contains("erf form");
        Files.writeString(folder.resolve("config.json"), "{\"n_head\": [4]");
        assertThatThrownBy(() -> Gpt2Checkpoint.read(file, null)).hasMessageStartingWith("config.json: not valid JSON");
    }

    /** A safetensors file of GPT-2's names and F32 shapes whose data area is a hole: header only on disk. */
    private Path sparseGpt2(String name, int vocab, int context, int d, int layers) throws IOException {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        shapes.put("transformer.wte.weight", new int[]{vocab, d});
        shapes.put("transformer.wpe.weight", new int[]{context, d});
        for (int l = 0; l < layers; l++) {
            String p = "transformer.h." + l + ".";
            shapes.put(p + "ln_1.weight", new int[]{d});
            shapes.put(p + "ln_1.bias", new int[]{d});
            shapes.put(p + "attn.c_attn.weight", new int[]{d, 3 * d});
            shapes.put(p + "attn.c_attn.bias", new int[]{3 * d});
            shapes.put(p + "attn.c_proj.weight", new int[]{d, d});
            shapes.put(p + "attn.c_proj.bias", new int[]{d});
            shapes.put(p + "ln_2.weight", new int[]{d});
            shapes.put(p + "ln_2.bias", new int[]{d});
            shapes.put(p + "mlp.c_fc.weight", new int[]{d, 4 * d});
            shapes.put(p + "mlp.c_fc.bias", new int[]{4 * d});
            shapes.put(p + "mlp.c_proj.weight", new int[]{4 * d, d});
            shapes.put(p + "mlp.c_proj.bias", new int[]{d});
        }
        shapes.put("transformer.ln_f.weight", new int[]{d});
        shapes.put("transformer.ln_f.bias", new int[]{d});
        StringBuilder json = new StringBuilder("{\"__metadata__\":{\"n_head\":\"16\"}");
        long offset = 0;
        for (Map.Entry<String, int[]> e : shapes.entrySet()) {
            long n = 1;
            for (int k : e.getValue()) {
                n *= k;
            }
            json.append(",\"").append(e.getKey()).append("\":{\"dtype\":\"F32\",\"shape\":")
                    .append(java.util.Arrays.toString(e.getValue())).append(",\"data_offsets\":[").append(offset)
                    .append(",").append(offset + 4 * n).append("]}");
            offset += 4 * n;
        }
        json.append("}");
        byte[] header = json.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Path file = dir.resolve(name);
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            f.write(java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
            f.write(header);
            f.setLength(8L + header.length + offset);
        }
        return file;
    }

    @Test
    void modelsBeyondTheLimitsAreRefusedFromTheHeaderAlone() throws IOException {
        // GPT-2 medium's shape: 355M parameters, 1.42 GB of floats, beyond the default 1 GiB loading limit.
        Path medium = sparseGpt2("medium.safetensors", 50257, 1024, 1024, 24);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> Gpt2Checkpoint.read(medium, null))
                .hasMessage("medium.safetensors: a GPT-2 model of vocab 50257, width 1024, 24 layers needs 1419292672 "
                        + "bytes of weights, beyond the loading limit of 1073741824 bytes (set -Dflowbench.maxLoadBytes "
                        + "to raise it)");
        // GPT-2 large's shape: 774M parameters, more than one device buffer holds.
        Path large = sparseGpt2("large.safetensors", 50257, 1024, 1280, 36);
        assertThatThrownBy(() -> Gpt2Checkpoint.read(large, 20))
                .hasMessageStartingWith("large.safetensors: a GPT-2 model of vocab 50257, context 1024, width 1280, "
                        + "36 layers, 20 heads: a model of ")
                .hasMessageEndingWith("parameters is too large for one device buffer");
        assertThat((System.nanoTime() - t0) / 1e9).as("nothing read but the headers").isLessThan(5.0);
    }

    @Test
    void aPickleIsRefusedBeforeAnythingIsRead() throws IOException {
        Path pickle = dir.resolve("pytorch_model.bin");
        Files.write(pickle, new byte[]{(byte) 0x80, 2, 'c', 'o', 's', '\n', 's', 'y', 's', 't', 'e', 'm'});
        assertThatThrownBy(() -> Gpt2Checkpoint.read(pickle, 4)).isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("is a PyTorch pickle, which Flowbench never opens");
    }
}
