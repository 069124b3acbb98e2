package org.flowbench.views.figure;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;

/**
 * A picture Flowbench can show and export. The one {@code paint} routine draws on screen
 * (through FXGraphics2D), into SVG, into PDF and into a PNG image, so what is exported is
 * exactly what the screen shows.
 */
public interface Figure {

    /** Draws the whole figure inside {@code area}, in the units of {@code g}. */
    void paint(Graphics2D g, Rectangle2D area);

    /** A short human-readable title, used for window captions and export metadata. */
    String title();
}
