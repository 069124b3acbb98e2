package org.flowbench.views.poincare;

import org.flowbench.compute.checkpoint.AtomicFiles;
import org.flowbench.compute.embedding.EmbeddingFiles;
import org.flowbench.compute.embedding.HierarchyEmbedding;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The lab's data exports, written atomically: the disc's coordinates as CSV (one row per node:
 * its place in the ball, where the view draws it, depth, norm and distance to the root) and the
 * shown embedding as TSV, word2vec text or safetensors (by the file's extension).
 */
public final class PoincareExports {

    public static final String CSV_HEADER = "name,depth,descendants,parent,x,y,view_x,view_y,norm,distance_to_root";

    private PoincareExports() {
    }

    /** Writes one row per node of the disc as drawn. */
    public static void coordinates(PoincareDiscFigure figure, Path out) throws IOException {
        DiscScene scene = figure.scene();
        Hierarchy h = scene.hierarchy();
        double sqrtC = Math.sqrt(scene.curvature());
        AtomicFiles.write(out, stream -> {
            Writer w = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
            w.write(CSV_HEADER + "\n");
            for (int i = 0; i < h.size(); i++) {
                double[] shown = figure.shownPoint(i);
                int p = h.parent(i);
                // ball coordinates: disc coordinates scaled back to the ball of curvature -c
                w.write(String.format(Locale.ROOT, "%s,%d,%d,%s,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g%n", csv(h.name(i)), h.depth(i), h.descendants(i),
                        p < 0 ? "" : csv(h.name(p)), scene.xy()[2 * i] / sqrtC, scene.xy()[2 * i + 1] / sqrtC, shown[0] / sqrtC,
                        shown[1] / sqrtC, scene.norm(i), scene.distance(i, h.root())));
            }
            w.flush();
        });
    }

    /** Writes the embedding in the format of {@code out}'s extension (.tsv, .txt/.vec/.w2v, .safetensors). */
    public static void embedding(HierarchyEmbedding embedding, Path out) throws IOException {
        EmbeddingFiles.write(out, embedding, Map.of("source", "Flowbench Poincar\u00e9 lab"));
    }

    private static String csv(String s) {
        return s.indexOf(',') >= 0 || s.indexOf('"') >= 0 ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
