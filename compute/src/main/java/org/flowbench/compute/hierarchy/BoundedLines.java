package org.flowbench.compute.hierarchy;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Lines of a UTF-8 file, refusing any line longer than a bound before holding it. */
public final class BoundedLines implements AutoCloseable {
    private final Path file;
    private final Reader in;
    private final int maxChars;
    private final char[] buffer = new char[8192];
    private int position;
    private int limit;
    private long lineNumber;

    public BoundedLines(Path file, int maxChars) throws IOException {
        this.file = file;
        this.in = new java.io.InputStreamReader(Files.newInputStream(file),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT));
        this.maxChars = maxChars;
    }

    public long lineNumber() {
        return lineNumber;
    }

    /** The next line without its terminator, or null at the end. */
    public String next() throws IOException {
        StringBuilder line = new StringBuilder();
        boolean any = false;
        while (true) {
            if (position == limit) {
                try {
                    limit = in.read(buffer);
                } catch (CharacterCodingException e) {
                    throw new HierarchyFormatException(file, lineNumber + 1, "not UTF-8 text");
                }
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    if (!any) {
                        return null;
                    }
                    lineNumber++;
                    return stripCr(line);
                }
            }
            any = true;
            char ch = buffer[position++];
            if (ch == '\n') {
                lineNumber++;
                return stripCr(line);
            }
            if (ch == 0) {
                throw new HierarchyFormatException(file, lineNumber + 1, "holds a NUL byte: not a text file");
            }
            if (line.length() >= maxChars) {
                throw new HierarchyFormatException(file, lineNumber + 1, "line longer than " + maxChars + " characters");
            }
            line.append(ch);
        }
    }

    private static String stripCr(StringBuilder line) {
        int n = line.length();
        if (n > 0 && line.charAt(n - 1) == '\r') {
            line.setLength(n - 1);
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
