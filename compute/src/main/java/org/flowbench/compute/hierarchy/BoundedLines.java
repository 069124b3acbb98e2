package org.flowbench.compute.hierarchy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Lines of a UTF-8 file, refusing any line longer than a bound before holding it. A line ends at
 * '\n', "\r\n" or a lone '\r', so no line holds a line break (and no message quoting one does).
 * Bytes that are not UTF-8 are reported at the line that holds them: the text before them is
 * handed out first.
 */
public final class BoundedLines implements AutoCloseable {
    private final Path file;
    private final InputStream in;
    private final int maxChars;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(8192).flip(); // read mode: what is not yet decoded
    private final CharBuffer chars = CharBuffer.allocate(8192).flip(); // read mode: decoded, not yet handed out
    private boolean endOfInput;
    private boolean malformed; // the bytes after what chars holds are not UTF-8
    private long lineNumber;
    private boolean skipLineFeed; // the last line ended in '\r': a '\n' right after it belongs to that end

    public BoundedLines(Path file, int maxChars) throws IOException {
        this.file = file;
        this.in = Files.newInputStream(file);
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
            if (!chars.hasRemaining() && !fill()) {
                if (!any) {
                    return null;
                }
                lineNumber++;
                return line.toString();
            }
            char ch = chars.get();
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

    /** Decodes more characters into {@link #chars}; false at the end of the file. */
    private boolean fill() throws IOException {
        chars.clear();
        while (true) {
            if (malformed) {
                chars.flip();
                throw new HierarchyFormatException(file, lineNumber + 1, "not UTF-8 text");
            }
            CoderResult result = decoder.decode(bytes, chars, endOfInput);
            malformed = result.isError();
            if (chars.position() > 0) {
                chars.flip();
                return true;
            }
            if (malformed) {
                continue;
            }
            if (endOfInput) {
                chars.flip();
                return false;
            }
            bytes.compact();
            int n = in.read(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
            if (n < 0) {
                endOfInput = true;
            } else {
                bytes.position(bytes.position() + n);
            }
            bytes.flip();
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
