package org.flowbench.views.figure;

import java.awt.Color;

/**
 * The one set of colours every figure draws with: the colour-blind-safe Okabe-Ito colours for
 * series and accents, a cyclic walk through them for colouring points by an angle, and viridis
 * for heatmaps. Colours are 0xRRGGBB ints where figures compare pixels, {@link Color} otherwise.
 */
public final class Palette {

    public static final int ORANGE = 0xE69F00;
    public static final int SKY_BLUE = 0x56B4E9;
    public static final int GREEN = 0x009E73;
    public static final int BLUE = 0x0072B2;
    public static final int VERMILLION = 0xD55E00;
    public static final int PURPLE = 0xCC79A7;

    /** Series colours in order: the first series is orange, the second sky blue, and so on. */
    private static final int[] SERIES = {ORANGE, SKY_BLUE, GREEN, BLUE, VERMILLION, PURPLE};

    /** The cyclic walk: neighbouring anchors blend smoothly and the last one leads back to the first. */
    private static final int[] CYCLIC = {ORANGE, VERMILLION, PURPLE, BLUE, SKY_BLUE, GREEN};

    /** Viridis, low to high. */
    private static final int[] HEAT = {0x440154, 0x3B528B, 0x21918C, 0x5EC962, 0xFDE725};

    private Palette() {
    }

    /** Colour of series {@code index} (any index; the six colours repeat). */
    public static Color series(int index) {
        return new Color(SERIES[Math.floorMod(index, SERIES.length)]);
    }

    /** The accent for single marks that must stand out (a chosen path, a loss curve, jumps on a heatmap). */
    public static Color accent(FigureTheme theme) {
        return theme.isDark() ? Color.WHITE : new Color(VERMILLION);
    }

    /** The colour a fraction {@code turn} of the way around the circle, 0xRRGGBB; turn is taken modulo 1. */
    public static int cyclic(double turn) {
        double position = (turn - Math.floor(turn)) * CYCLIC.length;
        int k = (int) Math.floor(position) % CYCLIC.length;
        return mix(CYCLIC[k], CYCLIC[(k + 1) % CYCLIC.length], position - Math.floor(position));
    }

    private static final int DIVERGING_LOW = 0x2166AC;
    private static final int DIVERGING_MIDDLE = 0xF7F7F7;
    private static final int DIVERGING_HIGH = 0xB2182B;

    /** Viridis at {@code u} in [0, 1] (clamped), 0xRRGGBB. */
    public static int heat(double u) {
        double position = Math.max(0, Math.min(1, u)) * (HEAT.length - 1);
        int k = Math.min(HEAT.length - 2, (int) Math.floor(position));
        return mix(HEAT[k], HEAT[k + 1], position - k);
    }

    /**
     * A diverging scale at {@code u} in [-1, 1] (clamped), 0xRRGGBB: blue below zero, near white
     * at zero, red above (ColorBrewer's RdBu ends), for signed differences.
     */
    public static int diverging(double u) {
        double t = Math.max(-1, Math.min(1, u));
        return t < 0 ? mix(DIVERGING_MIDDLE, DIVERGING_LOW, -t) : mix(DIVERGING_MIDDLE, DIVERGING_HIGH, t);
    }

    /** On a dark background the darkest colours (blue, vermillion) are lifted a little towards white. */
    public static int forTheme(int rgb, FigureTheme theme) {
        return theme.isDark() ? mix(rgb, 0xFFFFFF, 0.18) : rgb;
    }

    /** Linear blend of two 0xRRGGBB colours: {@code f = 0} gives {@code a}, {@code f = 1} gives {@code b}. */
    public static int mix(int a, int b, double f) {
        int r = (int) Math.round(((a >> 16) & 0xFF) * (1 - f) + ((b >> 16) & 0xFF) * f);
        int g = (int) Math.round(((a >> 8) & 0xFF) * (1 - f) + ((b >> 8) & 0xFF) * f);
        int bl = (int) Math.round((a & 0xFF) * (1 - f) + (b & 0xFF) * f);
        return (r << 16) | (g << 8) | bl;
    }
}
