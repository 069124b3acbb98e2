/**
 * A small decoder-only Transformer language model on a {@link
 * org.flowbench.compute.device.ComputeDevice}, with its hand-written backward pass, its
 * optimiser, its data (synthetic character tasks and bounded UTF-8 text) and the probes the
 * normalization lab shows: how the placement of the norm (none, Post-LN, Pre-LN, Peri-LN,
 * Pre-LN with LayerNorm Scaling) shapes the residual stream's variance and the gradients, layer
 * by layer, at initialisation and during training. GPT-2 and nanoGPT checkpoints trained
 * elsewhere load into the same model ({@link org.flowbench.compute.lm.Gpt2Checkpoint}), and the
 * WordNet glosses make a character corpus ({@link org.flowbench.compute.lm.WordNetGlosses}).
 * Arrays are flat and row-major; a batch of
 * {@code batch} sequences of {@code seq} tokens is {@code batch*seq} rows.
 */
package org.flowbench.compute.lm;
