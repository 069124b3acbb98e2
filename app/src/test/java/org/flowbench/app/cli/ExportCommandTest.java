package org.flowbench.app.cli;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ExportCommandTest {

    @TempDir
    Path dir;

    @Test
    void listNamesTheProbabilityPathFigure() {
        CommandLineRunner r = CommandLineRunner.run("export", "--list");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("probability-path");
    }

    @Test
    void pngHasTheRequestedPixelSize() throws Exception {
        Path out = dir.resolve("p.png");
        CommandLineRunner r = CommandLineRunner.run("export", "--figure", "probability-path", "--format", "png",
                "--width", "500", "--height", "180", "--scale", "2", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        BufferedImage image = ImageIO.read(out.toFile());
        assertThat(image.getWidth()).isEqualTo(1000);
        assertThat(image.getHeight()).isEqualTo(360);
        assertThat(r.out().strip()).isEqualTo(out.toAbsolutePath().toString());
        assertThat(r.err()).contains("rendering probability-path");
    }

    @Test
    void svgIsXmlWithDrawingElements() throws Exception {
        Path out = dir.resolve("p.svg");
        CommandLineRunner r = CommandLineRunner.run("export", "--figure", "probability-path", "--format", "svg",
                "--width", "900", "--height", "300", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(out.toFile());
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
        int drawn = doc.getElementsByTagName("path").getLength() + doc.getElementsByTagName("circle").getLength()
                + doc.getElementsByTagName("rect").getLength() + doc.getElementsByTagName("ellipse").getLength();
        assertThat(drawn).isGreaterThan(100);
    }

    @Test
    void pdfHasOnePage() throws Exception {
        Path out = dir.resolve("p.pdf");
        CommandLineRunner r = CommandLineRunner.run("export", "--figure", "probability-path",
                "--width", "900", "--height", "300", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        try (PDDocument pdf = Loader.loadPDF(out.toFile())) {
            assertThat(pdf.getNumberOfPages()).isEqualTo(1);
        }
    }

    @Test
    void sameSeedGivesTheSameBytes() throws Exception {
        Path a = dir.resolve("a.svg");
        Path b = dir.resolve("b.svg");
        CommandLineRunner.run("export", "--figure", "probability-path", "--seed", "3", "--out", a.toString());
        CommandLineRunner.run("export", "--figure", "probability-path", "--seed", "3", "--out", b.toString());
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    }

    @Test
    void unknownFigureExitsTwoWithOneLine() {
        CommandLineRunner r = CommandLineRunner.run("export", "--figure", "nope", "--out", dir.resolve("x.png").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("flowbench: ").contains("nope").doesNotContain("\n");
    }

    @Test
    void nonPositiveSizeExitsTwo() {
        CommandLineRunner r = CommandLineRunner.run("export", "--figure", "probability-path", "--width", "0",
                "--out", dir.resolve("x.png").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--width");
    }

    @Test
    void unwritablePathExitsTwo() {
        CommandLineRunner r = CommandLineRunner.run("export", "--figure", "probability-path",
                "--out", dir.resolve("missing/folder/x.png").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("flowbench: ").doesNotContain("\n").doesNotContain("Exception");
    }

    @Test
    void unknownFormatExitsTwo() {
        CommandLineRunner r = CommandLineRunner.run("export", "--figure", "probability-path", "--format", "bmp",
                "--out", dir.resolve("x.bmp").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("bmp");
    }

    @Test
    void unknownOptionAndMissingSubcommandExitTwo() {
        assertThat(CommandLineRunner.run("export", "--frobnicate").exitCode()).isEqualTo(2);
        CommandLineRunner none = CommandLineRunner.run();
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("subcommand");
    }

    @Test
    void helpListsTheSubcommands() {
        CommandLineRunner r = CommandLineRunner.run("--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("export");
    }

    @Test
    void listShowsEachFiguresKeysAndDefaults() {
        CommandLineRunner r = CommandLineRunner.run("export", "--list");
        assertThat(r.out()).contains("trajectories").contains("--set solver=euler").contains("--set steps=8")
                .contains("--set time=1").contains("--set seed=7");
    }

    @Test
    void trajectoriesTakeTheirSettingsAsSetKeys() throws Exception {
        Path a = dir.resolve("rk4.svg");
        CommandLineRunner r = CommandLineRunner.run("export", "--figure", "trajectories", "--set", "solver=rk4",
                "--set", "steps=4", "--set", "time=0.5", "--set", "particles=300", "--out", a.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(Files.readString(a)).contains("rk4").contains("t = 0.50");
        CommandLineRunner bad = CommandLineRunner.run("export", "--figure", "trajectories", "--set", "stepz=4",
                "--out", dir.resolve("b.svg").toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err().strip()).isEqualTo("flowbench: figure 'trajectories' has no parameter 'stepz' (it has: seed, "
                + "models, solver, steps, schedule, tolerance, time, particles, traced)");
    }

    @Test
    void anExistingFileIsReplacedOnlyWithForce() throws Exception {
        Path out = dir.resolve("p.svg");
        Files.writeString(out, "keep me");
        CommandLineRunner r = CommandLineRunner.run("export", "--figure", "probability-path", "--out", out.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("exists").contains("--force");
        assertThat(Files.readString(out)).isEqualTo("keep me");
        CommandLineRunner forced = CommandLineRunner.run("export", "--figure", "probability-path", "--force", "--out", out.toString());
        assertThat(forced.exitCode()).as(forced.err()).isZero();
        assertThat(Files.readString(out)).startsWith("<?xml");
    }

    @Test
    void aFormatThatContradictsTheFileNameIsRefused() {
        Path out = dir.resolve("f.svg");
        CommandLineRunner r = CommandLineRunner.run("export", "--figure", "probability-path", "--format", "png", "--out", out.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--format png does not match the file name f.svg");
        assertThat(Files.exists(out)).isFalse();
    }

    @Test
    void aFileTheFigureReadsIsNeverItsOutput() throws Exception {
        // a checkpoint under a figure's file name: the format check alone would let it through
        Path model = dir.resolve("m.svg");
        Files.copy(org.flowbench.views.trajectories.SampleModels.folder().resolve("moons-1rf.safetensors"), model);
        byte[] before = Files.readAllBytes(model);
        CommandLineRunner r = CommandLineRunner.run("export", "--figure", "trajectories", "--set", "models=" + model,
                "--force", "--out", model.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("flowbench: ").contains("m.svg").doesNotContain("\n");
        assertThat(Files.readAllBytes(model)).isEqualTo(before);
    }
}
