package org.flowbench.compute.hierarchy;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.flowbench.compute.checkpoint.AtomicFiles;

/**
 * Reads and writes edge lists: CSV rows {@code id1,id2[,weight]} with an optional
 * {@code id1,id2,weight} header (facebookresearch/poincare-embeddings' closure files) and
 * tab-separated {@code id1<TAB>id2[<TAB>weight]} pairs (gensim's PoincareRelations). id1 is
 * the hyponym; a missing weight is 1. Empty lines and lines starting with '#' are skipped.
 * Every size is bounded before anything grows with it; a bad row is reported with its line.
 */
public final class EdgeListFiles {

    public static final long MAX_FILE_BYTES = 2L << 30;
    public static final int MAX_EDGES = 50_000_000;
    public static final int MAX_LINE_CHARS = 64 * 1024;

    /** How the fields of a row are separated. */
    public enum Format {
        CSV(','), TSV('\t');

        final char separator;

        Format(char separator) {
            this.separator = separator;
        }
    }

    private EdgeListFiles() {
    }

    /** Reads a CSV or TSV edge list: TSV when the name ends in .tsv or the first row holds a tab. */
    public static EdgeList read(Path file) throws IOException {
        checkFile(file, MAX_FILE_BYTES);
        return read(file, detect(file));
    }

    /** The format {@link #read(Path)} would use. */
    public static Format detect(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".tsv")) {
            return Format.TSV;
        }
        if (name.endsWith(".csv")) {
            return Format.CSV;
        }
        try (BoundedLines lines = new BoundedLines(file, MAX_LINE_CHARS)) {
            String line;
            while ((line = lines.next()) != null) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    return line.indexOf('\t') >= 0 ? Format.TSV : Format.CSV;
                }
            }
        }
        return Format.CSV;
    }

    public static EdgeList read(Path file, Format format) throws IOException {
        checkFile(file, MAX_FILE_BYTES);
        EdgeList.Builder edges = EdgeList.builder();
        boolean first = true;
        try (BoundedLines lines = new BoundedLines(file, MAX_LINE_CHARS)) {
            String line;
            while ((line = lines.next()) != null) {
                long lineNo = lines.lineNumber();
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                List<String> fields = split(file, lineNo, line, format.separator);
                if (first) {
                    first = false;
                    if (isHeader(fields)) {
                        continue;
                    }
                }
                if (fields.size() < 2 || fields.size() > 3) {
                    throw new HierarchyFormatException(file, lineNo, "expected 2 or 3 " + (format == Format.CSV ? "comma" : "tab")
                            + "-separated fields (id1, id2[, weight]), found " + fields.size());
                }
                String a = fields.get(0).strip();
                String b = fields.get(1).strip();
                if (a.isEmpty() || b.isEmpty()) {
                    throw new HierarchyFormatException(file, lineNo, "empty node name");
                }
                double w = 1.0;
                if (fields.size() == 3) {
                    String text = fields.get(2).strip();
                    try {
                        w = Double.parseDouble(text);
                    } catch (NumberFormatException e) {
                        w = Double.NaN;
                    }
                    if (!(w > 0) || !Double.isFinite(w)) {
                        throw new HierarchyFormatException(file, lineNo, "weight '" + text + "' is not a positive finite number");
                    }
                }
                if (edges.edgeCount() >= MAX_EDGES) {
                    throw new HierarchyFormatException(file, lineNo, "more than " + MAX_EDGES + " edges");
                }
                edges.add(a, b, w);
            }
        }
        if (edges.edgeCount() == 0) {
            throw new HierarchyFormatException(file, "holds no edges");
        }
        return edges.build();
    }

    private static boolean isHeader(List<String> fields) {
        return fields.size() >= 2 && fields.get(0).strip().equalsIgnoreCase("id1") && fields.get(1).strip().equalsIgnoreCase("id2")
                && (fields.size() == 2 || fields.get(2).strip().equalsIgnoreCase("weight"));
    }

    /** Splits a row; in CSV a field may be double-quoted, with "" for a quote inside it. */
    private static List<String> split(Path file, long lineNo, String line, char separator) throws HierarchyFormatException {
        List<String> fields = new ArrayList<>(3);
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (separator == ',' && ch == '"') {
                if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (quoted) {
                    quoted = false;
                } else if (field.toString().isBlank() && !wasQuoted) {
                    quoted = true;
                    wasQuoted = true;
                    field.setLength(0);
                } else {
                    throw new HierarchyFormatException(file, lineNo, "stray quote in a field");
                }
            } else if (ch == separator && !quoted) {
                fields.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
                if (fields.size() > 3) {
                    break;
                }
            } else {
                field.append(ch);
            }
        }
        if (quoted) {
            throw new HierarchyFormatException(file, lineNo, "unterminated quoted field");
        }
        fields.add(field.toString());
        return fields;
    }

    /** Writes CSV rows id1,id2,weight with the reference's header, atomically. */
    public static void writeCsv(Path file, EdgeList edges) throws IOException {
        AtomicFiles.write(file, out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            w.write("id1,id2,weight\n");
            for (int e = 0; e < edges.edgeCount(); e++) {
                w.write(csvField(edges.name(edges.child(e))));
                w.write(',');
                w.write(csvField(edges.name(edges.parent(e))));
                w.write(',');
                w.write(formatWeight(edges.weight(e)));
                w.write('\n');
            }
            w.flush();
        });
    }

    static String formatWeight(double w) {
        return w == Math.rint(w) && Math.abs(w) < 1e15 ? Long.toString((long) w) : Double.toString(w);
    }

    private static String csvField(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.strip().equals(s)) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    public static void checkFile(Path file, long maxBytes) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw new HierarchyFormatException(file, "is not a regular file");
        }
        long size = Files.size(file);
        if (size > maxBytes) {
            throw new HierarchyFormatException(file, "is " + size + " bytes; at most " + maxBytes + " are read");
        }
    }
}
