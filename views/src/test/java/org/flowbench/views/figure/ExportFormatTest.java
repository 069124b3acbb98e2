package org.flowbench.views.figure;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExportFormatTest {

    @Test
    void namesAndExtensionsResolveIgnoringCaseAndDot() {
        assertThat(ExportFormat.fromName("png")).isEqualTo(ExportFormat.PNG);
        assertThat(ExportFormat.fromName(".SVG")).isEqualTo(ExportFormat.SVG);
        assertThat(ExportFormat.fromName(" Pdf ")).isEqualTo(ExportFormat.PDF);
        assertThat(ExportFormat.fromFile(Path.of("/tmp/figure.final.PDF"))).isEqualTo(ExportFormat.PDF);
        assertThat(ExportFormat.SVG.extension()).isEqualTo("svg");
        assertThat(ExportFormat.PNG.isVector()).isFalse();
        assertThat(ExportFormat.PDF.isVector()).isTrue();
    }

    @Test
    void unknownNamesAndExtensionsAreNamedInTheError() {
        assertThatThrownBy(() -> ExportFormat.fromName("jpeg"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown export format 'jpeg' (known: png, svg, pdf)");
        assertThatThrownBy(() -> ExportFormat.fromFile(Path.of("figure.eps")))
                .hasMessage("cannot tell the export format from the file name 'figure.eps' (use one of the extensions png, svg, pdf)");
    }

    @Test
    void withExtensionAddsTheExtensionOnlyWhenMissing() {
        assertThat(ExportFormat.PNG.withExtension(Path.of("out/fig"))).isEqualTo(Path.of("out/fig.png"));
        assertThat(ExportFormat.PNG.withExtension(Path.of("out/fig.PNG"))).isEqualTo(Path.of("out/fig.PNG"));
        assertThat(ExportFormat.PDF.withExtension(Path.of("fig.svg"))).isEqualTo(Path.of("fig.svg.pdf"));
    }

    @Test
    void suggestedRequestsAreNamedAfterTheFigure() {
        ExportRequest request = ExportRequest.suggest(Path.of("/tmp"), "Probability path N(0, I) to two moons", 1500, 300);
        assertThat(request.file()).isEqualTo(Path.of("/tmp/probability-path-n-0-i-to-two-moons.png"));
        assertThat(request.scale()).isEqualTo(2.0);
        assertThat(request.sizeDescription()).isEqualTo("3000 x 600 pixels");
        assertThat(ExportRequest.suggest(Path.of("/tmp"), "  ", 10, 10).file()).isEqualTo(Path.of("/tmp/figure.png"));
    }
}
