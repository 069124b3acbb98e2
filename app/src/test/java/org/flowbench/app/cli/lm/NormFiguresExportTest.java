package org.flowbench.app.cli.lm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code flowbench export} draws the Normalization & depth lab's figures headless from samples/norm. */
class NormFiguresExportTest {

    @Test
    void normDepthAndNormSweepExportWithTheirKeys(@TempDir Path dir) throws Exception {
        LmCommandsTest.Result list = LmCommandsTest.run("export", "--list");
        assertThat(list.out()).contains("norm-depth").contains("norm-sweep").contains("metric");
        Path depth = dir.resolve("depth.png");
        LmCommandsTest.Result r = LmCommandsTest.run("export", "--figure", "norm-depth", "--set", "placement=pre,peri",
                "--set", "step=300", "--set", "metric=max-abs", "--out", depth.toString());
        assertThat(r.code()).as(r.err()).isZero();
        BufferedImage image = ImageIO.read(depth.toFile());
        assertThat(image.getWidth()).isEqualTo(1200);
        assertThat(image.getHeight()).isEqualTo(760);
        Path sweep = dir.resolve("sweep.pdf");
        LmCommandsTest.Result s = LmCommandsTest.run("export", "--figure", "norm-sweep", "--out", sweep.toString());
        assertThat(s.code()).as(s.err()).isZero();
        assertThat(Files.readString(sweep, java.nio.charset.StandardCharsets.ISO_8859_1)).startsWith("%PDF");
        Path svg = dir.resolve("depth.svg");
        LmCommandsTest.Result v = LmCommandsTest.run("export", "--figure", "norm-depth", "--set", "metric=gradient-norm",
                "--out", svg.toString());
        assertThat(v.code()).as(v.err()).isZero();
        assertThat(Files.readString(svg)).contains("<svg");
    }

    @Test
    void aBadKeyIsOneLineAndExitTwo(@TempDir Path dir) {
        LmCommandsTest.Result r = LmCommandsTest.run("export", "--figure", "norm-depth", "--set", "metric=loudness",
                "--out", dir.resolve("x.png").toString());
        assertThat(r.code()).isEqualTo(2);
        String[] lines = r.err().strip().split("\n");
        assertThat(lines[lines.length - 1]).startsWith("flowbench: unknown metric 'loudness' (expected one of");
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(Files.exists(dir.resolve("x.png"))).isFalse();
    }
}
