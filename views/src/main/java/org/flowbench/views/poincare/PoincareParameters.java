package org.flowbench.views.poincare;

import org.flowbench.compute.embedding.EmbeddingConfig;
import org.flowbench.compute.embedding.Manifold;
import org.flowbench.views.params.LabParameters;
import org.flowbench.views.params.Parameter;

import java.util.List;

/**
 * The Poincaré lab's parameters, as the inspector shows them and sessions and lesson buttons
 * set them: what the disc draws, how the Training tab trains, and the Poincaré ResNet demos.
 */
final class PoincareParameters {

    static final String SAMPLE_2D = "sample 2-D";
    static final String SAMPLE_5D = "sample 5-D";
    static final String TRAINED = "trained";
    static final String OPENED = "opened file";

    final Parameter<String> source = Parameter.oneOf("source", "Embedding", "Disc",
            "What the disc shows: a bundled mammal embedding (2-D, or 5-D seen through a 2-D view), the last training run, "
                    + "or the embedding file opened last", List.of(SAMPLE_2D, SAMPLE_5D, TRAINED, OPENED), SAMPLE_2D);
    final Parameter<Double> curvature = Parameter.real("curvature", "Curvature c", "Disc",
            "The ball has curvature -c; each point keeps its distance from the centre", 1.0, DiscScene.MIN_CURVATURE,
            DiscScene.MAX_CURVATURE);
    final Parameter<Integer> labels = Parameter.integer("labels", "Labels", "Disc",
            "At most this many labels, the most important first (most descendants, then shallowest)", 40, 0, 300);
    final Parameter<Boolean> edges = flag("edges", "Geodesics", "Disc", "Draw each node's edge to its parent as a geodesic", true);
    final Parameter<Boolean> tiling = flag("tiling", "Tiling", "Disc",
            "Shade cells of equal hyperbolic area about the centre", false);

    final Parameter<String> manifold = Parameter.oneOf("manifold", "Manifold", "Training",
            "Space to train in", List.of("poincare", "euclidean", "lorentz"), "poincare").shownAs(SpaceNames::of);
    final Parameter<Integer> dim = Parameter.integer("dim", "Dimension", "Training", "Dimension of the embedding", 2, 1, 64);
    final Parameter<Integer> epochs = Parameter.integer("epochs", "Epochs", "Training", "Passes over the edges", 60, 1, 2000);
    final Parameter<Double> lr = Parameter.real("lr", "Learning rate", "Training", "Riemannian SGD learning rate", 0.3, 1e-4, 100);
    final Parameter<Integer> negatives = Parameter.integer("negatives", "Negatives", "Training",
            "Negative samples per edge", 50, 1, 1000);
    final Parameter<Integer> burnIn = Parameter.integer("burnIn", "Burn-in epochs", "Training",
            "First epochs at lr / 100 with degree-weighted negatives", 10, 0, 2000);
    final Parameter<Integer> evalEvery = Parameter.integer("evalEvery", "Eval every", "Training",
            "Epochs between reconstruction evaluations (mean rank, MAP)", 5, 1, 1000);
    final Parameter<Long> seed = Parameter.seed("seed", "Seed", "Training", "Seed of the initial points and the negatives", 1);

    final Parameter<Integer> layers = Parameter.integer("layers", "Layers", "Poincar\u00e9 ResNet",
            "Hyperbolic fully connected layers stacked in the depth demo", 50, 1, ResNetDemos.MAX_LAYERS);
    final Parameter<Integer> layerDim = Parameter.integer("layerDim", "Layer width", "Poincar\u00e9 ResNet",
            "Dimension of the points and layers in the depth demo", 8, 2, ResNetDemos.MAX_DIM);
    final Parameter<Integer> batch = Parameter.integer("batch", "Batch size", "Poincar\u00e9 ResNet",
            "Points in the batch-norm demo", 24, 2, ResNetDemos.MAX_BATCH);
    final Parameter<Double> scale = Parameter.real("scale", "Scale s", "Poincar\u00e9 ResNet",
            "Midpoint batch norm: the dispersion the batch is rescaled to", 1.0, 0.01, 10);
    final Parameter<Double> shiftX = Parameter.real("shiftX", "Bias b, x", "Poincar\u00e9 ResNet",
            "Midpoint batch norm: tangent vector b at the origin; the batch is re-centred at expmap0(b)", 0.0, -3, 3);
    final Parameter<Double> shiftY = Parameter.real("shiftY", "Bias b, y", "Poincar\u00e9 ResNet",
            "Second component of b", 0.0, -3, 3);

    final List<Parameter<?>> disc = List.of(source, curvature, labels, edges, tiling);
    final List<Parameter<?>> training = List.of(manifold, dim, epochs, lr, negatives, burnIn, evalEvery, seed);
    final List<Parameter<?>> resnet = List.of(layers, layerDim, batch, scale, shiftX, shiftY);
    final LabParameters all;

    PoincareParameters() {
        java.util.List<Parameter<?>> every = new java.util.ArrayList<>(disc);
        every.addAll(training);
        every.addAll(resnet);
        all = new LabParameters(every);
    }

    /** The training settings in force (the reference's batch 10 and burn-in multiplier 0.01, one thread). */
    EmbeddingConfig trainingConfig(String manifoldName) {
        return new EmbeddingConfig(Manifold.byName(manifoldName), dim.get(), epochs.get(), lr.get(), negatives.get(),
                Math.min(burnIn.get(), epochs.get()), 0.01, 0.75, 10, seed.get(), 1);
    }

    PoincareDiscFigure.Options discOptions() {
        return new PoincareDiscFigure.Options(edges.get(), labels.get() > 0, labels.get(), tiling.get());
    }

    private static Parameter<Boolean> flag(String key, String name, String category, String help, boolean initial) {
        return Parameter.of(key, name, category, help, Boolean.class, initial, v -> v == null ? "required" : null);
    }
}
