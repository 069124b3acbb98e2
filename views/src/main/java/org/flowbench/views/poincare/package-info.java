/**
 * The Poincaré ball lab: hierarchies embedded in hyperbolic space and the geometry of the ball
 * made visible. {@link org.flowbench.views.poincare.PoincareLab} is the view model (the loaded
 * hierarchy and embedding, the view's Möbius re-centring, selection and ruler, the training
 * job's history); {@link org.flowbench.views.poincare.PoincarePage} the view, with the Disc,
 * Training, Poincaré ResNet and Lesson tabs. {@link org.flowbench.views.poincare.PoincareDiscFigure}
 * draws the disc (geodesic arcs, decluttered labels, equal-area tiling),
 * {@link org.flowbench.views.poincare.TrainingChartsFigure} the training curves and
 * {@link org.flowbench.views.poincare.ResNetFigure} the Poincaré ResNet demos; each is the one
 * paint routine the screen and every export use. {@link org.flowbench.views.poincare.PoincareFigures}
 * lists the figures {@code flowbench export} draws.
 */
package org.flowbench.views.poincare;
