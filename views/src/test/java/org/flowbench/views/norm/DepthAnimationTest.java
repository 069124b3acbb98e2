package org.flowbench.views.norm;

import org.flowbench.compute.lm.Placement;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.jobs.JobContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Node;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Depth animation's files: one frame per probe step of the runs shown, a GIF that loops forever. */
class DepthAnimationTest {

    /** Probes at 0, 10, ..., 50 and at 0, 10, ..., 70: eight distinct steps. */
    private static DepthFigure figure() {
        return new DepthFigure(List.of(NormTestRuns.run(Placement.POST, 4, 50), NormTestRuns.run(Placement.PRE, 4, 70)),
                DepthMetric.VARIANCE, 70, null, FigureTheme.LIGHT);
    }

    private static final class Recording implements JobContext {
        final List<Double> progress = new ArrayList<>();

        @Override
        public void progress(double done, double total) {
            progress.add(done / total);
        }

        @Override
        public void message(String message) {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }
    }

    @Test
    void theGifHasOneFramePerProbeStepAndLoopsForever(@TempDir Path dir) throws Exception {
        DepthFigure shown = figure();
        assertThat(DepthAnimation.probeSteps(shown.runs())).containsExactly(0, 10, 20, 30, 40, 50, 60, 70);
        Recording ctx = new Recording();
        Path folder = DepthAnimation.export(shown, FigureTheme.LIGHT, dir, 400, 260, ctx);
        assertThat(folder).isEqualTo(dir.resolve(DepthAnimation.FOLDER));
        assertThat(ctx.progress).hasSize(8);

        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png")).sorted())
                    .containsExactly("frame-0001.png", "frame-0002.png", "frame-0003.png", "frame-0004.png", "frame-0005.png",
                            "frame-0006.png", "frame-0007.png", "frame-0008.png");
        }
        // the curves move with the step: the first and last frames differ
        BufferedImage first = ImageIO.read(folder.resolve("frame-0001.png").toFile());
        BufferedImage last = ImageIO.read(folder.resolve("frame-0008.png").toFile());
        assertThat(first.getWidth()).isEqualTo(400);
        assertThat(differingPixels(first, last)).isGreaterThan(100);

        ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(folder.resolve(DepthAnimation.GIF).toFile())) {
            reader.setInput(in);
            assertThat(reader.getNumImages(true)).isEqualTo(8);
            IIOMetadataNode root = (IIOMetadataNode) reader.getImageMetadata(0).getAsTree("javax_imageio_gif_image_1.0");
            byte[] loop = netscapeLoop(root);
            assertThat(loop).as("NETSCAPE2.0 loop extension").isNotNull();
            // sub-block 1, loop count 0 (little endian): forever
            assertThat(loop).containsExactly(1, 0, 0);
            IIOMetadataNode control = (IIOMetadataNode) root.getElementsByTagName("GraphicControlExtension").item(0);
            assertThat(control.getAttribute("delayTime")).isEqualTo(Integer.toString(DepthAnimation.DELAY_MS / 10));
        } finally {
            reader.dispose();
        }

        // a second export goes into a folder of its own
        assertThat(DepthAnimation.export(shown, FigureTheme.LIGHT, dir, 400, 260, new Recording()))
                .isEqualTo(dir.resolve(DepthAnimation.FOLDER + "-2"));
    }

    @Test
    void aCancelledExportStopsBetweenFrames(@TempDir Path dir) {
        assertThatThrownBy(() -> DepthAnimation.export(figure(), FigureTheme.LIGHT, dir, 400, 260, new JobContext() {
            int frames;

            @Override
            public void progress(double done, double total) {
                frames++;
            }

            @Override
            public void message(String message) {
            }

            @Override
            public boolean isCancelled() {
                return frames >= 2;
            }
        })).isInstanceOf(CancellationException.class);
        assertThat(dir.resolve(DepthAnimation.FOLDER).resolve("frame-0003.png")).doesNotExist();
    }

    private static byte[] netscapeLoop(IIOMetadataNode root) {
        Node extensions = root.getElementsByTagName("ApplicationExtensions").item(0);
        if (extensions == null) {
            return null;
        }
        for (Node n = extensions.getFirstChild(); n != null; n = n.getNextSibling()) {
            IIOMetadataNode e = (IIOMetadataNode) n;
            if ("NETSCAPE".equals(e.getAttribute("applicationID")) && "2.0".equals(e.getAttribute("authenticationCode"))) {
                return (byte[]) e.getUserObject();
            }
        }
        return null;
    }

    private static int differingPixels(BufferedImage a, BufferedImage b) {
        int n = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                if (a.getRGB(x, y) != b.getRGB(x, y)) {
                    n++;
                }
            }
        }
        return n;
    }
}
