package org.flowbench.views.poincare;

import org.flowbench.views.figure.ExportFormat;
import org.flowbench.views.figure.Figure;
import org.flowbench.views.figure.FigureExporter;
import org.flowbench.views.figure.FigureSpec;
import org.flowbench.views.figure.FigureTheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every figure the lab registers draws headless, as {@code flowbench export --figure NAME --set ...}
 * does, into PNG, SVG and PDF; bad values are refused in one line naming the key.
 */
class PoincareFiguresTest {

    @TempDir
    Path dir;

    private static FigureSpec spec(String name) {
        return PoincareFigures.specs().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    /** Small settings that keep the training figure quick. */
    private static final Map<String, Map<String, String>> QUICK = Map.of(
            PoincareFigures.TRAINING, Map.of("epochs", "3", "eval-every", "3", "burn-in", "1"),
            PoincareFigures.DISC, Map.of("centre", "carnivore.n.01", "select", "dog.n.01", "tiling", "true"));

    @Test
    void everyFigureExportsToEveryFormat() throws Exception {
        List<FigureSpec> specs = PoincareFigures.specs();
        assertThat(specs.stream().map(FigureSpec::name).collect(Collectors.toList())).containsExactly(PoincareFigures.DISC,
                PoincareFigures.TRAINING, PoincareFigures.RESNET, PoincareFigures.DEPTH, PoincareFigures.BATCH_NORM);
        for (FigureSpec spec : specs) {
            Figure f = spec.create(QUICK.getOrDefault(spec.name(), Map.of()), FigureTheme.LIGHT);
            for (ExportFormat format : ExportFormat.values()) {
                Path out = dir.resolve(spec.name() + "." + format.extension());
                FigureExporter.export(f, format, spec.width(), spec.height(), 1.0, out);
                assertThat(Files.size(out)).as(out.toString()).isGreaterThan(1000);
            }
            BufferedImage image = ImageIO.read(dir.resolve(spec.name() + ".png").toFile());
            assertThat(image.getWidth()).isEqualTo(spec.width());
            assertThat(distinctColours(image)).as(spec.name() + " draws more than a background").isGreaterThan(20);
            Path keep = Path.of("target", "poincare-figures");
            Files.createDirectories(keep);
            Files.copy(dir.resolve(spec.name() + ".png"), keep.resolve(spec.name() + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void theDiscSvgHoldsItsLabelsAndTheFiveDimensionalViewStatesItsLoss() throws Exception {
        Figure f = spec(PoincareFigures.DISC).create(Map.of("embedding", "5d", "labels", "25"), FigureTheme.DARK);
        String svg = FigureExporter.toSvg(f, 900, 820);
        assertThat(svg.contains(">mammal<")).as("the root's label").isTrue();
        assertThat(svg.contains("log map at mammal")).as("the header states the projection").isTrue();
        assertThat(svg.contains("variance kept")).isTrue();
        PoincareDiscFigure disc = (PoincareDiscFigure) f;
        assertThat(disc.scene().layout().varianceKept()).isBetween(0.05, 1.0);
        assertThat(disc.scene().layout().rankCorrelation()).isBetween(-1.0, 1.0);
    }

    @Test
    void theResNetTitlesNumberIsNeverBrokenAcrossLines() throws Exception {
        FigureSpec spec = PoincareFigures.specs().stream().filter(s -> s.name().equals(PoincareFigures.RESNET)).findFirst().orElseThrow();
        Figure figure = spec.create(Map.of(), FigureTheme.LIGHT);
        // the tab's size at a 1280 x 800 and a 1024 x 700 window
        for (int[] size : new int[][] {{740, 520}, {490, 420}}) {
            List<String> lines = java.util.regex.Pattern.compile(">([^<]*)</text>").matcher(FigureExporter.toSvg(figure, size[0], size[1]))
                    .results().map(m -> m.group(1)).toList();
            String drift = lines.stream().filter(l -> l.contains("\u00d7\u00a010")).findFirst().orElse("");
            assertThat(drift).as("the identity drift, whole on one line, at %dx%d: %s", size[0], size[1], lines)
                    .matches(".*\\d\u00a0\u00d7\u00a010[\u207b\u2070\u00b9\u00b2\u00b3\u2074-\u2079]+.*");
            assertThat(lines).noneMatch(l -> l.matches(".*\\de[-\u2212]?$"));
        }
    }

    @Test
    void badValuesAreRefusedInOneLine() {
        assertThatThrownBy(() -> spec(PoincareFigures.DISC).create(Map.of("centre", "unicorn.n.01"), FigureTheme.LIGHT))
                .hasMessageContaining("centre").hasMessageContaining("unicorn").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> spec(PoincareFigures.DISC).create(Map.of("curvature", "NaN"), FigureTheme.LIGHT))
                .hasMessageContaining("curvature");
        assertThatThrownBy(() -> spec(PoincareFigures.DISC).create(Map.of("embedding", dir.resolve("model.pth").toString()), FigureTheme.LIGHT))
                .hasMessageContaining("pickles");
        assertThatThrownBy(() -> spec(PoincareFigures.RESNET).create(Map.of("bias", "1"), FigureTheme.LIGHT))
                .hasMessageContaining("bias");
        assertThatThrownBy(() -> spec(PoincareFigures.TRAINING).create(Map.of("manifolds", "sphere", "epochs", "1"), FigureTheme.LIGHT))
                .hasMessageContaining("sphere");
        assertThatThrownBy(() -> spec(PoincareFigures.RESNET).create(Map.of("layers", "100000"), FigureTheme.LIGHT))
                .hasMessageContaining("layers");
    }

    private static int distinctColours(BufferedImage image) {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                seen.add(image.getRGB(x, y));
            }
        }
        return seen.size();
    }
}
