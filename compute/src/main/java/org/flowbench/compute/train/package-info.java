/**
 * Training velocity fields: conditional flow matching with a choice of probability path
 * ({@link org.flowbench.compute.path}), coupling (independent or minibatch OT), timestep
 * distribution (uniform, logit-normal, U-shaped) and loss (L2, pseudo-Huber); Adam and AdamW
 * with an optional weight EMA; reflow rounds and one-step distillation on simulated pairs.
 * Every run is seeded and reproducible, reports its loss per step through a callback, honours
 * a cancel flag and thread interrupts, and stops with a message naming the step when the loss
 * stops being finite.
 */
package org.flowbench.compute.train;
