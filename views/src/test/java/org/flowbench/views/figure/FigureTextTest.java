package org.flowbench.views.figure;

import org.junit.jupiter.api.Test;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

import static org.assertj.core.api.Assertions.assertThat;

/** Text that must fit a panel takes the longest form that fits, else is cut with an ellipsis. */
class FigureTextTest {

    @Test
    void wrappedBreaksAtSpacesIntoLinesThatFit() {
        Graphics2D g = new BufferedImage(10, 10, BufferedImage.TYPE_INT_ARGB).createGraphics();
        g.setFont(FigureText.plain(12));
        String text = "depends on the batch: running statistics at inference";
        double max = FigureText.width(g, g.getFont(), "depends on the batch:") + 1;
        java.util.List<String> lines = FigureText.wrapped(g, max, text);
        assertThat(lines).containsExactly("depends on the batch:", "running statistics at", "inference");
        assertThat(String.join(" ", lines)).isEqualTo(text);
        for (String line : lines) {
            assertThat(FigureText.width(g, g.getFont(), line)).isLessThanOrEqualTo(max);
        }
        assertThat(FigureText.wrapped(g, 1000, text)).containsExactly(text);
        // a word wider than the line is cut short
        assertThat(FigureText.wrapped(g, 30, "normalisation").get(0)).endsWith("\u2026");
    }

    @Test
    void fittedTakesTheLongestFormThatFitsThenCuts() {
        Graphics2D g = new BufferedImage(10, 10, BufferedImage.TYPE_INT_ARGB).createGraphics();
        g.setFont(FigureText.plain(12));
        String longForm = "euler, uniform \u00b7 straightness 2.1332";
        String shortForm = "euler, uniform \u00b7 S 2.1332";
        double full = FigureText.width(g, g.getFont(), longForm);
        double small = FigureText.width(g, g.getFont(), shortForm);
        assertThat(FigureText.fitted(g, full + 1, longForm, shortForm)).isEqualTo(longForm);
        assertThat(FigureText.fitted(g, small + 1, longForm, shortForm)).isEqualTo(shortForm);
        String cut = FigureText.fitted(g, small / 2, longForm, shortForm);
        assertThat(cut).endsWith("\u2026").hasSizeLessThan(shortForm.length());
        assertThat(FigureText.width(g, g.getFont(), cut)).isLessThanOrEqualTo(small / 2);
        g.dispose();
    }
}
