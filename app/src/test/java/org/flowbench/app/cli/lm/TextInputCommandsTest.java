package org.flowbench.app.cli.lm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.flowbench.compute.lm.TextCorpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** wordnet-glosses, and train-lm on text files good and bad. */
class TextInputCommandsTest {

    private static final Path SHIPPED = Path.of("../samples/norm/wordnet-glosses.txt");

    private static LmCommandsTest.Result run(String... args) {
        return LmCommandsTest.run(args);
    }

    @Test
    void wordnetGlossesWritesOneGlossPerLineAndKeepsExistingFiles(@TempDir Path dir) throws Exception {
        Path wn = Files.createDirectories(dir.resolve("wn"));
        for (String pos : new String[]{"noun", "verb", "adj", "adv"}) {
            Files.writeString(wn.resolve("data." + pos), "  1 licence line  \n00000001 00 x 01 w 0 000 | a " + pos + " gloss  \n");
        }
        Path out = dir.resolve("glosses.txt");
        LmCommandsTest.Result r = run("wordnet-glosses", "--wordnet", wn.toString(), "--out", out.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readString(out)).isEqualTo("a noun gloss\na verb gloss\na adj gloss\na adv gloss\n");
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("glosses").asInt()).isEqualTo(4);
        assertThat(json.get("kept").asInt()).isEqualTo(4);

        LmCommandsTest.Result again = run("wordnet-glosses", "--wordnet", wn.toString(), "--out", out.toString(),
                "--max-bytes", "30");
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err().strip()).isEqualTo("flowbench: " + out + " exists; pass --force to replace it");
        LmCommandsTest.Result forced = run("wordnet-glosses", "--wordnet", wn.toString(), "--out", out.toString(),
                "--max-bytes", "30", "--force");
        assertThat(forced.code()).as(forced.err()).isZero();
        assertThat(Files.readString(out)).isEqualTo("a noun gloss\na adj gloss\n");

        LmCommandsTest.Result missing = run("wordnet-glosses", "--wordnet", dir.resolve("none").toString(), "--out",
                dir.resolve("x.txt").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err().strip().lines().reduce((a, b) -> b).orElseThrow())
                .isEqualTo("flowbench: " + dir.resolve("none/data.noun") + ": not a WordNet database folder (no data.noun; "
                        + "the Debian package wordnet-base installs one in /usr/share/wordnet)");
        assertThat(dir.resolve("x.txt")).doesNotExist();
    }

    @Test
    void theShippedCorpusIsWhatTheCommandMakes(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isRegularFile(Path.of("/usr/share/wordnet/data.noun")), "WordNet 3.0 is not installed");
        assumeTrue(Files.isRegularFile(SHIPPED), "run from the app module of a full checkout");
        Path out = dir.resolve("glosses.txt");
        LmCommandsTest.Result r = run("wordnet-glosses", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(SHIPPED));
    }

    @Test
    void trainLmReadsTheShippedCorpus(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isRegularFile(SHIPPED), "run from the app module of a full checkout");
        LmCommandsTest.Result r = run("train-lm", "--task", "text", "--text", SHIPPED.toString(), "--seq", "32",
                "--layers", "1", "--width", "16", "--heads", "2", "--steps", "3", "--batch", "2", "--probe-every", "3",
                "--out", dir.resolve("run.safetensors").toString(), "--device", "cpu", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).containsPattern("text wordnet-glosses\\.txt \\(1[0-9]{6} characters, [0-9]+ distinct\\)");
        assertThat(new ObjectMapper().readTree(r.out()).get("final_loss").asDouble()).isFinite();
    }

    @Test
    void badTextFilesAreOneLineAndExitTwo(@TempDir Path dir) throws Exception {
        Path empty = Files.write(dir.resolve("empty.txt"), new byte[0]);
        expectBad(empty, "flowbench: " + empty + ": the file is empty");
        Path binary = Files.write(dir.resolve("image.png"), new byte[]{(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13});
        expectBad(binary, "flowbench: " + binary + ": binary file (a NUL byte at offset 4), not text");
        Path latin1 = Files.write(dir.resolve("latin1.txt"), "caf\u00e9 au lait".getBytes(StandardCharsets.ISO_8859_1));
        expectBad(latin1, "flowbench: " + latin1 + ": not UTF-8 text (Input length = 1)");
        Path big = dir.resolve("big.txt");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(TextCorpus.MAX_BYTES + 1);
        }
        expectBad(big, "flowbench: " + big + ": " + (TextCorpus.MAX_BYTES + 1) + " bytes, more than the limit of "
                + TextCorpus.MAX_BYTES);
        expectBad(dir, "flowbench: " + dir + ": not a regular file");
    }

    private static void expectBad(Path text, String line) {
        Path out = text.resolveSibling("run-" + text.getFileName() + ".safetensors");
        LmCommandsTest.Result r = run("train-lm", "--task", "text", "--text", text.toString(), "--layers", "1",
                "--width", "8", "--heads", "1", "--steps", "1", "--out", out.toString(), "--device", "cpu");
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo(line);
        assertThat(out).doesNotExist();
    }
}
