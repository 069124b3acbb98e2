package org.flowbench.compute.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.flowbench.compute.hierarchy.EdgeList;
import org.flowbench.compute.hierarchy.HierarchyFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingFilesTest {

    @TempDir
    Path dir;

    private static HierarchyEmbedding trained(Manifold m) {
        EdgeList tree = EmbeddingTrainerTest.treeClosure(2, 2);
        return new EmbeddingTrainer(tree, new EmbeddingConfig(m, 3, 20, 0.5, 3, 2, 0.1, 0.75, 4, 9, 1)).train(null, null);
    }

    @Test
    void textFormatsRoundTripExactlyAndSafetensorsInFloat32() throws IOException {
        for (Manifold m : new Manifold[] {PoincareManifold.INSTANCE, LorentzManifold.INSTANCE, EuclideanManifold.INSTANCE}) {
            HierarchyEmbedding e = trained(m);
            for (String ext : new String[] {"tsv", "txt", "safetensors"}) {
                Path f = dir.resolve(m.name() + "." + ext);
                EmbeddingFiles.write(f, e, Map.of("seed", "9"));
                HierarchyEmbedding back = EmbeddingFiles.read(f, m);
                assertThat(back.names()).containsExactly(e.names());
                assertThat(back.dim()).isEqualTo(3);
                assertThat(back.manifold()).isSameAs(m);
                double[] a = e.coordinates();
                double[] b = back.coordinates();
                boolean float32 = ext.equals("safetensors");
                for (int i = 0; i < a.length; i++) {
                    assertThat(b[i]).isCloseTo(a[i], within(float32 ? 2e-7 * Math.max(1, Math.abs(a[i])) : 0.0));
                }
            }
        }
        String tsv = Files.readString(dir.resolve("poincare.tsv"));
        assertThat(tsv.lines().findFirst().orElseThrow()).matches("[^\\t]+(\\t-?[0-9.E-]+){3}");
        assertThat(Files.readString(dir.resolve("lorentz.txt")).lines().findFirst().orElseThrow()).isEqualTo("7 4");
    }

    @Test
    void picklesAndUnknownFormatsAreRefusedByName() {
        assertThatThrownBy(() -> EmbeddingFiles.read(dir.resolve("model.pth"), PoincareManifold.INSTANCE))
                .isInstanceOf(HierarchyFormatException.class).hasMessageContaining("never loaded").hasMessageContaining("TSV")
                .hasMessageContaining("word2vec").hasMessageContaining("safetensors");
        assertThatThrownBy(() -> EmbeddingFiles.formatOf(Path.of("x.bin"))).hasMessageContaining("unknown embedding format");
    }

    @Test
    void badCoordinatesAndPointsOutsideTheBallAreOneLine() throws IOException {
        Path nan = dir.resolve("nan.tsv");
        Files.writeString(nan, "a\t0.1\t0.2\nb\tnan\t0.1\n");
        assertThatThrownBy(() -> EmbeddingFiles.read(nan, PoincareManifold.INSTANCE)).hasMessageContaining("line 2").hasMessageContaining("'b'")
                .hasMessageContaining("not a finite number");
        Path outside = dir.resolve("out.tsv");
        Files.writeString(outside, "a\t0.1\t0.2\nb\t0.9\t0.9\n");
        assertThatThrownBy(() -> EmbeddingFiles.read(outside, PoincareManifold.INSTANCE)).hasMessageContaining("'b'").hasMessageContaining("outside the unit ball");
        assertThat(EmbeddingFiles.read(outside, EuclideanManifold.INSTANCE).size()).isEqualTo(2);
        Path ragged = dir.resolve("ragged.tsv");
        Files.writeString(ragged, "a\t0.1\t0.2\nb\t0.1\n");
        assertThatThrownBy(() -> EmbeddingFiles.read(ragged, PoincareManifold.INSTANCE)).hasMessageContaining("line 2").hasMessageContaining("1 coordinates");
        Path header = dir.resolve("short.txt");
        Files.writeString(header, "3 2\na 0.1 0.2\n");
        assertThatThrownBy(() -> EmbeddingFiles.read(header, PoincareManifold.INSTANCE)).hasMessageContaining("promises 3");
        Path huge = dir.resolve("huge.txt");
        Files.writeString(huge, "999999999999 2\n");
        assertThatThrownBy(() -> EmbeddingFiles.read(huge, PoincareManifold.INSTANCE)).hasMessageContaining("out of range");
        Path twice = dir.resolve("twice.tsv");
        Files.writeString(twice, "a\t0.1\na\t0.2\n");
        assertThatThrownBy(() -> EmbeddingFiles.read(twice, PoincareManifold.INSTANCE)).hasMessageContaining("appears twice");
    }

    @Test
    void aCarriageReturnInsideARowEndsItSoTheErrorIsOneLine() throws IOException {
        Path file = dir.resolve("cr.tsv");
        Files.writeString(file, "root\t0\r0\r\nleaf\t0.25\t-0.5\r\n");
        assertThatThrownBy(() -> EmbeddingFiles.read(file, EuclideanManifold.INSTANCE))
                .isInstanceOf(HierarchyFormatException.class)
                .hasMessage(file + " line 2: expected a name and coordinates");
    }

    @Test
    void alignmentNamesTheFirstMismatch() throws IOException {
        EdgeList edges = EdgeList.builder().add("b", "a", 1).build();
        HierarchyEmbedding e = new HierarchyEmbedding(new String[] {"a", "b"}, PoincareManifold.INSTANCE, 1, new double[] {0.1, 0.2});
        HierarchyEmbedding aligned = EmbeddingFiles.alignTo(e, edges, Path.of("e.tsv"), Path.of("h.csv"));
        assertThat(aligned.names()).containsExactly("b", "a");
        assertThat(aligned.coordinates()).containsExactly(0.2, 0.1);
        HierarchyEmbedding extra = new HierarchyEmbedding(new String[] {"a", "b", "zebra"}, PoincareManifold.INSTANCE, 1, new double[] {0.1, 0.2, 0.3});
        assertThatThrownBy(() -> EmbeddingFiles.alignTo(extra, edges, Path.of("e.tsv"), Path.of("h.csv"))).hasMessageContaining("'zebra' is not a node of h.csv");
        HierarchyEmbedding missing = new HierarchyEmbedding(new String[] {"a"}, PoincareManifold.INSTANCE, 1, new double[] {0.1});
        assertThatThrownBy(() -> EmbeddingFiles.alignTo(missing, edges, Path.of("e.tsv"), Path.of("h.csv"))).hasMessageContaining("no vector for node 'b'");
    }
}
