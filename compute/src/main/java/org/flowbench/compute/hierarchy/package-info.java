/**
 * Hierarchies as edge lists for embedding: the transitive closure of a WordNet 3.0 noun
 * subtree read straight from a WordNet database folder, and the user's own hierarchies as CSV
 * ({@code id1,id2[,weight]}, the format of facebookresearch/poincare-embeddings) or
 * tab-separated pairs (gensim's {@code PoincareRelations}). Nodes are int ids, neighbours are
 * kept in compressed sparse rows, so the full noun closure (82,115 nodes, 743,086 edges) fits
 * in a few tens of megabytes. Readers bound every size before allocating and name the file
 * and line of any bad row.
 */
package org.flowbench.compute.hierarchy;
