package org.flowbench.compute.io;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MessageTextTest {

    @Test
    void controlCharactersAreEscapedSoTheTextStaysOneLineAndShowsWhatItHolds() {
        assertThat(MessageText.escapeControls("plain name")).isEqualTo("plain name");
        assertThat(MessageText.escapeControls("a\nb\r\tc\u0000d\u2028e")).isEqualTo("a\\nb\\r\\tc\\u0000d\\u2028e");
    }

    @Test
    void longValuesAreCutWithoutReadingThemWhole() {
        String huge = "x".repeat(1 << 24);
        String quoted = MessageText.abbreviate(huge);
        assertThat(quoted).hasSize(MessageText.QUOTE_LENGTH).endsWith("...");
        assertThat(MessageText.abbreviate("short")).isEqualTo("short");
        assertThat(MessageText.abbreviate("x".repeat(80))).isEqualTo("x".repeat(80));
        assertThat(MessageText.abbreviate("x".repeat(81))).isEqualTo("x".repeat(77) + "...");
        // Escapes count toward the length, and the cut never splits one or a surrogate pair.
        assertThat(MessageText.abbreviate("\n".repeat(40), 40)).isEqualTo("\\n".repeat(18) + "...");
        assertThat(MessageText.abbreviate("\n".repeat(20), 40)).isEqualTo("\\n".repeat(20));
        assertThat(MessageText.abbreviate("ab" + "\uD835\uDC00".repeat(10), 10)).isEqualTo("ab\uD835\uDC00\uD835\uDC00...");
        assertThat(MessageText.abbreviate("abcdefghijk" + "\u0000", 12)).isEqualTo("abcdefghi...");
        assertThat(MessageText.abbreviate(null)).isEmpty();
    }

    @Test
    void aLibraryMessageIsJoinedOntoOneLine() {
        assertThat(MessageText.joinLines("  first line  \r\n   second\nthird ", "?")).isEqualTo("first line second third");
        assertThat(MessageText.joinLines(null, "input/output error")).isEqualTo("input/output error");
    }
}
