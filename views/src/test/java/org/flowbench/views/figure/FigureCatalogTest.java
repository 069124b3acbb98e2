package org.flowbench.views.figure;

import org.flowbench.views.trajectories.ProbabilityPathFigure;
import org.flowbench.views.trajectories.TrajectoriesFigures;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FigureCatalogTest {

    private final FigureCatalog catalog = new FigureCatalog(TrajectoriesFigures.specs());

    @Test
    void namesTheTrajectoriesLabsFiguresWithTheirKeys() {
        assertThat(catalog.names()).containsExactly("probability-path", "probability-path-ot", "trajectories");
        FigureSpec path = catalog.spec("probability-path");
        assertThat(path.description()).contains("two moons").contains("n = 1000");
        assertThat(path.width()).isEqualTo(ProbabilityPathFigure.PREFERRED_WIDTH);
        assertThat(path.parameters()).extracting(FigureSpec.Parameter::key).containsExactly("seed");
        assertThat(catalog.spec("trajectories").parameters()).extracting(FigureSpec.Parameter::key)
                .contains("seed", "models", "solver", "steps", "schedule", "time", "particles", "traced");
    }

    @Test
    void setOverridesTheDefaultsAndTheSeedReachesTheFigure() throws Exception {
        Figure figure = catalog.spec("probability-path").create(Map.of("seed", "42"), FigureTheme.DARK);
        assertThat(figure).isInstanceOf(ProbabilityPathFigure.class);
        assertThat(((ProbabilityPathFigure) figure).theme()).isEqualTo(FigureTheme.DARK);
        assertThat(((ProbabilityPathFigure) catalog.spec("probability-path").create(Map.of(), null)).theme())
                .isEqualTo(FigureTheme.LIGHT);
    }

    @Test
    void unknownNamesAndKeysAreRefusedNamingWhatExists() {
        assertThatThrownBy(() -> catalog.spec("nope")).hasMessageStartingWith("unknown figure 'nope'")
                .hasMessageContaining("probability-path");
        assertThatThrownBy(() -> catalog.spec("trajectories").values(Map.of("stepz", "4")))
                .hasMessageContaining("no parameter 'stepz'").hasMessageContaining("steps");
    }

    @Test
    void badValuesNameTheKeyAndTheRule() throws Exception {
        FigureSpec spec = new FigureSpec("catalog-test-square", "a filled square", 100, 100,
                List.of(new FigureSpec.Parameter("size", "10", "side in points"), new FigureSpec.Parameter("filled", "true", "fill it")),
                (v, theme) -> square(v.integer("size", 1, 100), v.bool("filled"), v.seed()));
        assertThat(spec.create(Map.of("size", "30"), FigureTheme.LIGHT).title()).isEqualTo("square 30 filled seed 7");
        assertThatThrownBy(() -> spec.create(Map.of("size", "300"), FigureTheme.LIGHT))
                .hasMessage("figure 'catalog-test-square': size must be between 1 and 100 (got '300')");
        assertThatThrownBy(() -> spec.create(Map.of("filled", "maybe"), FigureTheme.LIGHT))
                .hasMessageContaining("filled must be true or false");
        assertThatThrownBy(() -> spec.create(Map.of("seed", "-1"), FigureTheme.LIGHT))
                .hasMessageContaining("seed must not be negative");
    }

    @Test
    void specsAreCheckedWhenMade() {
        assertThatThrownBy(() -> new FigureSpec("Bad Name", "x", 100, 100, List.of(), (v, t) -> null))
                .hasMessageContaining("lower-case words");
        assertThatThrownBy(() -> new FigureSpec("zero-size", "x", 0, 100, List.of(), (v, t) -> null))
                .isInstanceOf(IllegalArgumentException.class);
        FigureSpec one = new FigureSpec("twice", "x", 10, 10, List.of(), (v, t) -> null);
        assertThatThrownBy(() -> new FigureCatalog(List.of(one, one))).hasMessageContaining("registered twice");
    }

    private static Figure square(int size, boolean filled, long seed) {
        return new Figure() {
            @Override
            public void paint(Graphics2D g, Rectangle2D area) {
                g.setColor(Color.BLACK);
                if (filled) {
                    g.fillRect(0, 0, size, size);
                }
            }

            @Override
            public String title() {
                return "square " + size + (filled ? " filled" : "") + " seed " + seed;
            }
        };
    }
}
