package org.flowbench.compute.checkpoint;

import org.flowbench.compute.io.MessageText;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a checkpoint file holds, read from its header alone: metadata and each tensor's name,
 * shape and stored type. Tensor data is read only when asked for, one tensor at a time, so a
 * caller checks names and shapes against what it expects before any large allocation, and a file
 * with one huge unused tensor costs nothing but its header. Reads stop at a memory ceiling
 * ({@link #maxLoadBytes()}, the system property {@value #MAX_LOAD_BYTES_PROPERTY}).
 */
public final class CheckpointIndex {

    /** System property: most bytes of tensor data (as 32-bit floats) one index reads, e.g. {@code 512m} or {@code 2g}. */
    public static final String MAX_LOAD_BYTES_PROPERTY = "flowbench.maxLoadBytes";
    /** Default ceiling: 1 GiB of floats. */
    public static final long DEFAULT_MAX_LOAD_BYTES = 1L << 30;

    /** One tensor as the header describes it; {@code count} is the element count, checked against the bytes present. */
    public record Entry(String name, int[] shape, String storedType, long count) {
        public Entry {
            Objects.requireNonNull(name, "name");
            shape = shape.clone();
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        public int rank() {
            return shape.length;
        }

        public int dim(int axis) {
            return shape[axis];
        }

        @Override
        public String toString() {
            return name + Arrays.toString(shape) + " " + storedType;
        }
    }

    /** Reads one tensor's data on demand. */
    @FunctionalInterface
    interface TensorReader {
        Tensor read(Entry entry) throws IOException;
    }

    private final Path file;
    private final Map<String, String> metadata;
    private final Map<String, Entry> entries;
    private final TensorReader reader;
    private final long ceiling;
    private long loadedBytes;

    CheckpointIndex(Path file, Map<String, String> metadata, List<Entry> entries, TensorReader reader) throws CheckpointFormatException {
        this.file = file;
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        Map<String, Entry> byName = new LinkedHashMap<>();
        for (Entry e : entries) {
            if (byName.put(e.name(), e) != null) {
                throw new CheckpointFormatException(file, "duplicate tensor name '" + MessageText.abbreviate(e.name()) + "'");
            }
        }
        this.entries = Collections.unmodifiableMap(byName);
        this.reader = reader;
        this.ceiling = maxLoadBytes();
    }

    /** Indexes safetensors, .npy (one tensor named after the file) or .npz, telling the format by the first bytes. */
    public static CheckpointIndex open(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new CheckpointFormatException(file, "is a folder, not a checkpoint file");
        }
        byte[] head = new byte[9];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        boolean zip = n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
        if (isPyTorchPickle(file, head, n, zip)) {
            throw new CheckpointFormatException(file, "is a PyTorch pickle, which Flowbench never opens (unpickling runs code); "
                    + "save the state dict with safetensors.torch.save_file, or as NumPy .npz, and open that");
        }
        if (zip) {
            return NumpyArrays.indexNpz(file);
        }
        if (n >= 6 && (head[0] & 0xff) == 0x93 && head[1] == 'N' && head[2] == 'U' && head[3] == 'M' && head[4] == 'P' && head[5] == 'Y') {
            return NumpyArrays.indexNpy(file);
        }
        return Safetensors.index(file);
    }

    /**
     * torch.save's files: a bare pickle (protocol 2 to 5 opcode first) or, since PyTorch 1.6, a zip
     * archive named .pt, .pth, .bin or .ckpt. A safetensors file whose header length starts with
     * the same two bytes has its JSON header's '{' at byte 8, which a pickle does not.
     */
    private static boolean isPyTorchPickle(Path file, byte[] head, int n, boolean zip) {
        if (n >= 2 && (head[0] & 0xff) == 0x80 && head[1] >= 2 && head[1] <= 5 && !(n == 9 && head[8] == '{')) {
            return true;
        }
        return zip && hasPyTorchName(file);
    }

    /** Whether the file's name is one torch.save's files take: .pt, .pth, .bin or .ckpt. */
    public static boolean hasPyTorchName(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return name.endsWith(".pt") || name.endsWith(".pth") || name.endsWith(".bin") || name.endsWith(".ckpt");
    }

    /** The ceiling on tensor bytes one index loads, from {@value #MAX_LOAD_BYTES_PROPERTY} (default 1 GiB). */
    public static long maxLoadBytes() {
        String text = System.getProperty(MAX_LOAD_BYTES_PROPERTY);
        if (text == null || text.isBlank()) {
            return DEFAULT_MAX_LOAD_BYTES;
        }
        String s = text.strip().toLowerCase(java.util.Locale.ROOT);
        long unit = 1;
        char last = s.charAt(s.length() - 1);
        if (last == 'k' || last == 'm' || last == 'g') {
            unit = last == 'k' ? 1L << 10 : last == 'm' ? 1L << 20 : 1L << 30;
            s = s.substring(0, s.length() - 1);
        }
        try {
            long value = Math.multiplyExact(Long.parseLong(s), unit);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("system property " + MAX_LOAD_BYTES_PROPERTY + "=" + text
                + " is not a positive size such as 512m or 2g");
    }

    public Path file() {
        return file;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /** Every tensor in file order, described but not read. */
    public Map<String, Entry> entries() {
        return entries;
    }

    /** The entry with this name, or a one-line error naming the file and the tensor. */
    public Entry entry(String name) throws CheckpointFormatException {
        Entry e = entries.get(name);
        if (e == null) {
            throw new CheckpointFormatException(file, "no tensor named '" + MessageText.abbreviate(name) + "'");
        }
        return e;
    }

    /** The metadata as a checkpoint without tensors, for its {@code require} and {@code requireKind} checks. */
    public Checkpoint metadataOnly() {
        return new Checkpoint(file, metadata, List.of());
    }

    /** Reads one tensor's data, within the memory ceiling. */
    public Tensor read(String name) throws IOException {
        Entry e = entry(name);
        long bytes = Math.multiplyExact(e.count(), (long) Float.BYTES);
        if (bytes > ceiling - loadedBytes) {
            throw new CheckpointFormatException(file, "tensor '" + MessageText.abbreviate(name) + "' needs " + bytes
                    + " bytes, beyond the loading limit of " + ceiling + " bytes (set -D" + MAX_LOAD_BYTES_PROPERTY + " to raise it)");
        }
        Tensor t = reader.read(e);
        loadedBytes += bytes;
        return t;
    }

    /** Reads the named tensors into a checkpoint with this file's metadata. */
    public Checkpoint read(List<String> names) throws IOException {
        List<Tensor> tensors = new ArrayList<>(names.size());
        for (String name : names) {
            tensors.add(read(name));
        }
        return new Checkpoint(file, metadata, tensors);
    }

    /** Reads every tensor. */
    public Checkpoint readAll() throws IOException {
        return read(new ArrayList<>(entries.keySet()));
    }
}
