package org.flowbench.compute.embedding;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import org.flowbench.compute.checkpoint.AtomicFiles;
import org.flowbench.compute.checkpoint.Checkpoint;
import org.flowbench.compute.checkpoint.Safetensors;
import org.flowbench.compute.checkpoint.Tensor;
import org.flowbench.compute.hierarchy.BoundedLines;
import org.flowbench.compute.hierarchy.EdgeList;
import org.flowbench.compute.hierarchy.EdgeListFiles;
import org.flowbench.compute.hierarchy.HierarchyFormatException;

/**
 * Embedding files: TSV rows {@code name<TAB>x1<TAB>x2...}; gensim's word2vec text format
 * (a first line {@code count dim}, then {@code name x1 x2...}); and safetensors with one
 * [n, coordinates] F32 tensor "embeddings" and the names (a JSON list), manifold and dimension in
 * the metadata. The format follows the file name's extension. PyTorch pickles are refused:
 * loading them would run code from the file.
 */
public final class EmbeddingFiles {

    public static final long MAX_FILE_BYTES = 2L << 30;
    public static final int MAX_POINTS = 20_000_000;
    public static final int MAX_LINE_CHARS = 1 << 20;
    public static final String TENSOR = "embeddings";
    public static final String KIND = "hierarchy-embedding";
    public static final String KEY_NAMES = "names";
    public static final String KEY_MANIFOLD = "manifold";
    public static final String KEY_DIM = "dim";
    public static final String FORMATS = "TSV (.tsv: name<TAB>x1<TAB>x2...), word2vec text (.txt, .vec, .w2v) or safetensors (.safetensors)";

    private static final ObjectMapper JSON = new ObjectMapper();

    public enum Format {
        TSV, WORD2VEC, SAFETENSORS
    }

    private EmbeddingFiles() {
    }

    /** The format a file name asks for; refuses pickles and unknown extensions in one line. */
    public static Format formatOf(Path file) throws HierarchyFormatException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".tsv")) {
            return Format.TSV;
        }
        if (name.endsWith(".txt") || name.endsWith(".vec") || name.endsWith(".w2v")) {
            return Format.WORD2VEC;
        }
        if (name.endsWith(".safetensors")) {
            return Format.SAFETENSORS;
        }
        if (name.endsWith(".pth") || name.endsWith(".pt") || name.endsWith(".pkl") || name.endsWith(".pickle") || name.endsWith(".ckpt")) {
            throw new HierarchyFormatException(file, "PyTorch pickles are never loaded (they can run code); use " + FORMATS);
        }
        throw new HierarchyFormatException(file, "unknown embedding format; use " + FORMATS);
    }

    /** Writes atomically in the format of the file's extension. */
    public static void write(Path file, HierarchyEmbedding embedding, Map<String, String> metadata) throws IOException {
        switch (formatOf(file)) {
            case TSV:
                writeText(file, embedding, false);
                break;
            case WORD2VEC:
                writeText(file, embedding, true);
                break;
            default:
                writeSafetensors(file, embedding, metadata);
        }
    }

    private static void writeText(Path file, HierarchyEmbedding e, boolean word2vec) throws IOException {
        for (int i = 0; i < e.size(); i++) {
            String name = e.name(i);
            boolean bad = word2vec ? name.chars().anyMatch(Character::isWhitespace) : name.indexOf('\t') >= 0 || name.indexOf('\n') >= 0;
            if (bad) {
                throw new IllegalArgumentException("node name '" + name + "' cannot be written to " + (word2vec ? "word2vec text (it holds whitespace)" : "TSV (it holds a tab or newline)"));
            }
        }
        char separator = word2vec ? ' ' : '\t';
        int k = e.stride();
        double[] t = e.table();
        AtomicFiles.write(file, out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            if (word2vec) {
                w.write(e.size() + " " + k + "\n");
            }
            for (int i = 0; i < e.size(); i++) {
                w.write(e.name(i));
                for (int j = 0; j < k; j++) {
                    w.write(separator);
                    w.write(Double.toString(t[i * k + j]));
                }
                w.write('\n');
            }
            w.flush();
        });
    }

    private static void writeSafetensors(Path file, HierarchyEmbedding e, Map<String, String> extra) throws IOException {
        int k = e.stride();
        double[] t = e.table();
        float[] data = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            data[i] = (float) t[i];
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(Checkpoint.KEY_FORMAT, Checkpoint.FORMAT_FLOWBENCH);
        meta.put(Checkpoint.KEY_KIND, KIND);
        meta.put(KEY_MANIFOLD, e.manifold().name());
        meta.put(KEY_DIM, Integer.toString(e.dim()));
        ArrayNode names = JSON.createArrayNode();
        for (int i = 0; i < e.size(); i++) {
            names.add(e.name(i));
        }
        meta.put(KEY_NAMES, JSON.writeValueAsString(names));
        if (extra != null) {
            extra.forEach(meta::putIfAbsent);
        }
        Safetensors.write(file, new Checkpoint(meta, List.of(new Tensor(TENSOR, new int[] {e.size(), k}, data))));
    }

    /**
     * Reads an embedding. Text formats do not say their manifold: {@code manifold} names it (a
     * safetensors file's own manifold wins when it has one). Every point is checked to lie on
     * the manifold.
     */
    public static HierarchyEmbedding read(Path file, Manifold manifold) throws IOException {
        Format format = formatOf(file);
        EdgeListFiles.checkFile(file, MAX_FILE_BYTES);
        HierarchyEmbedding e = format == Format.SAFETENSORS ? readSafetensors(file, manifold) : readText(file, manifold, format == Format.WORD2VEC);
        String invalid = e.firstInvalidPoint();
        if (invalid != null) {
            throw new HierarchyFormatException(file, invalid + " (as a " + e.manifold().name() + " embedding)");
        }
        return e;
    }

    private static HierarchyEmbedding readText(Path file, Manifold manifold, boolean word2vec) throws IOException {
        List<String> names = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        double[] values = new double[1024];
        int size = 0;
        int k = -1;
        long expectedRows = -1;
        try (BoundedLines lines = new BoundedLines(file, MAX_LINE_CHARS)) {
            String line;
            while ((line = lines.next()) != null) {
                long lineNo = lines.lineNumber();
                if (line.isBlank()) {
                    continue;
                }
                String[] f = word2vec ? line.strip().split(" +") : line.split("\t", -1);
                if (word2vec && expectedRows < 0) {
                    if (f.length != 2) {
                        throw new HierarchyFormatException(file, lineNo, "a word2vec text file starts with 'count dim'");
                    }
                    try {
                        expectedRows = Long.parseLong(f[0]);
                        k = Integer.parseInt(f[1]);
                    } catch (NumberFormatException ex) {
                        throw new HierarchyFormatException(file, lineNo, "a word2vec text file starts with 'count dim', not '" + line.strip() + "'");
                    }
                    if (expectedRows < 1 || expectedRows > MAX_POINTS || k < 1 || k > EmbeddingConfig.MAX_DIM + 1) {
                        throw new HierarchyFormatException(file, lineNo, "count " + expectedRows + " or dim " + k + " out of range (1.." + MAX_POINTS
                                + " vectors of 1.." + (EmbeddingConfig.MAX_DIM + 1) + " values)");
                    }
                    continue;
                }
                if (f.length < 2) {
                    throw new HierarchyFormatException(file, lineNo, "expected a name and coordinates");
                }
                if (k < 0) {
                    k = f.length - 1;
                    if (k > EmbeddingConfig.MAX_DIM + 1) {
                        throw new HierarchyFormatException(file, lineNo, k + " coordinates; at most " + (EmbeddingConfig.MAX_DIM + 1));
                    }
                }
                if (f.length - 1 != k) {
                    throw new HierarchyFormatException(file, lineNo, (f.length - 1) + " coordinates where the file has " + k);
                }
                String name = f[0];
                if (name.isEmpty()) {
                    throw new HierarchyFormatException(file, lineNo, "empty name");
                }
                if (seen.put(name, names.size()) != null) {
                    throw new HierarchyFormatException(file, lineNo, "'" + name + "' appears twice");
                }
                if (names.size() >= MAX_POINTS) {
                    throw new HierarchyFormatException(file, lineNo, "more than " + MAX_POINTS + " vectors");
                }
                names.add(name);
                if (size + k > values.length) {
                    values = Arrays.copyOf(values, Math.max(size + k, values.length * 2));
                }
                for (int j = 0; j < k; j++) {
                    double v;
                    try {
                        v = Double.parseDouble(f[j + 1]);
                    } catch (NumberFormatException ex) {
                        v = Double.NaN;
                    }
                    if (!Double.isFinite(v)) {
                        throw new HierarchyFormatException(file, lineNo, "coordinate " + (j + 1) + " of '" + name + "' ('" + f[j + 1] + "') is not a finite number");
                    }
                    values[size++] = v;
                }
            }
        }
        if (names.isEmpty()) {
            throw new HierarchyFormatException(file, "holds no vectors");
        }
        if (word2vec && names.size() != expectedRows) {
            throw new HierarchyFormatException(file, "the header promises " + expectedRows + " vectors but the file holds " + names.size());
        }
        int dim = dimFor(file, manifold, k);
        return new HierarchyEmbedding(names.toArray(new String[0]), manifold, dim, Arrays.copyOf(values, size));
    }

    private static int dimFor(Path file, Manifold manifold, int coordinates) throws HierarchyFormatException {
        int dim = manifold.coordinates(1) == 2 ? coordinates - 1 : coordinates;
        if (dim < 1) {
            throw new HierarchyFormatException(file, "a " + manifold.name() + " embedding needs at least " + manifold.coordinates(1) + " coordinates per point");
        }
        return dim;
    }

    private static HierarchyEmbedding readSafetensors(Path file, Manifold fallback) throws IOException {
        Checkpoint c = Safetensors.read(file);
        Tensor t = c.tensors().get(TENSOR);
        if (t == null || t.rank() != 2) {
            throw new HierarchyFormatException(file, "has no [points, coordinates] tensor named '" + TENSOR + "'");
        }
        String namesJson = c.metadata().get(KEY_NAMES);
        if (namesJson == null) {
            throw new HierarchyFormatException(file, "has no '" + KEY_NAMES + "' list in its metadata");
        }
        JsonNode list;
        try {
            list = JSON.readTree(namesJson);
        } catch (JsonProcessingException ex) {
            throw new HierarchyFormatException(file, "metadata '" + KEY_NAMES + "' is not a JSON list of names");
        }
        if (list == null || !list.isArray() || list.size() != t.dim(0)) {
            throw new HierarchyFormatException(file, "metadata '" + KEY_NAMES + "' must list " + t.dim(0) + " names");
        }
        String[] names = new String[list.size()];
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < names.length; i++) {
            if (!list.get(i).isTextual() || list.get(i).asText().isEmpty()) {
                throw new HierarchyFormatException(file, "name " + i + " in the metadata is not a non-empty string");
            }
            names[i] = list.get(i).asText();
            if (seen.put(names[i], i) != null) {
                throw new HierarchyFormatException(file, "'" + names[i] + "' appears twice in the names");
            }
        }
        Manifold manifold = fallback;
        String stored = c.metadata().get(KEY_MANIFOLD);
        if (stored != null) {
            try {
                manifold = Manifold.byName(stored);
            } catch (IllegalArgumentException ex) {
                throw new HierarchyFormatException(file, ex.getMessage());
            }
        }
        int k = t.dim(1);
        float[] data = t.data();
        double[] values = new double[data.length];
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                throw new HierarchyFormatException(file, "coordinate " + (i % k + 1) + " of '" + names[i / k] + "' is not a finite number");
            }
            values[i] = data[i];
        }
        if (manifold instanceof LorentzManifold) {
            // float32 storage moves points off the hyperboloid by rounding: recompute x0 from the rest
            for (int i = 0; i < names.length; i++) {
                LorentzManifold.normalize(values, i * k, k);
            }
        }
        return new HierarchyEmbedding(names, manifold, dimFor(file, manifold, k), values);
    }

    /**
     * The embedding's points in the order of the edge list's nodes. Every node needs a vector
     * and every vector a node; the first mismatch is reported by name.
     */
    public static HierarchyEmbedding alignTo(HierarchyEmbedding e, EdgeList edges, Path embeddingFile, Path edgesFile) throws HierarchyFormatException {
        Map<String, Integer> row = new HashMap<>(e.size() * 2);
        for (int i = 0; i < e.size(); i++) {
            row.put(e.name(i), i);
        }
        for (int i = 0; i < e.size(); i++) {
            if (edges.idOf(e.name(i)) < 0) {
                throw new HierarchyFormatException(embeddingFile, "'" + e.name(i) + "' is not a node of " + edgesFile);
            }
        }
        int k = e.stride();
        double[] src = e.table();
        double[] out = new double[edges.nodeCount() * k];
        for (int n = 0; n < edges.nodeCount(); n++) {
            Integer r = row.get(edges.name(n));
            if (r == null) {
                throw new HierarchyFormatException(embeddingFile, "has no vector for node '" + edges.name(n) + "' of " + edgesFile);
            }
            System.arraycopy(src, r * k, out, n * k, k);
        }
        return HierarchyEmbedding.wrap(edges.names(), e.manifold(), e.dim(), out);
    }
}
