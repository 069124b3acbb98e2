package org.flowbench.compute.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SafetensorsTest {

    @TempDir
    Path dir;

    private static Checkpoint sample() {
        SplittableRandom random = new SplittableRandom(7);
        float[] w = new float[3 * 5];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian();
        }
        // Values whose bits a careless writer would lose: NaN payload, signed zero, subnormal, infinity.
        float[] odd = {Float.intBitsToFloat(0x7fc12345), -0.0f, Float.MIN_VALUE, Float.NEGATIVE_INFINITY};
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(Checkpoint.KEY_FORMAT, Checkpoint.FORMAT_FLOWBENCH);
        meta.put(Checkpoint.KEY_KIND, "velocity-mlp");
        meta.put(Checkpoint.KEY_TRAINING, "{\"lr\":0.001,\"note\":\"quotes \\\" and ünïcode\"}");
        return new Checkpoint(meta, List.of(
                new Tensor("layers.0.weight", new int[] {3, 5}, w),
                new Tensor("odd", new int[] {4}, odd),
                new Tensor("scalar", new int[] {}, new float[] {2.5f}),
                new Tensor("empty", new int[] {0, 3}, new float[0])));
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    /** A file with the given raw header text and data bytes. */
    private Path raw(String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return write("raw.safetensors", b.array());
    }

    @Test
    void roundTripIsBitForBitAndWritesAreDeterministic() throws IOException {
        Checkpoint original = sample();
        Path f = dir.resolve("m.safetensors");
        Safetensors.write(f, original);
        Checkpoint back = Safetensors.read(f);
        assertThat(back.bitEquals(original)).isTrue();
        assertThat(back.metadata()).containsEntry(Checkpoint.KEY_TRAINING, original.metadata().get(Checkpoint.KEY_TRAINING));
        assertThat(back.tensors().get("odd").data()[0]).isNaN();
        assertThat(Float.floatToRawIntBits(back.tensors().get("odd").data()[0])).isEqualTo(0x7fc12345);

        byte[] bytes = Files.readAllBytes(f);
        assertThat(Safetensors.toBytes(back)).isEqualTo(bytes);
        long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat((8 + headerLength) % 8).isZero();
        assertThat(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8)).startsWith("{\"__metadata__\":{");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("m.safetensors");
        }
    }

    @Test
    void readsTorchStyleFileWithHalfAndDoubleTensors() throws IOException, URISyntaxException {
        Path f = Path.of(getClass().getResource("torch_style.safetensors").toURI());
        Checkpoint c = Checkpoints.load(f);
        assertThat(c.metadata()).containsEntry("format", "pt");
        assertThat(c.isFlowbench()).isFalse();
        assertThat(c.tensor("net.0.weight", 3, 2).data()).containsExactly(0.5f, -1.25f, 3.0f, 0.0f, 1e-3f, -7.5f);
        assertThat(c.tensor("net.0.bias").data()).containsExactly(1.0f, -2.0f, 0.099975586f);
        assertThat(c.tensor("net.0.bias").storedType()).isEqualTo("F16");
        assertThat(c.tensor("net.2.bias").data()).containsExactly(1.0f, -2.0f, 0.5f);
        assertThat(c.tensor("scale").data()).containsExactly((float) Math.PI, -0.1f);
        assertThatThrownBy(() -> c.tensor("net.0.weight", 2, 3)).hasMessageContaining("has shape [3, 2], expected [2, 3]");
        assertThatThrownBy(() -> c.requireKind("velocity-mlp")).hasMessageContaining("not a Flowbench checkpoint");
    }

    @Test
    void halfPrecisionDecodesEverySpecialCase() {
        assertThat(Float.intBitsToFloat(Safetensors.halfToFloatBits((short) 0x3c00))).isEqualTo(1.0f);
        assertThat(Float.intBitsToFloat(Safetensors.halfToFloatBits((short) 0xc000))).isEqualTo(-2.0f);
        assertThat(Float.intBitsToFloat(Safetensors.halfToFloatBits((short) 0x0001))).isEqualTo((float) Math.pow(2, -24));
        assertThat(Float.intBitsToFloat(Safetensors.halfToFloatBits((short) 0x03ff))).isEqualTo((float) (1023 * Math.pow(2, -24)));
        assertThat(Float.intBitsToFloat(Safetensors.halfToFloatBits((short) 0x7bff))).isEqualTo(65504f);
        assertThat(Float.intBitsToFloat(Safetensors.halfToFloatBits((short) 0xfc00))).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(Float.intBitsToFloat(Safetensors.halfToFloatBits((short) 0x7e00))).isNaN();
        assertThat(Float.floatToRawIntBits(Float.intBitsToFloat(Safetensors.halfToFloatBits((short) 0x8000)))).isEqualTo(0x80000000);
    }

    @Test
    void truncatedFileNamesTheProblem() throws IOException {
        Path good = dir.resolve("good.safetensors");
        Safetensors.write(good, sample());
        byte[] bytes = Files.readAllBytes(good);
        Path cut = write("cut.safetensors", Arrays.copyOf(bytes, bytes.length - 3));
        assertThatThrownBy(() -> Safetensors.read(cut)).isInstanceOf(CheckpointFormatException.class)
                .hasMessageStartingWith("cut.safetensors: ").hasMessageContaining("outside the");
        Path tiny = write("tiny.safetensors", new byte[] {1, 2, 3});
        assertThatThrownBy(() -> Safetensors.read(tiny)).hasMessageContaining("truncated");
        Path longer = write("longer.safetensors", Arrays.copyOf(bytes, bytes.length + 4));
        assertThatThrownBy(() -> Safetensors.read(longer)).hasMessageContaining("4 bytes after the last tensor");
    }

    @Test
    void headerLengthLargerThanFileOrLimitIsRefusedBeforeAllocating() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).put("{}      ".getBytes(StandardCharsets.US_ASCII));
        Path f = write("short.safetensors", b.array());
        assertThatThrownBy(() -> Safetensors.read(f)).hasMessageContaining("header length 1000 is larger than the file (16 bytes)");
        ByteBuffer huge = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-2L).put("{}      ".getBytes(StandardCharsets.US_ASCII));
        Path g = write("huge.safetensors", huge.array());
        assertThatThrownBy(() -> Safetensors.read(g)).hasMessageContaining("18446744073709551614 exceeds the limit");
    }

    @Test
    void aTextFileRenamedSafetensorsIsCalledWhatItIs() throws IOException {
        Path text = write("notes.safetensors", "Shopping list: eggs, milk, flour and a new safetensors reader.\n".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> Safetensors.read(text)).isInstanceOf(CheckpointFormatException.class)
                .hasMessage("notes.safetensors: not a safetensors file: the 8-byte header length is not followed by a JSON header '{'"
                        + " (it starts with \"Shopping \")");
        Path png = write("picture.safetensors", new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H', 'D', 'R'});
        assertThatThrownBy(() -> Safetensors.read(png)).hasMessage("picture.safetensors: not a safetensors file: the 8-byte header"
                + " length is not followed by a JSON header '{'");
    }

    @Test
    void overlappingGappedOrOutOfRangeOffsetsAreRefused() throws IOException {
        Path overlap = raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12);
        assertThatThrownBy(() -> Safetensors.read(overlap)).hasMessageContaining("overlap");
        Path gap = raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8);
        assertThatThrownBy(() -> Safetensors.read(gap)).hasMessageContaining("gap of 4 bytes");
        Path outside = raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8);
        assertThatThrownBy(() -> Safetensors.read(outside)).hasMessageContaining("outside the 8 data bytes");
        Path backwards = raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,4]}}", 8);
        assertThatThrownBy(() -> Safetensors.read(backwards)).hasMessageContaining("run backwards");
        Path negative = raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", 4);
        assertThatThrownBy(() -> Safetensors.read(negative)).hasMessageContaining("invalid data offset -4");
    }

    @Test
    void wrongDtypeOrShapeInconsistentWithBytesIsRefused() throws IOException {
        Path unknown = raw("{\"a\":{\"dtype\":\"Q8\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8);
        assertThatThrownBy(() -> Safetensors.read(unknown)).hasMessageContaining("unsupported dtype 'Q8'");
        Path mismatch = raw("{\"a\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8);
        assertThatThrownBy(() -> Safetensors.read(mismatch)).hasMessageContaining("needs 16 bytes but data_offsets span 8");
        Path overflow = raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,2147483647],\"data_offsets\":[0,8]}}", 8);
        assertThatThrownBy(() -> Safetensors.read(overflow)).hasMessageContaining("overflows");
        Path negativeDim = raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8);
        assertThatThrownBy(() -> Safetensors.read(negativeDim)).hasMessageContaining("invalid dimension -2");
    }

    @Test
    void hostileJsonGivesOneLineErrors() throws IOException {
        String deep = "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        List<String> headers = List.of(
                deep,
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"evil\":1}}",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,99999999999999999999999999999999999]}}",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}",
                "{\"__metadata__\":{\"kind\":{\"nested\":true}}}",
                "{\"__metadata__\":[1,2]}",
                "[1,2,3]",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}",
                "{\"a\":\"\u0000\\n\"}");
        for (String header : headers) {
            Path f = raw(header, 4);
            assertThatThrownBy(() -> Safetensors.read(f)).as(header.length() > 60 ? header.substring(0, 60) : header)
                    .isInstanceOf(CheckpointFormatException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").startsWith("raw.safetensors: "));
        }
    }

    @Test
    void wrongKindIsNamed() throws IOException {
        Path f = dir.resolve("g.safetensors");
        Safetensors.write(f, sample());
        Checkpoint c = Safetensors.read(f);
        assertThat(c.requireKind("velocity-mlp", "one-step-generator")).isSameAs(c);
        assertThatThrownBy(() -> c.requireKind("one-step-generator"))
                .hasMessage("g.safetensors: checkpoint of kind 'velocity-mlp', expected one-step-generator");
        assertThatThrownBy(() -> c.tensor("missing")).hasMessage("g.safetensors: no tensor named 'missing'");
    }

    @Test
    void missingFileNamesThePath() {
        Path f = dir.resolve("absent.safetensors");
        assertThatThrownBy(() -> Checkpoints.load(f)).isInstanceOf(java.nio.file.NoSuchFileException.class)
                .hasMessageContaining("absent.safetensors").hasMessageContaining("no such file");
    }
}
