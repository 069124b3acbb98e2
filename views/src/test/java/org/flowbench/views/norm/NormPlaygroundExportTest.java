package org.flowbench.views.norm;

import org.flowbench.views.figure.ExportFormat;
import org.flowbench.views.figure.Figure;
import org.flowbench.views.figure.FigureCatalog;
import org.flowbench.views.figure.FigureExporter;
import org.flowbench.views.figure.FigureSpec;
import org.flowbench.views.figure.FigureTheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every registered figure of the two pages draws headless into PNG, SVG and PDF, as {@code flowbench export} would. */
class NormPlaygroundExportTest {

    @TempDir
    Path dir;

    private static FigureCatalog catalog() {
        List<FigureSpec> all = new ArrayList<>(NormLayersFigures.specs());
        all.addAll(ScaleInvarianceFigures.specs());
        return new FigureCatalog(all);
    }

    @Test
    void everyFigureExportsInEveryFormat() throws Exception {
        FigureCatalog catalog = catalog();
        assertThat(catalog.names()).containsExactlyInAnyOrder("norm-layers-axes", "norm-layers-histograms",
                "norm-layers-fluctuation", "norm-layers-running", "norm-layers-folding", "scale-invariance-path",
                "scale-invariance-norm", "scale-invariance-bn-only");
        for (FigureSpec spec : catalog.specs()) {
            Map<String, String> set = spec.name().equals("scale-invariance-bn-only") ? Map.of("bn-steps", "60") : Map.of();
            Figure figure = spec.create(set, FigureTheme.DARK);
            for (ExportFormat format : ExportFormat.values()) {
                Path out = dir.resolve(spec.name() + "." + format.name().toLowerCase(java.util.Locale.ROOT));
                FigureExporter.export(figure, format, spec.width(), spec.height(), 1.0, out);
                assertThat(Files.size(out)).as(out.getFileName().toString()).isGreaterThan(1000);
            }
            BufferedImage png = ImageIO.read(dir.resolve(spec.name() + ".png").toFile());
            String shots = System.getProperty("flowbench.shots");
            if (shots != null && !shots.isBlank()) {
                Files.createDirectories(Path.of(shots));
                Files.copy(dir.resolve(spec.name() + ".png"), Path.of(shots, "normplay-export-" + spec.name() + ".png"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            assertThat(png.getWidth()).isEqualTo(spec.width());
            String svg = Files.readString(dir.resolve(spec.name() + ".svg"));
            assertThat(svg).startsWith("<?xml").contains("<svg");
            assertThat(new String(Files.readAllBytes(dir.resolve(spec.name() + ".pdf")), 0, 5,
                    java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo("%PDF-");
        }
    }

    @Test
    void badValuesAreOneLineNamingTheKey() {
        FigureCatalog catalog = catalog();
        assertThatThrownBy(() -> catalog.spec("norm-layers-fluctuation").create(Map.of("layer", "dropout"), null))
                .hasMessageContaining("unknown layer 'dropout'");
        assertThatThrownBy(() -> catalog.spec("norm-layers-axes").create(Map.of("channel", "20"), null))
                .hasMessage("channel must be between 0 and 15 for the image preset, got 20");
        assertThatThrownBy(() -> catalog.spec("scale-invariance-norm").create(Map.of("lr", "NaN"), null))
                .hasMessageContaining("lr").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> catalog.spec("scale-invariance-path").create(Map.of("beta", "1"), null))
                .hasMessageContaining("has no parameter 'beta'");
    }
}
