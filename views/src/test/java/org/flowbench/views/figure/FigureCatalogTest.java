package org.flowbench.views.figure;

import org.flowbench.views.trajectories.ProbabilityPathFigure;
import org.junit.jupiter.api.Test;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FigureCatalogTest {

    @Test
    void theProbabilityPathIsRegisteredWithADescriptionAndSize() {
        assertThat(FigureCatalog.names()).contains("probability-path");
        assertThat(FigureCatalog.describe("probability-path")).contains("two moons").contains("n = 1000");
        FigureCatalog.Entry entry = FigureCatalog.entry("probability-path");
        assertThat(entry.width()).isEqualTo(ProbabilityPathFigure.PREFERRED_WIDTH);
        assertThat(entry.height()).isEqualTo(ProbabilityPathFigure.PREFERRED_HEIGHT);
    }

    @Test
    void createBuildsTheFigureForTheSeedAndTheme() {
        Figure figure = FigureCatalog.create("probability-path", 42L, FigureTheme.DARK);
        assertThat(figure).isInstanceOf(ProbabilityPathFigure.class);
        ProbabilityPathFigure path = (ProbabilityPathFigure) figure;
        assertThat(path.snapshots().seed()).isEqualTo(42L);
        assertThat(path.theme()).isEqualTo(FigureTheme.DARK);
        assertThat(path.snapshots().coupling()).isEqualTo("independent");
        assertThat(((ProbabilityPathFigure) FigureCatalog.create("probability-path", 7L)).theme())
                .isEqualTo(FigureTheme.LIGHT);
        assertThat(FigureCatalog.names()).contains("probability-path-ot");
    }

    @Test
    void unknownNamesListTheKnownOnes() {
        assertThatThrownBy(() -> FigureCatalog.create("x", 1L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown figure 'x' (known: ")
                .hasMessageContaining("probability-path")
                .hasMessageEndingWith(")");
        assertThatThrownBy(() -> FigureCatalog.describe("nope")).hasMessageStartingWith("unknown figure 'nope'");
    }

    @Test
    void labsRegisterFiguresUnderWellFormedUnusedNames() {
        FigureCatalog.register("catalog-test-square", "a filled square", 100, 100, (seed, theme) -> new Figure() {
            @Override
            public void paint(Graphics2D g, Rectangle2D area) {
                g.setPaint(theme.text());
                g.fill(area);
            }

            @Override
            public String title() {
                return "square " + seed;
            }
        });
        assertThat(FigureCatalog.names()).contains("catalog-test-square");
        assertThat(FigureCatalog.create("catalog-test-square", 3L).title()).isEqualTo("square 3");

        assertThatThrownBy(() -> FigureCatalog.register("catalog-test-square", "again", 100, 100, (s, t) -> null))
                .hasMessage("figure 'catalog-test-square' is already registered");
        assertThatThrownBy(() -> FigureCatalog.register("Bad Name", "x", 100, 100, (s, t) -> null))
                .hasMessage("figure name 'Bad Name' must be lower-case words joined by hyphens, like 'probability-path'");
        assertThatThrownBy(() -> FigureCatalog.register("zero-size", "x", 0, 100, (s, t) -> null))
                .hasMessage("figure size must be positive, got 0 x 100");
    }
}
