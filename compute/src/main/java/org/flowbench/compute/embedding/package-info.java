/**
 * Embedding hierarchies (Nickel and Kiela 2017, 2018): the softmax loss over a positive edge and
 * sampled negatives, Riemannian SGD with a burn-in phase, on the Poincaré ball, the Lorentz
 * hyperboloid or Euclidean space through one {@link org.flowbench.compute.embedding.Manifold}
 * interface and one training loop; the reconstruction evaluation (mean rank and MAP) as
 * facebookresearch/poincare-embeddings computes it; and embedding files (TSV, word2vec text,
 * safetensors). Training is seeded and gives the same bytes for the same seed whatever the
 * number of threads.
 */
package org.flowbench.compute.embedding;
