/** Figures: one paint routine per picture, the canvas that shows it, and the PNG, SVG and PDF exporters. */
package org.flowbench.views.figure;
