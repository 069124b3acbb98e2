package org.flowbench.views.gflownet;

import org.flowbench.views.figure.Figure;
import org.flowbench.views.figure.FigureExporter;
import org.flowbench.views.figure.FigureSpec;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.figure.Palette;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every figure of the lab drawn headless, as {@code flowbench export} draws it, and a render check of the grid. */
class GflowNetsFiguresTest {

    private static FigureSpec spec(String name) {
        return GflowNetsFigures.specs().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    /** Small settings so each figure trains in well under a second. */
    private static Map<String, String> small(String name) {
        Map<String, String> set = new HashMap<>();
        if (!name.equals(GflowNetsFigures.DAG)) {
            set.put("env", "hypergrid:D=2,H=4");
            set.put("trajectories", "128");
            set.put("snapshot", "64");
            set.put("hidden", "16");
        } else {
            set.put("flows", "learned");
            set.put("trajectories", "64");
            set.put("hidden", "16");
        }
        return set;
    }

    @ParameterizedTest
    @ValueSource(strings = {GflowNetsFigures.GRID, GflowNetsFigures.FLOWS, GflowNetsFigures.CREDIT, GflowNetsFigures.TRAINING,
            GflowNetsFigures.DAG})
    void everyFigureExportsAsPngSvgAndPdf(String name) throws Exception {
        FigureSpec spec = spec(name);
        Figure figure = spec.create(small(name), FigureTheme.LIGHT);
        byte[] png = FigureExporter.toPng(figure, spec.width(), spec.height(), 1.0);
        assertThat(png).hasSizeGreaterThan(2000);
        String svg = FigureExporter.toSvg(figure, spec.width(), spec.height());
        assertThat(svg).startsWith("<?xml").contains("<svg").contains("</svg>");
        byte[] pdf = FigureExporter.toPdf(figure, spec.width(), spec.height());
        assertThat(new String(pdf, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
        // the same values draw the same picture (seeded training)
        Figure again = spec.create(small(name), FigureTheme.LIGHT);
        assertThat(FigureExporter.toSvg(again, spec.width(), spec.height())).isEqualTo(svg);
    }

    @Test
    void theDagTabSaysInFullWhatToDoWhenTheLabsEnvironmentIsTooLarge() {
        // the DAG tab's width at a 1024 x 700 window, and at 1280 x 800
        for (int width : new int[] {500, 500 + 256}) {
            Figure figure = GfnViews.figure(GflowNetsLab.View.DAG, null, 0, new GfnParameters(), null, false, FigureTheme.LIGHT);
            String svg = FigureExporter.toSvg(figure, width, 560);
            // the words drawn, line after line
            String drawn = java.util.regex.Pattern.compile(">([^<]*)</text>").matcher(svg).results()
                    .map(m -> m.group(1)).reduce((a, b) -> a + " " + b).orElse("");
            assertThat(drawn).as("width %d", width).doesNotContain("\u2026")
                    .contains("set Environment to hypergrid:D=2,H=3 and Train to see learned flows here");
        }
    }

    @Test
    void theFiguresAreRegisteredWithTheirKeys() {
        assertThat(GflowNetsFigures.specs()).extracting(FigureSpec::name)
                .containsExactly("gfn-grid", "gfn-flows", "gfn-credit", "gfn-training", "gfn-dag");
        assertThat(spec(GflowNetsFigures.GRID).parameters()).extracting(FigureSpec.Parameter::key)
                .contains("env", "losses", "trajectories", "loss", "frame", "axes", "seed");
        assertThat(spec(GflowNetsFigures.CREDIT).parameters()).extracting(FigureSpec.Parameter::key).contains("end", "cut");
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> spec(GflowNetsFigures.GRID).create(Map.of("env", "hypergrid:D=0,H=4"), FigureTheme.LIGHT))
                .hasMessageStartingWith("env:");
        assertThatThrownBy(() -> spec(GflowNetsFigures.GRID).create(Map.of("trajectories", "0"), FigureTheme.LIGHT))
                .hasMessageContaining("trajectories");
        assertThatThrownBy(() -> spec(GflowNetsFigures.GRID).create(Map.of("hidden", "64,x"), FigureTheme.LIGHT))
                .hasMessageContaining("hidden");
        Map<String, String> axes = small(GflowNetsFigures.GRID);
        axes.put("axes", "0,0");
        assertThatThrownBy(() -> spec(GflowNetsFigures.GRID).create(axes, FigureTheme.LIGHT)).hasMessageContaining("axes");
        Map<String, String> end = small(GflowNetsFigures.CREDIT);
        end.put("end", "9,9");
        assertThatThrownBy(() -> spec(GflowNetsFigures.CREDIT).create(end, FigureTheme.LIGHT)).hasMessageStartingWith("end:");
        assertThatThrownBy(() -> spec(GflowNetsFigures.DAG).create(Map.of("env", "hypergrid:D=2,H=8"), FigureTheme.LIGHT))
                .hasMessageContaining("at most 36 states");
        assertThatThrownBy(() -> spec(GflowNetsFigures.GRID).create(Map.of("env", "sets:U=6,S=3", "trajectories", "16"),
                FigureTheme.LIGHT)).hasMessageContaining("needs a HyperGrid");
    }

    @Test
    void aKnownCellLandsOnItsPixels() {
        // 3 x 2 grid, all mass on cell (2, 1) of the target, half on (0, 0) of the learned panel
        double[] target = new double[6];
        target[2 + 3] = 1;
        double[] learned = new double[6];
        learned[0] = 0.5;
        learned[5] = 0.5;
        boolean[] modes = new boolean[6];
        GfnGridFigure f = new GfnGridFigure("t", "s", 3, 2, "", target, learned, modes, new int[0], FigureTheme.LIGHT);
        int w = 900;
        int h = 500;
        BufferedImage image = FigureExporter.renderImage(f, w, h, 1.0);
        java.awt.geom.Rectangle2D area = new java.awt.geom.Rectangle2D.Double(0, 0, w, h);
        assertThat(rgbAt(image, f.cellCentre(area, 0, 5))).isEqualTo(Palette.heat(1));
        assertThat(rgbAt(image, f.cellCentre(area, 0, 0))).isEqualTo(Palette.heat(0));
        assertThat(rgbAt(image, f.cellCentre(area, 1, 0))).isEqualTo(Palette.heat(0.5));
        assertThat(rgbAt(image, f.cellCentre(area, 1, 4))).isEqualTo(Palette.heat(0));
        // a click on a cell's centre finds that cell, on either panel
        assertThat(f.cellAt(area, f.cellCentre(area, 0, 5).getX(), f.cellCentre(area, 0, 5).getY())).isEqualTo(5);
        assertThat(f.cellAt(area, f.cellCentre(area, 1, 1).getX(), f.cellCentre(area, 1, 1).getY())).isEqualTo(1);
        assertThat(f.cellAt(area, 2, 2)).isEqualTo(-1);
        // the difference panel: learned - target on the diverging scale, scaled by the largest |difference| (0.5)
        assertThat(rgbAt(image, f.cellCentre(area, 2, 0))).isEqualTo(Palette.diverging(1));
        assertThat(rgbAt(image, f.cellCentre(area, 2, 5))).isEqualTo(Palette.diverging(-1));
        assertThat(rgbAt(image, f.cellCentre(area, 2, 1))).isEqualTo(Palette.diverging(0));
        assertThat(f.cellAt(area, f.cellCentre(area, 2, 4).getX(), f.cellCentre(area, 2, 4).getY())).isEqualTo(4);
    }

    @Test
    void theThreePanelsTakeTheArrangementWithTheLargestCells() {
        double[] p = new double[64];
        GfnGridFigure f = new GfnGridFigure("t", "s", 8, 8, "", p, p, new boolean[64], new int[0], FigureTheme.LIGHT);
        java.awt.geom.Rectangle2D[] wide = f.layout(new java.awt.geom.Rectangle2D.Double(0, 0, 1400, 420));
        assertThat(wide[3].getMinY()).as("a wide, short area: one row").isEqualTo(wide[0].getMinY());
        java.awt.geom.Rectangle2D[] square = f.layout(new java.awt.geom.Rectangle2D.Double(0, 0, 500, 460));
        assertThat(square[3].getMinY()).as("a squarish area: the difference under the target").isGreaterThan(square[0].getMaxY());
        assertThat(square[3].getMinX()).isEqualTo(square[0].getMinX());
        assertThat(square[1].getMinY()).isEqualTo(square[0].getMinY());
        java.awt.geom.Rectangle2D[] tall = f.layout(new java.awt.geom.Rectangle2D.Double(0, 0, 300, 1000));
        assertThat(tall[1].getMinY()).as("a tall, narrow area: one column").isGreaterThan(tall[0].getMaxY());
        for (java.awt.geom.Rectangle2D[] panels : java.util.List.of(wide, square, tall)) {
            for (int i : new int[] {1, 3}) {
                assertThat(panels[i].intersects(panels[0])).isFalse();
            }
            assertThat(panels[1].intersects(panels[3])).isFalse();
        }
    }

    @Test
    void modesAreOutlinedInTheAccentColour() {
        double[] p = new double[4];
        boolean[] modes = {false, false, false, true};
        GfnGridFigure f = new GfnGridFigure("t", "s", 2, 2, "", p, p, modes, new int[0], FigureTheme.LIGHT);
        BufferedImage image = FigureExporter.renderImage(f, 800, 500, 1.0);
        java.awt.geom.Rectangle2D area = new java.awt.geom.Rectangle2D.Double(0, 0, 800, 500);
        java.awt.geom.Rectangle2D panel = f.layout(area)[0];
        // the outline runs one unit inside the top edge of the top-right cell
        int x = (int) (panel.getMinX() + panel.getWidth() * 0.75);
        int y = (int) Math.round(panel.getMinY() + 1);
        int accent = Palette.accent(FigureTheme.LIGHT).getRGB() & 0xFFFFFF;
        assertThat(List.of(image.getRGB(x, y) & 0xFFFFFF, image.getRGB(x, y + 1) & 0xFFFFFF)).contains(accent);
        int xl = (int) (panel.getMinX() + panel.getWidth() * 0.25);
        assertThat(image.getRGB(xl, y + 1) & 0xFFFFFF).isNotEqualTo(accent);
    }

    private static int rgbAt(BufferedImage image, java.awt.geom.Point2D p) {
        return image.getRGB((int) p.getX(), (int) p.getY()) & 0xFFFFFF;
    }
}
