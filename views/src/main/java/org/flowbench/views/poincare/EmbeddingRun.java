package org.flowbench.views.poincare;

import org.flowbench.compute.embedding.EmbeddingConfig;
import org.flowbench.compute.embedding.EmbeddingTrainer;
import org.flowbench.compute.embedding.HierarchyEmbedding;
import org.flowbench.compute.embedding.ReconstructionEvaluation;
import org.flowbench.compute.hierarchy.EdgeList;

import java.util.function.BooleanSupplier;

/**
 * One training run as the lab shows it: {@link EmbeddingTrainer} on the hierarchy's edges, and
 * after each epoch the loss, a frame of the points, and every {@code evalEvery} epochs (and at
 * the last) the reconstruction's mean rank and MAP. Runs on the job's thread; the listener hears
 * each epoch there.
 */
final class EmbeddingRun {

    /** What the run tells the lab after each epoch (on the job's thread). */
    interface Listener {
        void epoch(TrainingCurve curve, TrainingFrame frame);
    }

    /** The finished run: its final embedding, curve and frames' count. */
    record Result(HierarchyEmbedding embedding, TrainingCurve curve) {
    }

    private EmbeddingRun() {
    }

    static Result run(EdgeList edges, Hierarchy hierarchy, EmbeddingConfig config, int evalEvery, Listener listener,
                      BooleanSupplier cancelled) {
        EmbeddingTrainer trainer = new EmbeddingTrainer(edges, config);
        String manifold = config.manifold().name();
        TrainingCurve[] curve = {TrainingCurve.empty(manifold, config.dim())};
        long seed = config.seed();
        listener.epoch(curve[0], frame(trainer.snapshot(), hierarchy, manifold, 0, Double.NaN, seed));
        HierarchyEmbedding last = trainer.train(report -> {
            HierarchyEmbedding now = report.snapshot();
            TrainingCurve c = curve[0].withEpoch(report.loss(), report.seconds());
            if (report.epoch() % evalEvery == 0 || report.epoch() == report.epochs()) {
                ReconstructionEvaluation.Result r = ReconstructionEvaluation.evaluate(now, hierarchy.neighbours(), 1, null, cancelled);
                c = c.withEvaluation(report.epoch(), r.meanRank(), r.meanAveragePrecision());
            }
            curve[0] = c;
            listener.epoch(c, frame(now, hierarchy, manifold, report.epoch(), report.loss(), seed));
        }, cancelled);
        return new Result(last, curve[0]);
    }

    static TrainingFrame frame(HierarchyEmbedding e, Hierarchy h, String manifold, int epoch, double loss, long seed) {
        double[] norms = new double[e.size()];
        for (int i = 0; i < norms.length; i++) {
            double[] p = e.ballPoint(i);
            double s = 0;
            for (double x : p) {
                s += x * x;
            }
            norms[i] = Math.sqrt(s);
        }
        return new TrainingFrame(manifold, epoch, loss, DiscLayout.of(e, h.root(), h.label(h.root()), seed), norms);
    }
}
