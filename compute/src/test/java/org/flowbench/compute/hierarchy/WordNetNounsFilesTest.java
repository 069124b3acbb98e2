package org.flowbench.compute.hierarchy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Small hand-written WordNet folders: these need no installed database, unlike {@link WordNetNounsTest}. */
class WordNetNounsFilesTest {

    private static final String INDEX = "entity n 1 1 ~ 1 1 00001740  \n"
            + "physical_entity n 1 2 @ ~ 1 0 00001930  \n";
    private static final String DATA = "00001740 03 n 01 entity 0 000 | that which is perceived  \n"
            + "00001930 03 n 01 physical_entity 0 001 @ 00001740 n 0000 | an entity that has physical existence  \n";

    private static Path folder(Path dir, byte[] index, byte[] data) throws IOException {
        Files.write(dir.resolve("index.noun"), index);
        Files.write(dir.resolve("data.noun"), data);
        return dir;
    }

    @Test
    void aSmallFolderReadsIntoItsClosure(@TempDir Path dir) throws IOException {
        WordNetNouns nouns = WordNetNouns.read(folder(dir, INDEX.getBytes(StandardCharsets.UTF_8), DATA.getBytes(StandardCharsets.UTF_8)));
        assertThat(nouns.synsetCount()).isEqualTo(2);
        assertThat(nouns.name(1)).isEqualTo("physical_entity.n.01");
        assertThat(nouns.nounClosure().edgeCount()).isEqualTo(1);
    }

    @Test
    void anIndexThatIsNotUtf8IsOneLineNamingTheFileAndLine(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream index = new ByteArrayOutputStream();
        index.writeBytes("entity n 1 1 ~ 1 1 00001740\n".getBytes(StandardCharsets.UTF_8));
        index.writeBytes(new byte[] {'x', (byte) 0xff, (byte) 0xff, '\n'});
        folder(dir, index.toByteArray(), DATA.getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> WordNetNouns.read(dir))
                .isInstanceOf(HierarchyFormatException.class)
                .hasMessage(dir.resolve("index.noun") + " line 2: not UTF-8 text");
    }

    @Test
    void aCarriageReturnInsideALineSeparatesFieldsSoNoMessageBreaksALine(@TempDir Path dir) throws IOException {
        String data = DATA.replace("physical_entity 0 001", "physical\rentity 0 001");
        folder(dir, INDEX.getBytes(StandardCharsets.UTF_8), data.getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> WordNetNouns.read(dir))
                .isInstanceOf(HierarchyFormatException.class)
                .hasMessageContaining("data.noun line 2")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\r").doesNotContain("\n"));
    }
}
