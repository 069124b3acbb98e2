package org.flowbench.views.poincare;

/** The names a reader sees for the spaces embeddings live in; the lower-case ids stay the keys of files, options and colours. */
final class SpaceNames {

    private SpaceNames() {
    }

    /** "Poincaré", "Euclidean", "Lorentz" for the manifold ids; any other id as it is. */
    static String of(String manifold) {
        return switch (manifold) {
            case "poincare" -> "Poincar\u00e9";
            case "euclidean" -> "Euclidean";
            case "lorentz" -> "Lorentz";
            default -> manifold;
        };
    }
}
