package org.flowbench.compute.hierarchy;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Lines of a UTF-8 file, refusing any line longer than a bound before holding it. A line ends at
 * '\n', "\r\n" or a lone '\r', so no line holds a line break (and no message quoting one does).
 */
public final class BoundedLines implements AutoCloseable {
    private final Path file;
    private final Reader in;
    private final int maxChars;
    private final char[] buffer = new char[8192];
    private int position;
    private int limit;
    private long lineNumber;
    private boolean skipLineFeed; // the last line ended in '\r': a '\n' right after it belongs to that end

    public BoundedLines(Path file, int maxChars) throws IOException {
        this.file = file;
        this.in = new java.io.InputStreamReader(Files.newInputStream(file),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT));
        this.maxChars = maxChars;
    }

    public long lineNumber() {
        return lineNumber;
    }

    /** The next line without its end, or null at the end. */
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
                    return line.toString();
                }
            }
            char ch = buffer[position++];
            if (skipLineFeed) {
                skipLineFeed = false;
                if (ch == '\n') {
                    continue;
                }
            }
            any = true;
            if (ch == '\n' || ch == '\r') {
                skipLineFeed = ch == '\r';
                lineNumber++;
                return line.toString();
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

    @Override
    public void close() throws IOException {
        in.close();
    }
}
