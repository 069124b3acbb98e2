package org.flowbench.compute.checkpoint;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.flowbench.compute.io.MessageText;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.flowbench.compute.io.MessageText.abbreviate;

/**
 * The safetensors format: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
 * naming each tensor's dtype, shape and byte range, then the little-endian tensor bytes.
 * Flowbench writes F32 only and reads F32, F64, F16 and BF16 (PyTorch exports), widening or
 * narrowing to float. The reader is strict: the byte ranges must tile the data area exactly
 * (no overlap, no gap, no trailing bytes), each range must match dtype size times element
 * count, and the header is bounded in size and nesting before anything is allocated.
 */
public final class Safetensors {

    /** Largest header this reader accepts, in bytes. */
    public static final long MAX_HEADER_BYTES = 16L << 20;
    /** Largest rank this reader accepts. */
    public static final int MAX_RANK = 16;
    private static final int MAX_NAME_LENGTH = 1024;

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(8)
                    .maxNumberLength(24)
                    .maxStringLength((int) MAX_HEADER_BYTES)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build());

    private Safetensors() {
    }

    /** Element types this reader knows, with their sizes in bytes. */
    enum DType {
        F32(4), F64(8), F16(2), BF16(2);

        final int bytes;

        DType(int bytes) {
            this.bytes = bytes;
        }

        static DType parse(Path file, String tensor, String name) throws CheckpointFormatException {
            for (DType d : values()) {
                if (d.name().equals(name)) {
                    return d;
                }
            }
            throw new CheckpointFormatException(file, "tensor '" + tensor + "' has unsupported dtype '" + abbreviate(name)
                    + "' (supported: F32, F64, F16, BF16)");
        }
    }

    private record Entry(String name, DType dtype, int[] shape, long begin, long end) {
    }

    /** Reads a whole safetensors file. */
    public static Checkpoint read(Path file) throws IOException {
        return index(file).readAll();
    }

    /** Reads a safetensors file's header; tensor data is read when {@link CheckpointIndex#read(String)} asks for it. */
    public static CheckpointIndex index(Path file) throws IOException {
        Header header;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            header = readHeader(file, channel);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        List<CheckpointIndex.Entry> described = new ArrayList<>(header.entries.size());
        Map<String, Entry> byName = new LinkedHashMap<>();
        for (Entry e : header.entries) {
            described.add(new CheckpointIndex.Entry(e.name, e.shape, e.dtype.name(), (e.end - e.begin) / e.dtype.bytes));
            byName.put(e.name, e);
        }
        return new CheckpointIndex(file, header.metadata, described, entry -> readTensor(file, header, byName.get(entry.name())));
    }

    private record Header(Map<String, String> metadata, List<Entry> entries, long dataStart, long fileSize) {
    }

    private static Header readHeader(Path file, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size < 8) {
            throw new CheckpointFormatException(file, "truncated: " + size + " bytes, too short for the 8-byte header length");
        }
        ByteBuffer lengthBytes = readFully(file, channel, 0, (int) Math.min(size, 9));
        long headerLength = lengthBytes.order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        // Plausibility first, so a text or image file is called what it is rather than a header of absurd length.
        if (size > 8 && lengthBytes.get(8) != '{') {
            throw new CheckpointFormatException(file, "not a safetensors file: the 8-byte header length is not followed by a JSON header '{'"
                    + describeStart(lengthBytes));
        }
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw new CheckpointFormatException(file, "header length " + Long.toUnsignedString(headerLength)
                    + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
        }
        if (headerLength > size - 8) {
            throw new CheckpointFormatException(file, "header length " + headerLength + " is larger than the file ("
                    + size + " bytes): truncated or not a safetensors file");
        }
        if (headerLength < 2) {
            throw new CheckpointFormatException(file, "header of " + headerLength + " bytes is too short to be JSON");
        }
        ByteBuffer headerBytes = readFully(file, channel, 8, (int) headerLength);
        byte[] header = new byte[(int) headerLength];
        headerBytes.get(header);
        if (header[0] != '{') {
            throw new CheckpointFormatException(file, "header does not start with '{': not a safetensors file");
        }
        long dataStart = 8 + headerLength;
        long dataLength = size - dataStart;

        // The format says UTF-8; decoding it here keeps the JSON parser from guessing another
        // encoding from the byte pattern (a header of '{' and zero bytes reads as UTF-32 otherwise).
        String headerText;
        try {
            headerText = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(header)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new CheckpointFormatException(file, "header is not UTF-8 text: not a safetensors file");
        }
        JsonNode root;
        try {
            root = JSON.readTree(headerText);
        } catch (JsonProcessingException e) {
            throw new CheckpointFormatException(file, "header is not valid JSON: " + MessageText.joinLines(e.getOriginalMessage(), ""));
        }
        if (root == null || !root.isObject()) {
            throw new CheckpointFormatException(file, "header is not a JSON object");
        }

        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if ("__metadata__".equals(field.getKey())) {
                readMetadata(file, field.getValue(), metadata);
            } else {
                entries.add(readEntry(file, field.getKey(), field.getValue(), dataLength));
            }
        }
        checkTiling(file, entries, dataLength);

        return new Header(metadata, entries, dataStart, size);
    }

    /** Bytes decoded per read: bounds the transient buffer whatever the tensor's size. */
    private static final int CHUNK_BYTES = 1 << 20;

    /** Reads one tensor's bytes in chunks, decoding as it goes, so only the float array is allocated at full size. */
    private static Tensor readTensor(Path file, Header header, Entry e) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.size() != header.fileSize) {
                throw new CheckpointFormatException(file, "changed size while it was being read (" + header.fileSize + " then "
                        + channel.size() + " bytes)");
            }
            int count = (int) ((e.end - e.begin) / e.dtype.bytes);
            float[] out = new float[count];
            int chunkElements = CHUNK_BYTES / e.dtype.bytes;
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, Math.max(e.end - e.begin, 1))).order(ByteOrder.LITTLE_ENDIAN);
            for (int done = 0; done < count; ) {
                int n = Math.min(chunkElements, count - done);
                buffer.clear().limit(n * e.dtype.bytes);
                long position = header.dataStart + e.begin + (long) done * e.dtype.bytes;
                while (buffer.hasRemaining()) {
                    if (channel.read(buffer, position + buffer.position()) < 0) {
                        throw new CheckpointFormatException(file, "truncated: file ended inside tensor '" + abbreviate(e.name) + "'");
                    }
                }
                buffer.flip();
                decode(buffer, e.dtype, out, done, n);
                done += n;
            }
            return new Tensor(e.name, e.shape, out, e.dtype.name());
        } catch (NoSuchFileException x) {
            throw new NoSuchFileException(file.toString(), null, "no such file (removed while being read)");
        }
    }

    /** What the file starts with, when it is text: helps the user recognise a renamed file. */
    private static String describeStart(ByteBuffer start) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < start.limit(); i++) {
            int c = start.get(i) & 0xff;
            if (c < 0x20 || c > 0x7e) {
                return "";
            }
            text.append((char) c);
        }
        return " (it starts with \"" + text + "\")";
    }

    private static void readMetadata(Path file, JsonNode node, Map<String, String> metadata) throws CheckpointFormatException {
        if (!node.isObject()) {
            throw new CheckpointFormatException(file, "__metadata__ is not a JSON object");
        }
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> m = it.next();
            if (!m.getValue().isTextual()) {
                throw new CheckpointFormatException(file, "__metadata__ entry '" + abbreviate(m.getKey()) + "' is not a string");
            }
            metadata.put(m.getKey(), m.getValue().textValue());
        }
    }

    private static Entry readEntry(Path file, String name, JsonNode node, long dataLength) throws CheckpointFormatException {
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw new CheckpointFormatException(file, "tensor name of length " + name.length() + " is not allowed");
        }
        String shown = abbreviate(name);
        if (!node.isObject()) {
            throw new CheckpointFormatException(file, "tensor '" + shown + "' is not described by a JSON object");
        }
        Iterator<String> keys = node.fieldNames();
        while (keys.hasNext()) {
            String key = keys.next();
            if (!key.equals("dtype") && !key.equals("shape") && !key.equals("data_offsets")) {
                throw new CheckpointFormatException(file, "tensor '" + shown + "' has unexpected field '" + abbreviate(key) + "'");
            }
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new CheckpointFormatException(file, "tensor '" + shown + "' has no dtype string");
        }
        DType dtype = DType.parse(file, shown, dtypeNode.textValue());

        JsonNode shapeNode = node.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw new CheckpointFormatException(file, "tensor '" + shown + "' has no shape array");
        }
        if (shapeNode.size() > MAX_RANK) {
            throw new CheckpointFormatException(file, "tensor '" + shown + "' has rank " + shapeNode.size()
                    + ", more than " + MAX_RANK);
        }
        int[] shape = new int[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToInt() || d.intValue() < 0) {
                throw new CheckpointFormatException(file, "tensor '" + shown + "' has an invalid dimension " + abbreviate(d.toString()));
            }
            shape[i] = d.intValue();
            count = multiplyBounded(file, shown, count, shape[i]);
        }

        JsonNode offsets = node.get("data_offsets");
        if (offsets == null || !offsets.isArray() || offsets.size() != 2) {
            throw new CheckpointFormatException(file, "tensor '" + shown + "' has no data_offsets pair");
        }
        long begin = offset(file, shown, offsets.get(0));
        long end = offset(file, shown, offsets.get(1));
        if (begin > end) {
            throw new CheckpointFormatException(file, "tensor '" + shown + "' has data_offsets [" + begin + ", " + end
                    + "] that run backwards");
        }
        if (end > dataLength) {
            throw new CheckpointFormatException(file, "tensor '" + shown + "' has data_offsets [" + begin + ", " + end
                    + "] outside the " + dataLength + " data bytes of the file (truncated?)");
        }
        long expected = multiplyBounded(file, shown, count, dtype.bytes);
        if (end - begin != expected) {
            throw new CheckpointFormatException(file, "tensor '" + shown + "' of dtype " + dtype + " and shape "
                    + java.util.Arrays.toString(shape) + " needs " + expected + " bytes but data_offsets span " + (end - begin));
        }
        if (expected > Integer.MAX_VALUE - 8) {
            throw new CheckpointFormatException(file, "tensor '" + shown + "' has " + count + " elements, too many to load");
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static long offset(Path file, String tensor, JsonNode node) throws CheckpointFormatException {
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
            throw new CheckpointFormatException(file, "tensor '" + tensor + "' has an invalid data offset "
                    + (node == null ? "null" : abbreviate(node.toString())));
        }
        return node.longValue();
    }

    private static long multiplyBounded(Path file, String tensor, long a, long b) throws CheckpointFormatException {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw new CheckpointFormatException(file, "tensor '" + tensor + "' has a shape whose size overflows");
        }
    }

    /** The byte ranges must cover [0, dataLength) exactly, in some order, without overlap. */
    private static void checkTiling(Path file, List<Entry> entries, long dataLength) throws CheckpointFormatException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long position = 0;
        Entry previous = null;
        for (Entry e : sorted) {
            if (e.begin < position) {
                throw new CheckpointFormatException(file, "tensors '" + abbreviate(previous.name) + "' and '" + abbreviate(e.name)
                        + "' overlap in the data area");
            }
            if (e.begin > position) {
                throw new CheckpointFormatException(file, "gap of " + (e.begin - position) + " bytes in the data area before tensor '"
                        + abbreviate(e.name) + "'");
            }
            position = e.end;
            previous = e;
        }
        if (position != dataLength) {
            throw new CheckpointFormatException(file, (dataLength - position) + " bytes after the last tensor are not described by the header");
        }
    }

    /** Decodes {@code count} values of {@code dtype} from the start of {@code bytes} into {@code out[offset..]}. */
    private static void decode(ByteBuffer bytes, DType dtype, float[] out, int offset, int count) {
        switch (dtype) {
            case F32 -> bytes.asFloatBuffer().get(out, offset, count);
            case F64 -> {
                for (int i = 0; i < count; i++) {
                    out[offset + i] = (float) bytes.getDouble(8 * i);
                }
            }
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    out[offset + i] = Float.intBitsToFloat(halfToFloatBits(bytes.getShort(2 * i)));
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    out[offset + i] = Float.intBitsToFloat((bytes.getShort(2 * i) & 0xffff) << 16);
                }
            }
            default -> throw new IllegalStateException(dtype.name());
        }
    }

    /** IEEE 754 binary16 to binary32 bits (subnormals, infinities and NaN included). */
    static int halfToFloatBits(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {
            return sign | 0x7f800000 | (mantissa << 13);
        }
        if (exponent == 0) {
            if (mantissa == 0) {
                return sign;
            }
            int e = -1;
            do {
                mantissa <<= 1;
                e++;
            } while ((mantissa & 0x400) == 0);
            mantissa &= 0x3ff;
            return sign | ((127 - 15 - e) << 23) | (mantissa << 13);
        }
        return sign | ((exponent + 127 - 15) << 23) | (mantissa << 13);
    }

    private static ByteBuffer readFully(Path file, FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position());
            if (n < 0) {
                throw new CheckpointFormatException(file, "truncated: file ended inside a read of " + length + " bytes at " + position);
            }
        }
        buffer.flip();
        return buffer;
    }

    /** Writes a checkpoint as F32 safetensors, atomically. Same checkpoint, same bytes. */
    public static void write(Path file, Checkpoint checkpoint) throws IOException {
        byte[] bytes = toBytes(checkpoint);
        AtomicFiles.write(file, bytes);
    }

    /** The file's bytes: metadata first, tensors in order, header padded with spaces to an 8-byte boundary. */
    public static byte[] toBytes(Checkpoint checkpoint) throws IOException {
        ObjectNode header = JsonNodeFactory.instance.objectNode();
        if (!checkpoint.metadata().isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            checkpoint.metadata().forEach(meta::put);
        }
        long offset = 0;
        for (Tensor t : checkpoint.tensors().values()) {
            if (t.name().equals("__metadata__") || t.name().isEmpty()) {
                throw new IllegalArgumentException("tensor name '" + t.name() + "' is reserved");
            }
            ObjectNode entry = header.putObject(t.name());
            entry.put("dtype", "F32");
            ArrayNode shape = entry.putArray("shape");
            for (int d : t.shape()) {
                shape.add(d);
            }
            ArrayNode offsets = entry.putArray("data_offsets");
            offsets.add(offset);
            offset += 4L * t.size();
            offsets.add(offset);
        }
        byte[] json = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int padded = (int) ((json.length + 7L) / 8 * 8);
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 16, 8 + padded + offset));
        writeTo(out, json, padded, checkpoint);
        return out.toByteArray();
    }

    private static void writeTo(OutputStream out, byte[] json, int padded, Checkpoint checkpoint) throws IOException {
        ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
        out.write(length.array());
        out.write(json);
        for (int i = json.length; i < padded; i++) {
            out.write(' ');
        }
        for (Tensor t : checkpoint.tensors().values()) {
            ByteBuffer data = ByteBuffer.allocate(4 * t.size()).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : t.data()) {
                data.putInt(Float.floatToRawIntBits(v));
            }
            out.write(data.array());
        }
    }

}
