package org.flowbench.views.norm;

import org.flowbench.views.figure.FigureTheme;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Legends keep every entry: a row too narrow for all of them wraps onto more rows. */
class NormLegendTest {

    private static final List<String> NAMES = List.of("SGD 1.32", "SGD + momentum 5.86", "Adam 2.71", "SGDP 1.74", "AdamP 1.17");
    private static final List<Color> COLOURS = List.of(new Color(0xE69F00), new Color(0x56B4E9), new Color(0x009E73),
            new Color(0x0072B2), new Color(0xCC79A7));

    @Test
    void aNarrowLegendWrapsAndDrawsEveryEntry() {
        BufferedImage image = new BufferedImage(300, 120, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 300, 120);
        int rows = NormLayersPlot.wrappedLegend(g, FigureTheme.LIGHT, 10, 20, NAMES, COLOURS, 250, true);
        assertThat(rows).isGreaterThanOrEqualTo(2);
        assertThat(NormLayersPlot.wrappedLegend(g, FigureTheme.LIGHT, 10, 20, NAMES, COLOURS, 250, false)).isEqualTo(rows);
        for (Color c : COLOURS) {
            assertThat(count(image, c)).as("pixels of %s", c).isGreaterThan(8);
        }
        // nothing drawn past the right end or below the last row
        for (int y = 0; y < 120; y++) {
            for (int x = 251; x < 300; x++) {
                assertThat(image.getRGB(x, y) & 0xFFFFFF).isEqualTo(0xFFFFFF);
            }
        }
        // wide enough: one row
        assertThat(NormLayersPlot.wrappedLegend(g, FigureTheme.LIGHT, 10, 20, NAMES, COLOURS, 2000, false)).isEqualTo(1);
    }

    private static int count(BufferedImage image, Color c) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == (c.getRGB() & 0xFFFFFF)) {
                    n++;
                }
            }
        }
        return n;
    }
}
