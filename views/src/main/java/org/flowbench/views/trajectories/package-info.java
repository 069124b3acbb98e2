/**
 * The Trajectories lab: curved (1-RF) and straight (2-RF) flows side by side on the same noise.
 * {@link org.flowbench.views.trajectories.TrajectoriesLab} is the view model (parameters, jobs
 * that sample, train, reflow and distil, the shared time, zoom and selection);
 * {@link org.flowbench.views.trajectories.TrajectoriesPage} the view;
 * {@link org.flowbench.views.trajectories.TrajectoriesFigure} the one paint routine the screen and
 * every export use, with {@code RasterLayer} drawing its thousands of marks on pixel targets;
 * {@link org.flowbench.views.trajectories.ChartsFigure} the side charts (W2 vs NFE, straightness
 * per round, loss, training timestep distribution, BOSS cost matrices); and
 * {@link org.flowbench.views.trajectories.ProbabilityPathFigure} how samples travel along a
 * probability path.
 */
package org.flowbench.views.trajectories;
