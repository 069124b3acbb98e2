/**
 * The GFlowNets lab's window: a HyperGrid's reward beside the terminal distribution the learned
 * policy induces (computed exactly over the state graph), learned against true edge and state
 * flows over training, the credit each transition of one trajectory receives under TB, DB,
 * SubTB and FL-DB, training curves of several objectives overlaid, and the whole DAG of a tiny
 * grid with its flows; the figures {@code flowbench export} draws, and the lab's exports.
 * The math is in {@code org.flowbench.compute.gflownet}.
 */
package org.flowbench.views.gflownet;
