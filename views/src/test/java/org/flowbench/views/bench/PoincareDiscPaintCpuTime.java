package org.flowbench.views.bench;

import org.flowbench.compute.embedding.EmbeddingFiles;
import org.flowbench.compute.embedding.HierarchyEmbedding;
import org.flowbench.compute.embedding.PoincareManifold;
import org.flowbench.compute.hierarchy.EdgeList;
import org.flowbench.compute.hierarchy.EdgeListFiles;
import org.flowbench.views.figure.FigureExporter;
import org.flowbench.views.figure.FigureTheme;
import org.flowbench.views.poincare.DiscLayout;
import org.flowbench.views.poincare.DiscScene;
import org.flowbench.views.poincare.DiscView;
import org.flowbench.views.poincare.Hierarchy;
import org.flowbench.views.poincare.PoincareDiscFigure;
import org.flowbench.views.poincare.PoincareSamples;

import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * The same paint as {@link PoincareDiscPaintBenchmark}'s {@code image} target, timed as the
 * painting thread's processor time rather than wall time, so that a machine shared with other
 * work still gives a steady figure: 100 paints of warm-up, then the median and 90th percentile
 * of 300. Run with the views test class path: {@code java ... PoincareDiscPaintCpuTime [tiling]}.
 */
public final class PoincareDiscPaintCpuTime {

    private PoincareDiscPaintCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        boolean tiling = args.length > 0 && args[0].equals("tiling");
        EdgeList edges = EdgeListFiles.read(PoincareSamples.closure());
        Hierarchy h = Hierarchy.of(edges);
        HierarchyEmbedding e = EmbeddingFiles.alignTo(EmbeddingFiles.read(PoincareSamples.embedding(2), PoincareManifold.INSTANCE),
                edges, PoincareSamples.embedding(2), PoincareSamples.closure());
        DiscScene scene = DiscScene.of(h, DiscLayout.of(e, h.root(), h.label(h.root()), 7), 1.0, "mammal closure");
        BufferedImage image = new BufferedImage(PoincareDiscPaintBenchmark.WIDTH, PoincareDiscPaintBenchmark.HEIGHT, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        FigureExporter.applyQualityHints(g);
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Rectangle2D area = new Rectangle2D.Double(0, 0, image.getWidth(), image.getHeight());
        int warmUp = 100;
        double[] millis = new double[300];
        for (int i = 0; i < warmUp + millis.length; i++) {
            double t = 0.02 * (i & 15);
            PoincareDiscFigure f = new PoincareDiscFigure(scene, DiscView.centredOn(0.3 * t, -0.2 * t),
                    new PoincareDiscFigure.Options(true, true, 40, tiling), -1, null, "Poincar\u00e9 disc", FigureTheme.LIGHT);
            long start = bean.getCurrentThreadCpuTime();
            g.setTransform(new AffineTransform());
            g.setClip(null);
            f.paint(g, area);
            long end = bean.getCurrentThreadCpuTime();
            if (i >= warmUp) {
                millis[i - warmUp] = (end - start) / 1e6;
            }
        }
        g.dispose();
        Arrays.sort(millis);
        System.out.printf(java.util.Locale.ROOT, "tiling=%s processor ms per paint: median %.2f, p90 %.2f%n", tiling,
                millis[millis.length / 2], millis[millis.length * 9 / 10]);
    }
}
