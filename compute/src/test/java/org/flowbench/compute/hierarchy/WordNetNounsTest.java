package org.flowbench.compute.hierarchy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against the real WordNet 3.0 database; skipped where the Debian package wordnet-base is not installed. */
class WordNetNounsTest {

    private static WordNetNouns wordnet;

    @BeforeAll
    static void load() throws IOException {
        assumeTrue(Files.isRegularFile(WordNetNouns.DEBIAN_FOLDER.resolve("data.noun")),
                "WordNet 3.0 (Debian package wordnet-base) is not installed");
        wordnet = WordNetNouns.read(WordNetNouns.DEBIAN_FOLDER);
    }

    @Test
    void namesSynsetsAsNltkDoes() {
        assertThat(wordnet.synsetCount()).isEqualTo(82_115);
        assertThat(wordnet.idOf("mammal.n.01")).isNotNegative();
        assertThat(wordnet.idOf("entity.n.01")).isNotNegative();
        // 'dog' has seven noun senses, but a synset is named after its first lemma: the second
        // sense (frump, dog) is frump.n.01 and the seventh (andiron, firedog, dog) andiron.n.01
        assertThat(wordnet.idOf("dog.n.01")).isNotNegative();
        assertThat(wordnet.idOf("dog.n.03")).isNotNegative();
        assertThat(wordnet.idOf("dog.n.02")).isEqualTo(-1);
        assertThat(wordnet.idOf("frump.n.01")).isNotNegative();
        assertThat(wordnet.idOf("andiron.n.01")).isNotNegative();
    }

    @Test
    void mammalClosureHasTheReferenceSize() {
        EdgeList mammals = wordnet.subtreeClosure("mammal.n.01", WordNetClosures.REFERENCE_MAMMAL_EXCLUSIONS);
        assertThat(mammals.nodeCount()).isEqualTo(1_180);
        assertThat(mammals.edgeCount()).isEqualTo(6_540);
        assertThat(mammals.findCycle()).isNull();
        Set<String> pairs = new HashSet<>();
        for (int e = 0; e < mammals.edgeCount(); e++) {
            pairs.add(mammals.name(mammals.child(e)) + " " + mammals.name(mammals.parent(e)));
        }
        assertThat(pairs).hasSize(6_540)
                .contains("dog.n.01 mammal.n.01", "dog.n.01 canine.n.02", "dog.n.01 carnivore.n.01")
                .doesNotContain("mammal.n.01 animal.n.01");
        assertThat(pairs.stream().filter(p -> p.startsWith("tusker.n.01 "))).isEmpty();
        // without the filter: the rows of tusker.n.01 and female_mammal.n.01 are back
        EdgeList unfiltered = wordnet.subtreeClosure("mammal.n.01", List.of());
        assertThat(unfiltered.edgeCount()).isGreaterThan(6_540);
    }

    @Test
    void nounClosureHasTheReferenceSize() {
        EdgeList nouns = wordnet.nounClosure();
        assertThat(nouns.nodeCount()).isEqualTo(82_115);
        assertThat(nouns.edgeCount()).isEqualTo(743_086);
        assertThat(nouns.parents().edgeCount()).isEqualTo(743_086);
    }

    @Test
    void unknownRootAndMissingFolderAreOneLine(@TempDir Path dir) {
        assertThatThrownBy(() -> wordnet.subtreeClosure("mammal.n.99", List.of())).hasMessageContaining("mammal.n.99");
        assertThatThrownBy(() -> WordNetNouns.read(dir)).hasMessageContaining("wordnet-base");
    }
}
