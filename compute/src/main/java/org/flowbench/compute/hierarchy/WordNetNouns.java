package org.flowbench.compute.hierarchy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The noun synsets of a WordNet 3.0 database folder (data.noun and index.noun, as the Debian
 * package wordnet-base installs them under /usr/share/wordnet) with their hypernym ({@code @})
 * and instance hypernym ({@code @i}) pointers. Synsets are named as NLTK names them,
 * {@code lemma.n.NN}: the first lemma in lower case and the synset's sense rank among that
 * lemma's synsets in index.noun.
 * <p>
 * The closure follows facebookresearch/poincare-embeddings' wordnet/transitive_closure.py: every
 * synset is linked to all its hypernyms' closure, and an instance to its instance hypernyms
 * and their hypernym closure.
 */
public final class WordNetNouns {

    /** Default folder of the Debian package wordnet-base. */
    public static final Path DEBIAN_FOLDER = Path.of("/usr/share/wordnet");
    /** data.noun of WordNet 3.0 is 15 MB; anything far larger is not a WordNet noun file. */
    public static final long MAX_FILE_BYTES = 256L << 20;
    private static final int MAX_LINE_CHARS = 1 << 20;
    // any whitespace separates fields, so no field (and no message quoting one) holds a line break
    private static final String WHITESPACE = "\\s+";

    private final String[] names;          // [synsets]
    private final int[][] hypernyms;       // [synsets][] ids through '@'
    private final int[][] instanceOf;      // [synsets][] ids through '@i'
    private final Map<String, Integer> byName;
    private int[][] ancestors;             // hypernym closure, sorted, computed on demand

    private WordNetNouns(String[] names, int[][] hypernyms, int[][] instanceOf) {
        this.names = names;
        this.hypernyms = hypernyms;
        this.instanceOf = instanceOf;
        this.byName = new HashMap<>(names.length * 2);
        for (int i = 0; i < names.length; i++) {
            byName.put(names[i], i);
        }
    }

    /** Reads data.noun and index.noun from {@code folder}. */
    public static WordNetNouns read(Path folder) throws IOException {
        Path data = folder.resolve("data.noun");
        Path index = folder.resolve("index.noun");
        for (Path p : List.of(data, index)) {
            if (!Files.isRegularFile(p)) {
                throw new NoSuchFileException(p.toString(), null,
                        "not a WordNet database folder (no " + p.getFileName() + "; the Debian package wordnet-base installs one in /usr/share/wordnet)");
            }
            if (Files.size(p) > MAX_FILE_BYTES) {
                throw new HierarchyFormatException(p, "is " + Files.size(p) + " bytes, more than a WordNet noun file can be ("
                        + MAX_FILE_BYTES + ")");
            }
        }
        Map<String, int[]> senses = readIndex(index);
        return readData(data, senses);
    }

    private static Map<String, int[]> readIndex(Path index) throws IOException {
        Map<String, int[]> senses = new HashMap<>();
        try (BoundedLines in = new BoundedLines(index, MAX_LINE_CHARS)) {
            String line;
            while ((line = in.next()) != null) {
                long lineNo = in.lineNumber();
                if (line.isEmpty() || line.charAt(0) == ' ') {
                    continue; // licence header
                }
                String[] t = line.trim().split(WHITESPACE);
                try {
                    int synsetCount = Integer.parseInt(t[2]);
                    int pointerCount = Integer.parseInt(t[3]);
                    int first = 4 + pointerCount + 2;
                    if (synsetCount < 0 || pointerCount < 0 || first + synsetCount > t.length) {
                        throw new HierarchyFormatException(index, lineNo, "counts do not match the fields");
                    }
                    int[] offsets = new int[synsetCount];
                    for (int i = 0; i < synsetCount; i++) {
                        offsets[i] = Integer.parseInt(t[first + i]);
                    }
                    senses.put(t[0], offsets);
                } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                    throw new HierarchyFormatException(index, lineNo, "not an index.noun entry (" + e.getMessage() + ")");
                }
            }
        }
        return senses;
    }

    private static WordNetNouns readData(Path data, Map<String, int[]> senses) throws IOException {
        List<String> names = new ArrayList<>();
        List<int[]> hyperOffsets = new ArrayList<>();
        List<int[]> instanceOffsets = new ArrayList<>();
        Map<Integer, Integer> idOfOffset = new HashMap<>();
        try (BoundedLines in = new BoundedLines(data, MAX_LINE_CHARS)) {
            String line;
            while ((line = in.next()) != null) {
                long lineNo = in.lineNumber();
                if (line.isEmpty() || line.charAt(0) == ' ') {
                    continue;
                }
                int bar = line.indexOf(" | ");
                String[] t = (bar >= 0 ? line.substring(0, bar) : line).trim().split(WHITESPACE);
                try {
                    int offset = Integer.parseInt(t[0]);
                    int wordCount = Integer.parseInt(t[3], 16);
                    if (wordCount < 1 || 4 + 2 * wordCount >= t.length) {
                        throw new HierarchyFormatException(data, lineNo, "word count " + wordCount + " does not match the fields");
                    }
                    String lemma = t[4].toLowerCase(Locale.ROOT);
                    int pointerAt = 4 + 2 * wordCount;
                    int pointerCount = Integer.parseInt(t[pointerAt]);
                    if (pointerCount < 0 || pointerAt + 1 + 4 * pointerCount > t.length) {
                        throw new HierarchyFormatException(data, lineNo, "pointer count " + pointerCount + " does not match the fields");
                    }
                    List<Integer> hyper = new ArrayList<>();
                    List<Integer> instance = new ArrayList<>();
                    for (int p = 0; p < pointerCount; p++) {
                        int at = pointerAt + 1 + 4 * p;
                        if (!"n".equals(t[at + 2])) {
                            continue;
                        }
                        if ("@".equals(t[at])) {
                            hyper.add(Integer.parseInt(t[at + 1]));
                        } else if ("@i".equals(t[at])) {
                            instance.add(Integer.parseInt(t[at + 1]));
                        }
                    }
                    int[] lemmaSenses = senses.get(lemma);
                    int rank = lemmaSenses == null ? -1 : indexOf(lemmaSenses, offset);
                    if (rank < 0) {
                        throw new HierarchyFormatException(data, lineNo, "synset " + t[0] + " of '" + lemma + "' is not listed in index.noun");
                    }
                    if (idOfOffset.put(offset, names.size()) != null) {
                        throw new HierarchyFormatException(data, lineNo, "synset offset " + t[0] + " appears twice");
                    }
                    names.add(String.format(Locale.ROOT, "%s.n.%02d", lemma, rank + 1));
                    hyperOffsets.add(hyper.stream().mapToInt(Integer::intValue).toArray());
                    instanceOffsets.add(instance.stream().mapToInt(Integer::intValue).toArray());
                } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                    throw new HierarchyFormatException(data, lineNo, "not a data.noun synset line (" + e.getMessage() + ")");
                }
            }
        }
        int n = names.size();
        int[][] hypernyms = new int[n][];
        int[][] instanceOf = new int[n][];
        for (int i = 0; i < n; i++) {
            hypernyms[i] = resolve(data, names.get(i), hyperOffsets.get(i), idOfOffset);
            instanceOf[i] = resolve(data, names.get(i), instanceOffsets.get(i), idOfOffset);
        }
        return new WordNetNouns(names.toArray(new String[0]), hypernyms, instanceOf);
    }

    private static int[] resolve(Path file, String name, int[] offsets, Map<Integer, Integer> idOfOffset)
            throws HierarchyFormatException {
        int[] ids = new int[offsets.length];
        for (int k = 0; k < offsets.length; k++) {
            Integer id = idOfOffset.get(offsets[k]);
            if (id == null) {
                throw new HierarchyFormatException(file, "synset " + name + " points to offset " + offsets[k] + ", which is not a noun synset");
            }
            ids[k] = id;
        }
        return ids;
    }

    private static int indexOf(int[] values, int value) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        return -1;
    }

    public int synsetCount() {
        return names.length;
    }

    /** The synset id of an NLTK-style name such as mammal.n.01, or -1. */
    public int idOf(String name) {
        Integer id = byName.get(name);
        return id == null ? -1 : id;
    }

    public String name(int synset) {
        return names[synset];
    }

    /** Every (hyponym, ancestor) pair of the noun hierarchy, ordered by hyponym name then ancestor name. */
    public EdgeList nounClosure() {
        int[][] closure = fullClosure();
        Integer[] order = sortedByName(allIds());
        EdgeList.Builder edges = EdgeList.builder();
        for (int s : order) {
            for (int a : sortedByName(boxed(closure[s]))) {
                edges.add(names[s], names[a], 1.0);
            }
        }
        return edges.build();
    }

    /**
     * The closure restricted to {@code root} and the synsets below it: rows whose hyponym and
     * hypernym both descend from {@code root} (or are it), without the rows whose hyponym is
     * in {@code excludedHyponyms}.
     */
    public EdgeList subtreeClosure(String root, Collection<String> excludedHyponyms) {
        int rootId = idOf(root);
        if (rootId < 0) {
            throw new IllegalArgumentException("no noun synset named '" + root + "' (names look like mammal.n.01)");
        }
        int[][] closure = fullClosure();
        boolean[] member = new boolean[names.length];
        member[rootId] = true;
        for (int s = 0; s < names.length; s++) {
            if (Arrays.binarySearch(closure[s], rootId) >= 0) {
                member[s] = true;
            }
        }
        Set<String> excluded = Set.copyOf(excludedHyponyms);
        EdgeList.Builder edges = EdgeList.builder();
        List<Integer> members = new ArrayList<>();
        for (int s = 0; s < names.length; s++) {
            if (member[s] && !excluded.contains(names[s])) {
                members.add(s);
            }
        }
        for (int s : sortedByName(members.toArray(new Integer[0]))) {
            for (int a : sortedByName(boxed(closure[s]))) {
                if (member[a]) {
                    edges.add(names[s], names[a], 1.0);
                }
            }
        }
        return edges.build();
    }

    /** For each synset, the sorted ids of all synsets it is linked to in the closure. */
    private synchronized int[][] fullClosure() {
        int[][] hyper = hypernymClosure();
        int[][] full = new int[names.length][];
        for (int s = 0; s < names.length; s++) {
            if (instanceOf[s].length == 0) {
                full[s] = hyper[s];
                continue;
            }
            // instance hypernyms (followed through '@i' transitively), each with its hypernym closure
            BitSet seen = new BitSet();
            ArrayDeque<Integer> queue = new ArrayDeque<>();
            for (int i : instanceOf[s]) {
                queue.add(i);
            }
            TreeSet<Integer> linked = new TreeSet<>();
            for (int a : hyper[s]) {
                linked.add(a);
            }
            while (!queue.isEmpty()) {
                int h = queue.poll();
                if (seen.get(h)) {
                    continue;
                }
                seen.set(h);
                linked.add(h);
                for (int a : hyper[h]) {
                    linked.add(a);
                }
                for (int i : instanceOf[h]) {
                    queue.add(i);
                }
            }
            linked.remove(s);
            full[s] = linked.stream().mapToInt(Integer::intValue).toArray();
        }
        return full;
    }

    private int[][] hypernymClosure() {
        if (ancestors != null) {
            return ancestors;
        }
        int n = names.length;
        int[][] result = new int[n][];
        byte[] state = new byte[n];
        for (int s = 0; s < n; s++) {
            closeFrom(s, result, state);
        }
        ancestors = result;
        return result;
    }

    /** Depth-first with an explicit stack: a hypernym cycle in a damaged file is reported, not followed forever. */
    private void closeFrom(int start, int[][] result, byte[] state) {
        if (state[start] == 2) {
            return;
        }
        ArrayDeque<Integer> stack = new ArrayDeque<>();
        stack.push(start);
        while (!stack.isEmpty()) {
            int s = stack.peek();
            if (state[s] == 0) {
                state[s] = 1;
                for (int h : hypernyms[s]) {
                    if (state[h] == 1) {
                        throw new IllegalStateException("WordNet hypernym cycle through " + names[s] + " and " + names[h]);
                    }
                    if (state[h] == 0) {
                        stack.push(h);
                    }
                }
                continue;
            }
            stack.pop();
            if (state[s] == 2) {
                continue;
            }
            TreeSet<Integer> all = new TreeSet<>();
            for (int h : hypernyms[s]) {
                all.add(h);
                for (int a : result[h]) {
                    all.add(a);
                }
            }
            result[s] = all.stream().mapToInt(Integer::intValue).toArray();
            state[s] = 2;
        }
    }

    private Integer[] allIds() {
        Integer[] ids = new Integer[names.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i;
        }
        return ids;
    }

    private static Integer[] boxed(int[] ids) {
        Integer[] out = new Integer[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = ids[i];
        }
        return out;
    }

    private Integer[] sortedByName(Integer[] ids) {
        Arrays.sort(ids, (a, b) -> names[a].compareTo(names[b]));
        return ids;
    }
}
