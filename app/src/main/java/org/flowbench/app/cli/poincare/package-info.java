/**
 * Command line of the Poincaré ball lab: {@code wordnet-closure} builds a WordNet noun
 * closure, {@code embed} trains an embedding of a hierarchy on the Poincaré ball, the Lorentz
 * hyperboloid or Euclidean space, and {@code eval-embedding} scores an embedding by
 * reconstruction (mean rank and MAP). Progress goes to stderr, results to stdout (or one JSON
 * object with --json); bad input exits 2 with one line.
 */
package org.flowbench.app.cli.poincare;
