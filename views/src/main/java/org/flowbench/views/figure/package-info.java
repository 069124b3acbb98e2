/**
 * Figures, shared by every lab: one paint routine per picture, the canvas that shows it, the PNG,
 * SVG and PDF exporters, figures with parameters ({@link org.flowbench.views.figure.FigureSpec},
 * {@link org.flowbench.views.figure.FigureCatalog}) for {@code flowbench export --set}, the one
 * {@link org.flowbench.views.figure.Palette}, the {@link org.flowbench.views.figure.RasterLayer}
 * that draws thousands of marks on pixel targets, and pan, zoom and pick for plot panels
 * ({@link org.flowbench.views.figure.PlotNavigator}).
 */
package org.flowbench.views.figure;
