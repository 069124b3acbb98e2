package org.flowbench.compute.lm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** WordNet glosses from small data files written here, the real database when installed, and the text file limits. */
class WordNetGlossesTest {

    private static final String LICENCE = "  1 This software and database is being provided to you, the LICENSEE, by  \n"
            + "  2 Princeton University under the following license. | not a gloss  \n";

    @TempDir
    Path dir;

    private Path fakeWordNet() throws IOException {
        Files.writeString(dir.resolve("data.noun"), LICENCE
                + "00001740 03 n 01 entity 0 003 ~ 00001930 n 0000 ~ 00002137 n 0000 ~ 04431553 n 0000 | that which is "
                + "perceived or known or inferred to have its own distinct existence (living or nonliving)  \n"
                + "00001930 03 n 01 physical_entity 0 007 @ 00001740 n 0000 | an entity that has physical existence  \n");
        Files.writeString(dir.resolve("data.verb"), LICENCE
                + "00001740 29 v 04 breathe 0 take_a_breath 0 respire 0 suspire 3 000 02 + 02 00 + 08 00 | draw air into, "
                + "and expel out of, the lungs; \"I can breathe better when the air is clean\"  \n");
        Files.writeString(dir.resolve("data.adj"), LICENCE
                + "00001740 00 a 01 able 0 000 | (usually followed by `to') having the necessary means  \n");
        Files.writeString(dir.resolve("data.adv"), LICENCE
                + "00001740 02 r 01 a_cappella 0 000 | without musical accompaniment; \"they performed a cappella\"\r\n");
        return dir;
    }

    @Test
    void readsEveryGlossInFileOrderWithoutTheLicence() throws IOException {
        List<String> g = WordNetGlosses.read(fakeWordNet());
        assertThat(g).containsExactly(
                "that which is perceived or known or inferred to have its own distinct existence (living or nonliving)",
                "an entity that has physical existence",
                "draw air into, and expel out of, the lungs; \"I can breathe better when the air is clean\"",
                "(usually followed by `to') having the necessary means",
                "without musical accompaniment; \"they performed a cappella\"");
    }

    @Test
    void corpusKeepsEveryKthGlossWithinTheLimit() {
        List<String> g = List.of("aaaa", "bbbb", "cccc", "dddd", "eeee", "ffff");
        assertThat(WordNetGlosses.corpus(g, 1000)).isEqualTo("aaaa\nbbbb\ncccc\ndddd\neeee\nffff\n");
        // 30 bytes in all; at most 15 means every second gloss.
        assertThat(WordNetGlosses.corpus(g, 15)).isEqualTo("aaaa\ncccc\neeee\n");
        // 30 / 14 rounds up to every third; two glosses fit.
        assertThat(WordNetGlosses.corpus(g, 14)).isEqualTo("aaaa\ndddd\n");
        // Multi-byte characters count as their UTF-8 bytes.
        String c = WordNetGlosses.corpus(List.of("\u00e9\u00e9", "xx", "yy"), 5);
        assertThat(c.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(5);
        assertThat(c).isEqualTo("\u00e9\u00e9\n");
        assertThatThrownBy(() -> WordNetGlosses.corpus(g, 3)).hasMessage("the first gloss alone is longer than 3 bytes");
        assertThatThrownBy(() -> WordNetGlosses.corpus(List.of(), 10)).hasMessage("no glosses to make a corpus of");
        assertThatThrownBy(() -> WordNetGlosses.corpus(g, 0)).hasMessageStartingWith("the corpus size must be in [1, ");
    }

    @Test
    void badDataFilesAreOneLineNamingFileAndLine() throws IOException {
        fakeWordNet();
        Files.delete(dir.resolve("data.adv"));
        assertThatThrownBy(() -> WordNetGlosses.read(dir)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("not a WordNet database folder (no data.adv;");
        Files.writeString(dir.resolve("data.adv"), LICENCE + "00001740 02 r 01 a_cappella 0 000\n");
        assertThatThrownBy(() -> WordNetGlosses.read(dir))
                .hasMessage(dir.resolve("data.adv") + ": line 3 is not a WordNet synset line (no ' | ' before a gloss)");
        Files.write(dir.resolve("data.adv"), new byte[]{'0', ' ', '|', ' ', 'a', (byte) 0xe9, 'b', '\n'});
        assertThatThrownBy(() -> WordNetGlosses.read(dir)).hasMessageStartingWith(dir.resolve("data.adv") + ": not UTF-8 text");
        Files.writeString(dir.resolve("data.adv"), "0 | " + "x".repeat(WordNetGlosses.MAX_LINE_CHARS) + "\n");
        assertThatThrownBy(() -> WordNetGlosses.read(dir))
                .hasMessage(dir.resolve("data.adv") + ": line 1 is longer than 65536 characters: not a WordNet data file");
        Files.writeString(dir.resolve("data.adv"), "0 | a\u0000b\n");
        assertThatThrownBy(() -> WordNetGlosses.read(dir))
                .hasMessage(dir.resolve("data.adv") + ": line 1 holds a NUL character: not a WordNet data file");
    }

    @Test
    void theRealDatabaseHasAGlossPerSynset() throws IOException {
        Path real = Path.of("/usr/share/wordnet");
        assumeTrue(Files.isRegularFile(real.resolve("data.noun")), "WordNet 3.0 (Debian wordnet-base) is not installed");
        List<String> g = WordNetGlosses.read(real);
        // WordNet 3.0: 82,115 noun, 13,767 verb, 18,156 adjective and 3,621 adverb synsets.
        assertThat(g).hasSize(82_115 + 13_767 + 18_156 + 3_621);
        assertThat(g.get(0)).startsWith("that which is perceived or known or inferred");
        String corpus = WordNetGlosses.corpus(g, 2_000_000);
        assertThat(corpus.getBytes(StandardCharsets.UTF_8).length).isBetween(1_500_000, 2_000_000);
    }

    @Test
    void aTextFileLargerThanTheLimitIsRefusedBeforeItIsRead() throws IOException {
        Path big = dir.resolve("big.txt");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(TextCorpus.MAX_BYTES + 1); // sparse: no disk, no memory
        }
        assertThatThrownBy(() -> TextCorpus.read(big, 8))
                .hasMessage(big + ": " + (TextCorpus.MAX_BYTES + 1) + " bytes, more than the limit of " + TextCorpus.MAX_BYTES);
    }

    @Test
    void theShippedCorpusIsATextCorpus() throws IOException {
        Path shipped = Path.of("../samples/norm/wordnet-glosses.txt");
        assumeTrue(Files.isRegularFile(shipped), "run from the compute module of a full checkout");
        assertThat(Files.size(shipped)).isLessThanOrEqualTo(2_000_000);
        TextCorpus c = TextCorpus.read(shipped, 64);
        assertThat(c.length()).isGreaterThan(1_500_000);
        // Letters, digits, punctuation and the newline: printable ASCII plus '\n' at most.
        assertThat(c.vocab()).isBetween(60, 96);
    }
}
