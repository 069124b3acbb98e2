package org.flowbench.compute.lm;

import org.flowbench.compute.data.SeededRandom;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.TreeSet;

/**
 * A character-level corpus from a UTF-8 text file: the vocabulary is the file's distinct code
 * points in order, a batch is random windows of {@code seq + 1} characters (each predicts the
 * next). The file is bounded in size and checked before it is decoded: empty, binary (NUL
 * bytes or invalid UTF-8) and too large files are one-line errors naming the file.
 */
public final class TextCorpus implements LmData {

    /** Largest file read, in bytes. */
    public static final long MAX_BYTES = 64L << 20;
    /** Most distinct characters accepted. */
    public static final int MAX_VOCAB = 4096;

    private final String name;
    private final int[] ids;
    private final int[] codePoints;
    private final int seq;

    /** A corpus over {@code text} (its name for messages). */
    public TextCorpus(String name, String text, int seq) {
        this.name = name;
        if (text.isEmpty()) {
            throw new IllegalArgumentException(name + ": the text is empty");
        }
        int[] cps = text.codePoints().toArray();
        TreeSet<Integer> distinct = new TreeSet<>();
        for (int cp : cps) {
            distinct.add(cp);
        }
        if (distinct.size() > MAX_VOCAB) {
            throw new IllegalArgumentException(name + ": " + distinct.size() + " distinct characters, more than "
                    + MAX_VOCAB + " (is it really text?)");
        }
        codePoints = distinct.stream().mapToInt(Integer::intValue).toArray();
        ids = new int[cps.length];
        for (int i = 0; i < cps.length; i++) {
            ids[i] = java.util.Arrays.binarySearch(codePoints, cps[i]);
        }
        if (seq < 1 || seq + 1 > ids.length) {
            throw new IllegalArgumentException(name + ": " + ids.length + " characters are too few for sequences of "
                    + seq + " (need at least seq + 1)");
        }
        this.seq = seq;
    }

    /** Reads {@code file}; every problem is an {@link IllegalArgumentException} with one line naming it. */
    public static TextCorpus read(Path file, int seq) throws IOException {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": not a regular file");
        }
        if (size == 0) {
            throw new IllegalArgumentException(file + ": the file is empty");
        }
        if (size > MAX_BYTES) {
            throw new IllegalArgumentException(file + ": " + size + " bytes, more than the limit of " + MAX_BYTES);
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) MAX_BYTES + 1);
        }
        if (bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException(file + ": grew past the limit of " + MAX_BYTES + " bytes while read");
        }
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                throw new IllegalArgumentException(file + ": binary file (a NUL byte at offset " + i + "), not text");
            }
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + ": not UTF-8 text (" + e.getMessage() + ")");
        }
        return new TextCorpus(file.getFileName().toString(), text, seq);
    }

    @Override
    public int vocab() {
        return codePoints.length;
    }

    @Override
    public int seq() {
        return seq;
    }

    /** Characters in the corpus. */
    public int length() {
        return ids.length;
    }

    /** The character of token id {@code id}. */
    public String decode(int id) {
        return new String(Character.toChars(codePoints[id]));
    }

    @Override
    public LmBatch next(int batch, SeededRandom rnd) {
        int[] tokens = new int[batch * seq];
        int[] targets = new int[batch * seq];
        int starts = ids.length - seq;
        for (int b = 0; b < batch; b++) {
            int s = rnd.nextInt(starts);
            System.arraycopy(ids, s, tokens, b * seq, seq);
            System.arraycopy(ids, s + 1, targets, b * seq, seq);
        }
        return new LmBatch(tokens, targets, batch, seq);
    }

    @Override
    public String describe() {
        return "text " + name + " (" + ids.length + " characters, " + codePoints.length + " distinct)";
    }
}
