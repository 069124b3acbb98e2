/**
 * The Transformer language-model subcommands of the normalization lab: {@code norm-probe}
 * (per-layer residual-stream statistics and gradient norms at initialisation, per placement,
 * against Xiong et al.'s band, or of a GPT-2 checkpoint on given text), {@code train-lm} (train
 * on a synthetic task or a text file, probing every k steps, into a run file) and
 * {@code wordnet-glosses} (the character corpus of WordNet glosses).
 */
package org.flowbench.app.cli.lm;
