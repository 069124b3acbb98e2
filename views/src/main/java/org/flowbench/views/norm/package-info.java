/**
 * The Normalization &amp; depth lab: hidden-state variance and gradients layer by layer under
 * Post-LN, Pre-LN and Peri-LN (Depth, Sweep), the normalization layers themselves (Norm layers)
 * and scale invariance (AdamP/SGDP). Each tab is a {@link org.flowbench.views.norm.NormLabPage};
 * the Norm layers and Scale invariance tabs share what they do alike through
 * {@link org.flowbench.views.norm.PlaygroundPage} and {@link org.flowbench.views.norm.PlaygroundModel}.
 */
package org.flowbench.views.norm;
