package org.flowbench.compute.checkpoint;

import org.flowbench.compute.io.MessageText;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * NumPy's {@code .npy} (one array) and {@code .npz} (a zip of {@code .npy} files, as written by
 * {@code numpy.savez}). Reads little-endian float32 and float64 arrays in C order. The header
 * is a Python dict literal; it is parsed by a small strict parser here, never evaluated.
 * Every size is bounded before allocation: header length, element count against the bytes
 * present, number of zip entries and total decompressed bytes.
 */
public final class NumpyArrays {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** NumPy itself refuses headers longer than 10000 bytes by default; allow some slack. */
    public static final int MAX_HEADER_BYTES = 65536;
    public static final int MAX_NPZ_ENTRIES = 4096;
    /** Bound on all bytes decompressed from one .npz (guards against zip bombs). */
    public static final long MAX_NPZ_BYTES = 1L << 30;

    private NumpyArrays() {
    }

    /** Reads one .npy file as a tensor named after the file (without extension). */
    public static Tensor readNpy(Path file) throws IOException {
        long size = sizeOf(file);
        String name = stem(file.getFileName().toString(), ".npy");
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return readArray(file, name, in, size, true);
        }
    }

    /** Reads every array of a .npz file, in zip order, named by entry without ".npy". */
    public static Checkpoint readNpz(Path file) throws IOException {
        sizeOf(file);
        List<Tensor> tensors = new ArrayList<>();
        long budget = MAX_NPZ_BYTES;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            if (zip.size() > MAX_NPZ_ENTRIES) {
                throw new CheckpointFormatException(file, zip.size() + " zip entries, more than " + MAX_NPZ_ENTRIES);
            }
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                if (entry.isDirectory()) {
                    continue;
                }
                String entryName = entry.getName();
                if (!entryName.endsWith(".npy")) {
                    throw new CheckpointFormatException(file, "zip entry '" + MessageText.abbreviate(entryName) + "' is not a .npy array");
                }
                try (InputStream in = new BufferedInputStream(zip.getInputStream(entry))) {
                    Tensor t = readArray(file, stem(entryName, ".npy"), in, budget, true);
                    budget -= 4L * t.size();
                    tensors.add(t);
                } catch (ZipException e) {
                    throw new CheckpointFormatException(file, "corrupt zip entry '" + MessageText.abbreviate(entryName) + "': "
                            + e.getMessage());
                }
            }
        } catch (ZipException e) {
            throw new CheckpointFormatException(file, "not a valid .npz (zip) file: " + e.getMessage());
        }
        try {
            return new Checkpoint(file, Map.of(), tensors);
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(file, e.getMessage());
        }
    }

    /** Indexes one .npy file: its header now, its data when read. */
    static CheckpointIndex indexNpy(Path file) throws IOException {
        long size = sizeOf(file);
        String name = stem(file.getFileName().toString(), ".npy");
        NpyHeader header;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            header = readHeader(file, name, in);
        }
        checkFits(file, name, header, size);
        CheckpointIndex.Entry entry = new CheckpointIndex.Entry(name, header.shape(), header.storedType(), header.count());
        return new CheckpointIndex(file, Map.of(), List.of(entry), e -> readNpy(file));
    }

    /**
     * Indexes a .npz file from each array's header (a few hundred bytes each); an array's data is
     * decompressed only when it is read. Entry sizes the zip directory states are checked against
     * what the headers claim.
     */
    static CheckpointIndex indexNpz(Path file) throws IOException {
        sizeOf(file);
        List<CheckpointIndex.Entry> described = new ArrayList<>();
        Map<String, String> entryNames = new LinkedHashMap<>();
        long claimed = 0;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            if (zip.size() > MAX_NPZ_ENTRIES) {
                throw new CheckpointFormatException(file, zip.size() + " zip entries, more than " + MAX_NPZ_ENTRIES);
            }
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                if (entry.isDirectory()) {
                    continue;
                }
                String entryName = entry.getName();
                if (!entryName.endsWith(".npy")) {
                    throw new CheckpointFormatException(file, "zip entry '" + MessageText.abbreviate(entryName) + "' is not a .npy array");
                }
                String name = stem(entryName, ".npy");
                NpyHeader header;
                try (InputStream in = new BufferedInputStream(zip.getInputStream(entry))) {
                    header = readHeader(file, name, in);
                } catch (ZipException e) {
                    throw new CheckpointFormatException(file, "corrupt zip entry '" + MessageText.abbreviate(entryName) + "': "
                            + e.getMessage());
                }
                if (entry.getSize() >= 0) {
                    checkFits(file, name, header, entry.getSize());
                }
                claimed += header.count() * header.itemSize();
                if (claimed > MAX_NPZ_BYTES) {
                    throw new CheckpointFormatException(file, "arrays up to '" + MessageText.abbreviate(name) + "' hold " + claimed
                            + " bytes, more than the " + MAX_NPZ_BYTES + " a .npz may decompress to");
                }
                if (entryNames.put(name, entryName) != null) {
                    throw new CheckpointFormatException(file, "duplicate array name '" + MessageText.abbreviate(name) + "'");
                }
                described.add(new CheckpointIndex.Entry(name, header.shape(), header.storedType(), header.count()));
            }
        } catch (ZipException e) {
            throw new CheckpointFormatException(file, "not a valid .npz (zip) file: " + e.getMessage());
        }
        return new CheckpointIndex(file, Map.of(), described, e -> readNpzEntry(file, e, entryNames.get(e.name())));
    }

    private static Tensor readNpzEntry(Path file, CheckpointIndex.Entry described, String entryName) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry entry = zip.getEntry(entryName);
            if (entry == null) {
                throw new CheckpointFormatException(file, "zip entry '" + MessageText.abbreviate(entryName) + "' disappeared while reading");
            }
            try (InputStream in = new BufferedInputStream(zip.getInputStream(entry))) {
                Tensor t = readArray(file, described.name(), in, described.count() * 8, true);
                if (!java.util.Arrays.equals(t.shape(), described.shape())) {
                    throw new CheckpointFormatException(file, "array '" + described.name() + "' changed while reading");
                }
                return t;
            }
        } catch (ZipException e) {
            throw new CheckpointFormatException(file, "corrupt zip entry '" + MessageText.abbreviate(entryName) + "': " + e.getMessage());
        }
    }

    /** The data the header claims must fit in the bytes there are. */
    private static void checkFits(Path file, String name, NpyHeader header, long available) throws CheckpointFormatException {
        if (header.totalBytes() > available) {
            throw new CheckpointFormatException(file, "array '" + name + "' of shape " + header.shapeText() + " needs "
                    + header.totalBytes() + " bytes, more than the " + available + " there are (truncated?)");
        }
    }

    /**
     * Reads one array from a stream holding exactly one .npy image.
     *
     * @param maxBytes bound on the data bytes this array may need (the file size, or what is left of a budget)
     */
    static Tensor readArray(Path file, String name, InputStream in, long maxBytes, boolean requireEnd) throws IOException {
        NpyHeader parsed = readHeader(file, name, in);
        long bytes = parsed.count() * parsed.itemSize();
        if (bytes > maxBytes || bytes > Integer.MAX_VALUE - 8) {
            throw new CheckpointFormatException(file, "array '" + name + "' of shape " + parsed.shapeText() + " needs "
                    + bytes + " bytes, more than the file holds (truncated?)");
        }
        ByteBuffer data = ByteBuffer.wrap(readExactly(file, in, (int) bytes, "data of array '" + name + "'"))
                .order(ByteOrder.LITTLE_ENDIAN);
        if (requireEnd && in.read() >= 0) {
            throw new CheckpointFormatException(file, "array '" + name + "' is followed by bytes its header does not describe");
        }
        int count = (int) parsed.count();
        float[] values = new float[count];
        switch (parsed.itemSize()) {
            case 4 -> data.asFloatBuffer().get(values);
            case 8 -> {
                for (int i = 0; i < count; i++) {
                    values[i] = (float) data.getDouble(8 * i);
                }
            }
            default -> {
                for (int i = 0; i < count; i++) {
                    values[i] = Float.intBitsToFloat(Safetensors.halfToFloatBits(data.getShort(2 * i)));
                }
            }
        }
        return new Tensor(name, parsed.shape(), values, parsed.storedType());
    }

    /** Reads the magic string, version and header dict of one .npy image; {@code in} is left at the data. */
    static NpyHeader readHeader(Path file, String name, InputStream in) throws IOException {
        byte[] magic = readExactly(file, in, 8, "magic string");
        for (int i = 0; i < MAGIC.length; i++) {
            if (magic[i] != MAGIC[i]) {
                throw new CheckpointFormatException(file, "array '" + name + "' does not start with the .npy magic string");
            }
        }
        int major = magic[6] & 0xff;
        long headerLength;
        if (major == 1) {
            headerLength = ByteBuffer.wrap(readExactly(file, in, 2, "header length")).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
        } else if (major == 2 || major == 3) {
            headerLength = ByteBuffer.wrap(readExactly(file, in, 4, "header length")).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
        } else {
            throw new CheckpointFormatException(file, "array '" + name + "' has unsupported .npy version " + major);
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw new CheckpointFormatException(file, "array '" + name + "' has a header of " + headerLength
                    + " bytes, more than " + MAX_HEADER_BYTES);
        }
        String header = new String(readExactly(file, in, (int) headerLength, "header"),
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        NpyHeader parsed = NpyHeader.parse(file, name, header);
        return new NpyHeader(parsed.itemSize(), parsed.shape(), parsed.count(), 8 + (major == 1 ? 2 : 4) + headerLength);
    }

    private static byte[] readExactly(Path file, InputStream in, int length, String what) throws IOException {
        byte[] out = new byte[length];
        int done = 0;
        while (done < length) {
            int n = in.read(out, done, length - done);
            if (n < 0) {
                throw new CheckpointFormatException(file, "truncated: ended inside the " + what
                        + " (" + done + " of " + length + " bytes)", new EOFException());
            }
            done += n;
        }
        return out;
    }

    private static long sizeOf(Path file) throws IOException {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
    }

    private static String stem(String fileName, String extension) {
        String base = fileName.substring(fileName.lastIndexOf('/') + 1);
        return base.endsWith(extension) ? base.substring(0, base.length() - extension.length()) : base;
    }

    /** The parsed header dict: {'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }. */
    record NpyHeader(int itemSize, int[] shape, long count, long headerBytes) {

        String shapeText() {
            return java.util.Arrays.toString(shape);
        }

        String storedType() {
            return itemSize == 4 ? "F32" : itemSize == 8 ? "F64" : "F16";
        }

        /** Bytes of the whole .npy image: magic, header and data. */
        long totalBytes() {
            return headerBytes + count * itemSize;
        }

        static NpyHeader parse(Path file, String name, String text) throws CheckpointFormatException {
            Map<String, Object> dict = new DictParser(file, name, text).parse();
            for (String key : dict.keySet()) {
                if (!key.equals("descr") && !key.equals("fortran_order") && !key.equals("shape")) {
                    throw new CheckpointFormatException(file, "array '" + name + "' header has unexpected key '"
                            + MessageText.abbreviate(key) + "'");
                }
            }
            Object descr = dict.get("descr");
            Object fortran = dict.get("fortran_order");
            Object shapeValue = dict.get("shape");
            if (!(descr instanceof String) || !(fortran instanceof Boolean) || !(shapeValue instanceof long[])) {
                throw new CheckpointFormatException(file, "array '" + name + "' header lacks descr, fortran_order or shape");
            }
            int itemSize = switch ((String) descr) {
                case "<f2" -> 2;
                case "<f4" -> 4;
                case "<f8" -> 8;
                case ">f2", ">f4", ">f8" -> throw new CheckpointFormatException(file, "array '" + name
                        + "' is big-endian; only little-endian float16/32/64 arrays are supported");
                default -> throw new CheckpointFormatException(file, "array '" + name + "' has unsupported dtype '"
                        + MessageText.abbreviate((String) descr) + "' (supported: <f2, <f4, <f8)");
            };
            if ((Boolean) fortran) {
                throw new CheckpointFormatException(file, "array '" + name + "' is in Fortran order; save it in C order");
            }
            long[] dims = (long[]) shapeValue;
            if (dims.length > Safetensors.MAX_RANK) {
                throw new CheckpointFormatException(file, "array '" + name + "' has rank " + dims.length);
            }
            int[] shape = new int[dims.length];
            long count = 1;
            for (int i = 0; i < dims.length; i++) {
                if (dims[i] < 0 || dims[i] > Integer.MAX_VALUE) {
                    throw new CheckpointFormatException(file, "array '" + name + "' has an invalid dimension " + dims[i]);
                }
                shape[i] = (int) dims[i];
                try {
                    count = Math.multiplyExact(count, dims[i]);
                    Math.multiplyExact(count, (long) itemSize);
                } catch (ArithmeticException e) {
                    throw new CheckpointFormatException(file, "array '" + name + "' has a shape whose size overflows");
                }
            }
            return new NpyHeader(itemSize, shape, count, 0);
        }
    }

    /** A strict parser for the subset of Python literals .npy headers use: str, bool, tuple of int. */
    private static final class DictParser {
        /** Eighteen digits always fit a long; no real dimension comes near 10^18. */
        private static final int MAX_SHAPE_DIGITS = 18;

        private final Path file;
        private final String name;
        private final String text;
        private int pos;

        DictParser(Path file, String name, String text) {
            this.file = file;
            this.name = name;
            this.text = text;
        }

        Map<String, Object> parse() throws CheckpointFormatException {
            Map<String, Object> dict = new LinkedHashMap<>();
            skipSpace();
            expect('{');
            skipSpace();
            while (peek() != '}') {
                String key = string();
                skipSpace();
                expect(':');
                skipSpace();
                Object value = value();
                if (dict.put(key, value) != null) {
                    throw error("duplicate key '" + MessageText.abbreviate(key) + "'");
                }
                skipSpace();
                if (peek() == ',') {
                    pos++;
                    skipSpace();
                } else if (peek() != '}') {
                    throw error("expected ',' or '}'");
                }
            }
            pos++;
            skipSpace();
            if (pos != text.length()) {
                throw error("unexpected text after the dict");
            }
            return dict;
        }

        private Object value() throws CheckpointFormatException {
            char c = peek();
            if (c == '\'' || c == '"') {
                return string();
            }
            if (text.startsWith("True", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (text.startsWith("False", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            if (c == '(') {
                return tuple();
            }
            throw error("unsupported value");
        }

        private long[] tuple() throws CheckpointFormatException {
            expect('(');
            List<Long> dims = new ArrayList<>();
            skipSpace();
            while (peek() != ')') {
                // ASCII digits only, at most 18 of them, so every entry fits a long before the size checks.
                int start = pos;
                while (pos < text.length() && isAsciiDigit(text.charAt(pos))) {
                    pos++;
                }
                if (pos == start) {
                    throw error("invalid shape entry");
                }
                if (pos - start > MAX_SHAPE_DIGITS) {
                    throw error("shape entry " + MessageText.abbreviate(text.substring(start, pos)) + " is too large");
                }
                dims.add(Long.parseLong(text, start, pos, 10));
                if (peek() == 'L') {
                    pos++;
                }
                skipSpace();
                if (peek() == ',') {
                    pos++;
                    skipSpace();
                } else if (peek() != ')') {
                    throw error("expected ',' or ')' in shape");
                }
                if (dims.size() > Safetensors.MAX_RANK) {
                    throw error("shape has more than " + Safetensors.MAX_RANK + " dimensions");
                }
            }
            pos++;
            long[] out = new long[dims.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = dims.get(i);
            }
            return out;
        }

        private static boolean isAsciiDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private String string() throws CheckpointFormatException {
            char quote = peek();
            if (quote != '\'' && quote != '"') {
                throw error("expected a quoted key");
            }
            int end = text.indexOf(quote, pos + 1);
            if (end < 0 || end - pos > 256) {
                throw error("unterminated or overlong string");
            }
            String s = text.substring(pos + 1, end);
            if (s.indexOf('\\') >= 0) {
                throw error("escapes in strings are not supported");
            }
            pos = end + 1;
            return s;
        }

        private void skipSpace() {
            while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\n' || text.charAt(pos) == '\t')) {
                pos++;
            }
        }

        private char peek() throws CheckpointFormatException {
            if (pos >= text.length()) {
                throw error("header ends early");
            }
            return text.charAt(pos);
        }

        private void expect(char c) throws CheckpointFormatException {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        private CheckpointFormatException error(String problem) {
            return new CheckpointFormatException(file, "array '" + name + "' has a malformed header at character " + pos + ": " + problem);
        }
    }
}
