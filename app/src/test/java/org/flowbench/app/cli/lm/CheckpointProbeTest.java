package org.flowbench.app.cli.lm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** norm-probe --model on the tiny GPT-2 fixtures of compute/lm (made by samples/norm/make_gpt2_fixture.py). */
class CheckpointProbeTest {

    private static final Path FIXTURES = Path.of("../compute/src/test/resources/org/flowbench/compute/lm");
    private static final String TEXT = "Flowbench probes GPT-2: the residual stream grows with depth.";

    private static LmCommandsTest.Result run(String... args) {
        return LmCommandsTest.run(args);
    }

    @Test
    void probesEveryLayerOfAHuggingFaceCheckpoint() throws Exception {
        LmCommandsTest.Result r = run("norm-probe", "--model", FIXTURES.resolve("gpt2-tiny/model.safetensors").toString(),
                "--text", TEXT, "--device", "cpu", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("model").asText()).startsWith("vocab=256 context=64 width=32 heads=4 layers=2 placement=pre");
        assertThat(root.get("heads_from").asText()).isEqualTo("config.json");
        assertThat(root.get("tokens_per_seed").asInt()).isEqualTo(TEXT.length());
        JsonNode p = root.get("placements").get(0);
        assertThat(p.has("layers_inside_band_3se")).as("no initialisation band for a trained model").isFalse();
        assertThat(p.get("layers")).hasSize(3);
        // Bytes predicting the next byte under random weights: a loss near or above ln 256.
        assertThat(p.get("loss").asDouble()).isGreaterThan(3.0).isFinite();
        for (JsonNode row : p.get("layers")) {
            assertThat(row.get("variance").asDouble()).isPositive();
            assertThat(row.get("max_abs").asDouble()).isPositive();
            assertThat(row.get("grad_norm").asDouble()).isPositive();
        }
        LmCommandsTest.Result nano = run("norm-probe", "--model", FIXTURES.resolve("nanogpt-tiny/model.safetensors").toString(),
                "--text", TEXT, "--device", "cpu", "--json");
        assertThat(nano.code()).as(nano.err()).isZero();
        JsonNode nanoRoot = new ObjectMapper().readTree(nano.out());
        assertThat(nanoRoot.get("heads_from").asText()).isEqualTo("metadata");
        // The same weights in another layout: the same numbers.
        assertThat(nanoRoot.get("placements").get(0).get("layers").get(2).get("variance").asDouble())
                .isEqualTo(p.get("layers").get(2).get("variance").asDouble());
    }

    @Test
    void tokensAndTheTableWork() {
        LmCommandsTest.Result r = run("norm-probe", "--model", FIXTURES.resolve("gpt2-tiny/model.safetensors").toString(),
                "--tokens", "70, 108,111,119", "--device", "cpu");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("checkpoint model.safetensors (Hugging Face Conv1D [in, out], heads from config.json)")
                .contains("placement pre (loss");
        assertThat(r.out().lines().filter(l -> l.matches("\\s+[0-2] .*"))).hasSize(3);
        assertThat(r.err()).contains("model.safetensors, 2 layers, width 32, 4 heads, vocabulary 256, 4 tokens (--tokens) on cpu");
    }

    @Test
    void textLongerThanTheContextIsCutAndSaid() {
        LmCommandsTest.Result r = run("norm-probe", "--model", FIXTURES.resolve("gpt2-tiny/model.safetensors").toString(),
                "--text", "x".repeat(100), "--device", "cpu", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("100 tokens, the model's context is 64: probing the first 64");
    }

    @Test
    void badInputIsOneLineAndExitTwo(@TempDir Path dir) throws Exception {
        String model = FIXTURES.resolve("gpt2-tiny/model.safetensors").toString();
        expectBad("flowbench: --tokens: id 256 (item 2) is outside the vocabulary [0, 256)",
                "norm-probe", "--model", model, "--tokens", "1,256", "--device", "cpu");
        expectBad("flowbench: --tokens: 'x' (item 1) is not a token id",
                "norm-probe", "--model", model, "--tokens", "x", "--device", "cpu");
        expectBad("flowbench: --model needs the input as --text TEXT or --tokens IDS (one of them)",
                "norm-probe", "--model", model, "--device", "cpu");
        expectBad("flowbench: --model needs the input as --text TEXT or --tokens IDS (one of them)",
                "norm-probe", "--model", model, "--text", "a", "--tokens", "1", "--device", "cpu");
        expectBad("flowbench: --text is read only with --model", "norm-probe", "--text", "abc", "--device", "cpu");
        expectBad("flowbench: --layers does not apply with --model: the checkpoint fixes the model (Pre-LN GPT-2) and "
                + "--text or --tokens the input", "norm-probe", "--model", model, "--layers", "3", "--text", "abc",
                "--device", "cpu");
        expectBad("flowbench: model.safetensors: --heads 8 but config.json says n_head 4",
                "norm-probe", "--model", model, "--heads", "8", "--text", "abc", "--device", "cpu");
        Path bare = Files.copy(Path.of(model), dir.resolve("bare.safetensors"));
        LmCommandsTest.Result heads = run("norm-probe", "--model", bare.toString(), "--text", "abc", "--device", "cpu");
        assertThat(heads.code()).isEqualTo(2);
        assertThat(heads.err().strip()).startsWith("flowbench: bare.safetensors: the number of attention heads is not in the file");
        assertThat(run("norm-probe", "--model", bare.toString(), "--heads", "4", "--text", "abc", "--device", "cpu").code())
                .isZero();
        Path junk = Files.writeString(dir.resolve("junk.safetensors"), "not a checkpoint at all");
        LmCommandsTest.Result j = run("norm-probe", "--model", junk.toString(), "--text", "abc", "--device", "cpu");
        assertThat(j.code()).isEqualTo(2);
        assertThat(j.err().strip()).startsWith("flowbench: junk.safetensors: not a safetensors file").doesNotContain("\n");
        LmCommandsTest.Result missing = run("norm-probe", "--model", dir.resolve("none.safetensors").toString(),
                "--text", "abc", "--device", "cpu");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err().strip()).contains("none.safetensors").doesNotContain("\n");
    }

    /** The tiny GPT-2 with the 200-token BPE tokenizer of the fixtures beside it. */
    private static Path withTokenizer(Path dir, byte[] tokenizerJson) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("bpe-model"));
        Files.copy(FIXTURES.resolve("gpt2-tiny/model.safetensors"), folder.resolve("model.safetensors"));
        Files.copy(FIXTURES.resolve("gpt2-tiny/config.json"), folder.resolve("config.json"));
        Files.write(folder.resolve("tokenizer.json"), tokenizerJson);
        return folder.resolve("model.safetensors");
    }

    @Test
    void textGoesThroughTheTokenizerBesideTheCheckpoint(@TempDir Path dir) throws Exception {
        JsonNode expected = new ObjectMapper().readTree(FIXTURES.resolve("bpe-tokenizer/expected.json").toFile());
        int[] ids = new int[expected.get("ids").size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = expected.get("ids").get(i).asInt();
        }
        Path tokenizer = FIXTURES.resolve("bpe-tokenizer/tokenizer.json");
        // The ids Hugging Face's Python tokenizers gave for the same text.
        assertThat(CheckpointTokenizer.encode(tokenizer, expected.get("text").asText(), 256)).containsExactly(ids);
        assertThatThrownBy(() -> CheckpointTokenizer.encode(tokenizer, expected.get("text").asText(), 100))
                .hasMessageStartingWith(tokenizer + " gives id ").hasMessageEndingWith("outside the model's vocabulary [0, 100)");

        Path model = withTokenizer(dir, Files.readAllBytes(tokenizer));
        LmCommandsTest.Result r = run("norm-probe", "--model", model.toString(), "--text", expected.get("text").asText(),
                "--device", "cpu", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("tokens_from").asText()).isEqualTo("tokenizer.json");
        assertThat(root.get("tokens_per_seed").asInt()).isEqualTo(ids.length);
        // The same ids given by hand: the same loss.
        StringBuilder list = new StringBuilder();
        for (int id : ids) {
            list.append(list.length() == 0 ? "" : ",").append(id);
        }
        LmCommandsTest.Result byHand = run("norm-probe", "--model", model.toString(), "--tokens", list.toString(),
                "--device", "cpu", "--json");
        assertThat(new ObjectMapper().readTree(byHand.out()).get("placements").get(0).get("loss").asDouble())
                .isEqualTo(root.get("placements").get(0).get("loss").asDouble());
    }

    @Test
    void aBrokenTokenizerIsOneLine(@TempDir Path dir) throws Exception {
        Path model = withTokenizer(dir, "{\"model\": 3".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        LmCommandsTest.Result r = run("norm-probe", "--model", model.toString(), "--text", "abc", "--device", "cpu");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("flowbench: " + model.resolveSibling("tokenizer.json").toAbsolutePath()
                + ": not a tokenizer the Hugging Face tokenizers library reads (").doesNotContain("\n");
    }

    private static void expectBad(String line, String... args) {
        LmCommandsTest.Result r = run(args);
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo(line);
        assertThat(r.out()).isEmpty();
    }
}
