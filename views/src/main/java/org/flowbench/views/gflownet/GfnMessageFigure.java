package org.flowbench.views.gflownet;

import org.flowbench.views.figure.Figure;
import org.flowbench.views.figure.FigureTheme;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;

/** What a panel shows when it has nothing to draw, and why (not trained yet, not a grid, too large). */
record GfnMessageFigure(String why, FigureTheme theme) implements Figure {

    @Override
    public void paint(Graphics2D g, Rectangle2D area) {
        g.setPaint(theme.background());
        g.fill(area);
        GfnText.message(g, area, theme, why);
    }

    @Override
    public String title() {
        return why;
    }
}
