package org.flowbench.compute.lm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A character corpus from the glosses of WordNet 3.0 (data.noun, data.verb, data.adj and
 * data.adv, as the Debian package wordnet-base installs them under /usr/share/wordnet). A
 * synset line of a data file ends with {@code " | "} and the gloss: definitions and quoted
 * examples separated by semicolons. The licence header (lines starting with a space) is
 * skipped. The whole of WordNet has about 9 MB of glosses; {@link #corpus} keeps every k-th
 * so that a smaller corpus still spans all four parts of speech.
 */
public final class WordNetGlosses {

    /** The data files read, in this order. */
    public static final List<String> DATA_FILES = List.of("data.noun", "data.verb", "data.adj", "data.adv");
    /** WordNet 3.0's data.noun is 15 MB; anything far larger is not a WordNet data file. */
    public static final long MAX_FILE_BYTES = 64L << 20;
    /** The longest line read; WordNet's longest is a few kilobytes. */
    public static final int MAX_LINE_CHARS = 1 << 16;
    /** Largest corpus {@link #corpus} writes. */
    public static final long MAX_CORPUS_BYTES = 64L << 20;

    private WordNetGlosses() {
    }

    /** Every gloss of the four data files in {@code folder}, in file order; an error names the file and line. */
    public static List<String> read(Path folder) throws IOException {
        List<String> glosses = new ArrayList<>();
        for (String name : DATA_FILES) {
            readFile(folder.resolve(name), glosses);
        }
        return glosses;
    }

    /** Appends the glosses of one data file. */
    static void readFile(Path file, List<String> glosses) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "not a WordNet database folder (no " + file.getFileName()
                    + "; the Debian package wordnet-base installs one in /usr/share/wordnet)");
        }
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new IllegalArgumentException(file + ": " + size + " bytes, more than a WordNet data file can be ("
                    + MAX_FILE_BYTES + ")");
        }
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder))) {
            long lineNo = 0;
            StringBuilder line = new StringBuilder();
            while (readBoundedLine(in, line, file, lineNo + 1)) {
                lineNo++;
                if (line.length() == 0 || line.charAt(0) == ' ') {
                    continue;
                }
                int bar = line.indexOf(" | ");
                if (bar < 0) {
                    throw new IllegalArgumentException(file + ": line " + lineNo + " is not a WordNet synset line (no ' | ' before a gloss)");
                }
                String gloss = line.substring(bar + 3).strip();
                if (gloss.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException(file + ": line " + lineNo + " holds a NUL character: not a WordNet data file");
                }
                if (!gloss.isEmpty()) {
                    glosses.add(gloss);
                }
            }
        } catch (MalformedInputException e) {
            throw new IllegalArgumentException(file + ": not UTF-8 text (" + e.getMessage() + ")");
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + ": not UTF-8 text");
        }
    }

    /** Reads one line into {@code line} (without its end), refusing lines longer than {@link #MAX_LINE_CHARS}. */
    private static boolean readBoundedLine(BufferedReader in, StringBuilder line, Path file, long lineNo) throws IOException {
        line.setLength(0);
        int c = in.read();
        if (c < 0) {
            return false;
        }
        while (c >= 0 && c != '\n') {
            if (c != '\r') {
                if (line.length() == MAX_LINE_CHARS) {
                    throw new IllegalArgumentException(file + ": line " + lineNo + " is longer than " + MAX_LINE_CHARS
                            + " characters: not a WordNet data file");
                }
                line.append((char) c);
            }
            c = in.read();
        }
        return true;
    }

    /**
     * The glosses one per line, every k-th of them with the smallest k that keeps the corpus
     * within {@code maxBytes} of UTF-8 (cut at the last whole gloss if it still does not fit).
     */
    public static String corpus(List<String> glosses, long maxBytes) {
        if (maxBytes < 1 || maxBytes > MAX_CORPUS_BYTES) {
            throw new IllegalArgumentException("the corpus size must be in [1, " + MAX_CORPUS_BYTES + "] bytes, got " + maxBytes);
        }
        if (glosses.isEmpty()) {
            throw new IllegalArgumentException("no glosses to make a corpus of");
        }
        long total = 0;
        for (String g : glosses) {
            total += utf8Length(g) + 1;
        }
        long stride = Math.max(1, (total + maxBytes - 1) / maxBytes);
        StringBuilder out = new StringBuilder();
        long bytes = 0;
        for (int i = 0; i < glosses.size(); i += (int) Math.min(stride, Integer.MAX_VALUE)) {
            String g = glosses.get(i);
            long n = utf8Length(g) + 1;
            if (bytes + n > maxBytes) {
                break;
            }
            out.append(g).append('\n');
            bytes += n;
        }
        if (out.length() == 0) {
            throw new IllegalArgumentException("the first gloss alone is longer than " + maxBytes + " bytes");
        }
        return out.toString();
    }

    private static long utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
