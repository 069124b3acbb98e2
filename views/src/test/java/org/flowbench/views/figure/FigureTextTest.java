package org.flowbench.views.figure;

import org.junit.jupiter.api.Test;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

import static org.assertj.core.api.Assertions.assertThat;

/** Text that must fit a panel takes the longest form that fits, else is cut with an ellipsis. */
class FigureTextTest {

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
