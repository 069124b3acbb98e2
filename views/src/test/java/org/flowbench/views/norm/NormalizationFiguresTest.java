package org.flowbench.views.norm;

import org.flowbench.views.figure.ExportFormat;
import org.flowbench.views.figure.Figure;
import org.flowbench.views.figure.FigureExporter;
import org.flowbench.views.figure.FigureSpec;
import org.flowbench.views.figure.FigureTheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every figure the lab registers draws headless from the samples, in every format; bad keys are one line. */
class NormalizationFiguresTest {

    private static FigureSpec spec(String name) {
        return NormalizationFigures.specs().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void theDescriptorListsTheFiguresAndOpensRunFiles() {
        assertThat(NormalizationLab.descriptor().figures()).extracting(FigureSpec::name)
                .containsExactly("norm-depth", "norm-sweep", "norm-layers-axes", "norm-layers-histograms",
                        "norm-layers-fluctuation", "norm-layers-running", "norm-layers-folding", "scale-invariance-path",
                        "scale-invariance-norm", "scale-invariance-bn-only");
        assertThat(NormalizationLab.descriptor().opens()).containsExactly("transformer-lm-run");
    }

    @Test
    void everyFigureExportsFromTheSamples(@TempDir Path dir) throws Exception {
        for (FigureSpec spec : NormalizationFigures.specs()) {
            Figure f = spec.create(Map.of(), FigureTheme.LIGHT);
            for (ExportFormat format : ExportFormat.values()) {
                Path out = dir.resolve(spec.name() + "." + format.extension());
                FigureExporter.export(f, format, spec.width(), spec.height(), 1, out);
                assertThat(Files.size(out)).as(out.toString()).isGreaterThan(1000);
            }
        }
    }

    @Test
    void depthKeysChooseRunsStepMetricAndLayer() throws Exception {
        DepthFigure f = (DepthFigure) spec("norm-depth").create(Map.of("placement", "pre,peri", "step", "300",
                "metric", "max-abs", "layer", "3"), FigureTheme.DARK);
        assertThat(f.runs()).extracting(DepthRun::label).containsExactly("Pre-LN", "Peri-LN");
        assertThat(f.step()).isEqualTo(300);
        assertThat(f.metric()).isEqualTo(DepthMetric.MAX_ABS);
        assertThat(f.activations().layer()).isEqualTo(3);
        assertThat(f.activations().runLabel()).isEqualTo("Peri-LN");
        DepthFigure last = (DepthFigure) spec("norm-depth").create(Map.of("activations", "false"), FigureTheme.LIGHT);
        assertThat(last.step()).isEqualTo(600);
        assertThat(last.activations()).isNull();
    }

    @Test
    void badValuesAreOneLineNamingTheKey(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> spec("norm-depth").create(Map.of("metric", "loudness"), FigureTheme.LIGHT))
                .hasMessageStartingWith("unknown metric 'loudness'");
        assertThatThrownBy(() -> spec("norm-depth").create(Map.of("placement", "none"), FigureTheme.LIGHT))
                .hasMessageContaining("no sample run of placement 'none'");
        assertThatThrownBy(() -> spec("norm-depth").create(Map.of("runs", dir.resolve("missing.safetensors").toString()),
                FigureTheme.LIGHT)).hasMessageContaining("missing.safetensors");
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "hello\n");
        assertThatThrownBy(() -> spec("norm-sweep").create(Map.of("sweep", bad.toString()), FigureTheme.LIGHT))
                .hasMessageContaining("bad.csv").hasMessageContaining("not a sweep file");
    }
}
