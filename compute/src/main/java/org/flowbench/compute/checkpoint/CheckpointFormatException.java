package org.flowbench.compute.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/** A checkpoint file that is corrupt, truncated, hostile or of the wrong kind; the message is one line naming the file. */
public final class CheckpointFormatException extends IOException {

    public CheckpointFormatException(Path file, String problem) {
        super(oneLine(describe(file) + problem));
    }

    public CheckpointFormatException(Path file, String problem, Throwable cause) {
        super(oneLine(describe(file) + problem), cause);
    }

    /**
     * The text with line breaks and other control characters written as Java escapes (a line feed
     * as backslash and n), so a message quoting a file's names or metadata stays one line whatever
     * the file holds.
     */
    public static String oneLine(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
            if (control && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (!control) {
                if (out != null) {
                    out.append(c);
                }
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out == null ? text : out.toString();
    }

    private static String describe(Path file) {
        return file == null || file.getFileName() == null ? "" : file.getFileName() + ": ";
    }
}
