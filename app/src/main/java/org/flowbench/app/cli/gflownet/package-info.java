/**
 * The GFlowNet lab's subcommands: {@code train-gfn} (train on a HyperGrid or a set generation
 * task with TB, DB, SubTB, FL-DB or FM and save a checkpoint), {@code eval-gfn} (measure a
 * checkpoint against the exact solution) and {@code gfn-exact} (the exact partition function,
 * modes and true flows of an environment).
 */
package org.flowbench.app.cli.gflownet;
