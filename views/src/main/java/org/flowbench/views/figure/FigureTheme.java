package org.flowbench.views.figure;

import java.awt.Color;
import java.util.List;
import java.util.Locale;

/**
 * The colours a figure paints with, so one paint routine looks right on a light page, a dark
 * slide and the dark workbench theme. Point colours are chosen by the figure (they carry data);
 * the theme decides everything around them and the outline that keeps points apart.
 *
 * @param name       short name used on the command line and in sessions ("light", "dark")
 * @param background fills the whole figure
 * @param panel      fills the inside of each plot frame
 * @param text       titles and tick labels
 * @param mutedText  captions and axis names
 * @param axis       frame lines and ticks
 * @param grid       grid lines inside a plot frame
 * @param pointEdge  thin outline drawn around each point
 */
public record FigureTheme(String name, Color background, Color panel, Color text, Color mutedText,
                          Color axis, Color grid, Color pointEdge) {

    /** Dark text on white: papers and printed handouts. */
    public static final FigureTheme LIGHT = new FigureTheme("light",
            new Color(0xFFFFFF), new Color(0xF7F7F9), new Color(0x1F2328), new Color(0x57606A),
            new Color(0x8C959F), new Color(0xE3E6EA), new Color(0xFFFFFF));

    /** Light text on a dark grey: slides and the dark workbench theme. */
    public static final FigureTheme DARK = new FigureTheme("dark",
            new Color(0x16191D), new Color(0x1E2227), new Color(0xE6EDF3), new Color(0xA0AAB4),
            new Color(0x6E7781), new Color(0x2C3239), new Color(0x16191D));

    /** The built-in themes. */
    public static List<FigureTheme> all() {
        return List.of(LIGHT, DARK);
    }

    /**
     * The built-in theme with this name, ignoring case.
     *
     * @throws IllegalArgumentException naming the known themes when there is none
     */
    public static FigureTheme fromName(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (FigureTheme theme : all()) {
            if (theme.name.equals(key)) {
                return theme;
            }
        }
        throw new IllegalArgumentException("unknown figure theme '" + name + "' (known: light, dark)");
    }

    /** True when text and lines are light on a dark background. */
    public boolean isDark() {
        return luminance(background) < 0.5;
    }

    private static double luminance(Color c) {
        return (0.2126 * c.getRed() + 0.7152 * c.getGreen() + 0.0722 * c.getBlue()) / 255.0;
    }
}
