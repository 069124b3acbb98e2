package org.flowbench.compute.io;

/**
 * Text quoted into a one-line message: a name, value or reason taken from a file or the operating
 * system, which may hold line breaks or run to megabytes.
 */
public final class MessageText {

    /** How much of a quoted value {@link #abbreviate(String)} keeps. */
    public static final int QUOTE_LENGTH = 80;

    private MessageText() {
    }

    /**
     * The text with line breaks and other control characters written as Java escapes (a line feed
     * as backslash and n), so a message quoting a file's names or metadata stays one line whatever
     * the file holds, and shows what it holds.
     */
    public static String escapeControls(String text) {
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

    /** {@link #abbreviate(String, int)} to {@link #QUOTE_LENGTH} characters. */
    public static String abbreviate(String text) {
        return abbreviate(text, QUOTE_LENGTH);
    }

    /**
     * The text with its control characters escaped, cut to at most {@code max} characters (the
     * last three "...") when longer, never inside an escape or a surrogate pair; "" for null.
     */
    public static String abbreviate(String text, int max) {
        if (text == null) {
            return "";
        }
        if (text.length() <= max) {
            String whole = escapeControls(text);
            if (whole.length() <= max) {
                return whole;
            }
        }
        StringBuilder out = new StringBuilder(max);
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            String piece = escapeControls(new String(Character.toChars(codePoint)));
            if (out.length() + piece.length() > max - 3) {
                break;
            }
            out.append(piece);
            i += Character.charCount(codePoint);
        }
        return out.append("...").toString();
    }

    /**
     * A library's or the operating system's message on one line: each line break, with the spaces
     * around it, becomes one space; {@code fallback} for null.
     */
    public static String joinLines(String text, String fallback) {
        return text == null ? fallback : text.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
