package org.flowbench.compute.hierarchy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EdgeListFilesTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void readsTheReferenceCsvWithIdsInOrderOfFirstAppearance() throws IOException {
        EdgeList e = EdgeListFiles.read(write("h.csv", "id1,id2,weight\ndog,mammal,1\ncat,mammal,2\r\n\n# note\ndog,animal,1\n"));
        assertThat(e.edgeCount()).isEqualTo(3);
        assertThat(e.names()).containsExactly("dog", "mammal", "cat", "animal");
        assertThat(e.child(1)).isEqualTo(2);
        assertThat(e.parent(1)).isEqualTo(1);
        assertThat(e.weight(1)).isEqualTo(2.0);
        Adjacency up = e.parents();
        assertThat(up.contains(0, 1)).isTrue();
        assertThat(up.contains(0, 3)).isTrue();
        assertThat(up.contains(1, 0)).isFalse();
        assertThat(up.degree(0)).isEqualTo(2);
        assertThat(e.findCycle()).isNull();
    }

    @Test
    void readsTsvPairsAndQuotedCsvAndRoundTrips() throws IOException {
        EdgeList tsv = EdgeListFiles.read(write("r.tsv", "kitten\tcat\ncat\tfeline\n"));
        assertThat(tsv.names()).containsExactly("kitten", "cat", "feline");
        EdgeList detected = EdgeListFiles.read(write("r.txt", "kitten\tcat\n"));
        assertThat(detected.edgeCount()).isEqualTo(1);
        EdgeList quoted = EdgeListFiles.read(write("q.csv", "\"a, b\",c\n\"say \"\"x\"\"\",c,0.5\n"));
        assertThat(quoted.names()).containsExactly("a, b", "c", "say \"x\"");
        Path out = dir.resolve("out.csv");
        EdgeListFiles.writeCsv(out, quoted);
        assertThat(Files.readString(out)).startsWith("id1,id2,weight\n\"a, b\",c,1\n");
        EdgeList back = EdgeListFiles.read(out);
        assertThat(back.names()).containsExactly(quoted.names());
        assertThat(back.weight(1)).isEqualTo(0.5);
    }

    @Test
    void badRowsNameTheirLine() throws IOException {
        assertThatThrownBy(() -> EdgeListFiles.read(write("a.csv", "id1,id2\nx,y\nz\n")))
                .isInstanceOf(HierarchyFormatException.class).hasMessageContaining("a.csv line 3").hasMessageContaining("found 1");
        assertThatThrownBy(() -> EdgeListFiles.read(write("b.csv", "x,y,NaN\n"))).hasMessageContaining("line 1").hasMessageContaining("weight 'NaN'");
        assertThatThrownBy(() -> EdgeListFiles.read(write("c.csv", "x,y,-1\n"))).hasMessageContaining("weight '-1'");
        assertThatThrownBy(() -> EdgeListFiles.read(write("d.csv", "x,,1\n"))).hasMessageContaining("empty node name");
        assertThatThrownBy(() -> EdgeListFiles.read(write("e.csv", "a,b,1,2\n"))).hasMessageContaining("found 4");
        assertThatThrownBy(() -> EdgeListFiles.read(write("f.csv", "\"a,b\n"))).hasMessageContaining("unterminated");
        assertThatThrownBy(() -> EdgeListFiles.read(write("g.csv", "# only a comment\n"))).hasMessageContaining("no edges");
        assertThatThrownBy(() -> EdgeListFiles.read(dir.resolve("missing.csv"))).hasMessageContaining("missing.csv");
        Path binary = dir.resolve("h.csv");
        Files.write(binary, new byte[] {'a', ',', 'b', 0, '\n'});
        assertThatThrownBy(() -> EdgeListFiles.read(binary)).hasMessageContaining("NUL");
    }

    @Test
    void aLoneCarriageReturnEndsALineSoOldMacFilesReadAndNoMessageBreaksALine() throws IOException {
        EdgeList mac = EdgeListFiles.read(write("mac.csv", "dog,mammal\rcat,mammal,2\r\nbird,animal\r"));
        assertThat(mac.edgeCount()).isEqualTo(3);
        assertThat(mac.weight(1)).isEqualTo(2.0);
        assertThatThrownBy(() -> EdgeListFiles.read(write("cr.csv", "dog,mammal\r,\r\n")))
                .isInstanceOf(HierarchyFormatException.class).hasMessage(dir.resolve("cr.csv") + " line 2: empty node name");
    }

    @Test
    void bytesThatAreNotUtf8AreReportedAtTheirLine() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            text.append("node").append(i).append(",root\n");
        }
        byte[] valid = text.toString().getBytes(StandardCharsets.UTF_8);
        byte[] bytes = java.util.Arrays.copyOf(valid, valid.length + 4);
        bytes[valid.length] = 'x';
        bytes[valid.length + 1] = (byte) 0xc3; // a two-byte sequence cut short
        bytes[valid.length + 2] = ',';
        bytes[valid.length + 3] = 'y';
        Path p = dir.resolve("latin1.csv");
        Files.write(p, bytes);
        assertThatThrownBy(() -> EdgeListFiles.read(p)).isInstanceOf(HierarchyFormatException.class)
                .hasMessage(p + " line 2001: not UTF-8 text");
        Path truncated = dir.resolve("truncated.csv");
        Files.write(truncated, valid);
        Files.write(truncated, new byte[] {'a', ',', (byte) 0xe2, (byte) 0x82}, java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> EdgeListFiles.read(truncated)).hasMessage(truncated + " line 2001: not UTF-8 text");
    }

    @Test
    void aHugeLineIsRefusedWithoutReadingItWhole() throws IOException {
        Path p = dir.resolve("long.csv");
        Files.writeString(p, "a".repeat(EdgeListFiles.MAX_LINE_CHARS + 10) + ",b\n");
        assertThatThrownBy(() -> EdgeListFiles.read(p)).hasMessageContaining("line 1").hasMessageContaining("longer than");
    }

    @Test
    void aFileLargerThanTheBoundIsRefusedByItsSize() throws IOException {
        Path p = dir.resolve("sparse.csv");
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(EdgeListFiles.MAX_FILE_BYTES + 1); // sparse: no disk used
        }
        assertThatThrownBy(() -> EdgeListFiles.read(p)).hasMessageContaining("bytes");
    }

    @Test
    void theShippedMammalClosureHasTheReferenceSize() throws IOException {
        Path shipped = Path.of("..", "samples", "poincare", "mammal_closure.csv");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(shipped), "run from the compute module of a full checkout");
        EdgeList mammals = EdgeListFiles.read(shipped);
        assertThat(mammals.nodeCount()).isEqualTo(1_180);
        assertThat(mammals.edgeCount()).isEqualTo(6_540);
        assertThat(mammals.parents().edgeCount()).isEqualTo(6_540);
        assertThat(mammals.findCycle()).isNull();
        assertThat(mammals.idOf("mammal.n.01")).isNotNegative();
        assertThat(mammals.parents().degree(mammals.idOf("mammal.n.01"))).isZero();
    }

    @Test
    void cyclesAreFound() throws IOException {
        EdgeList loop = EdgeListFiles.read(write("l.csv", "a,b\nb,c\nc,a\nd,a\n"));
        assertThat(loop.findCycle()).contains("cycle").contains("'a'");
        EdgeList self = EdgeListFiles.read(write("s.csv", "a,a\n"));
        assertThat(self.findCycle()).contains("'a' is its own parent");
        EdgeList diamond = EdgeListFiles.read(write("d.csv", "a,b\na,c\nb,d\nc,d\na,d\n"));
        assertThat(diamond.findCycle()).isNull();
    }
}
