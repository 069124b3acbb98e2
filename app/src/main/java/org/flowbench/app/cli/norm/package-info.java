/**
 * Subcommands of the normalization lab: {@code norm-layers} (how much each layer's statistics
 * move from batch to batch for an input preset).
 */
package org.flowbench.app.cli.norm;
