/**
 * The Trajectories lab: two flows side by side on the same noise (at the start the curved 1-RF
 * and the straight 2-RF of samples/). {@link org.flowbench.views.trajectories.TrajectoriesLab} is
 * the view model, wiring focused parts: the panels' models and devices
 * ({@code ModelSlots}), the parameters, the view state the figure is composed from, the sampling
 * job ({@code SamplingJob} over {@link org.flowbench.views.trajectories.SameNoiseSampling}), the
 * training actions and jobs ({@link org.flowbench.views.trajectories.TrajectoriesTraining}), the
 * charts' data ({@link org.flowbench.views.trajectories.TrajectoriesCharts}) and what a session
 * keeps. {@link org.flowbench.views.trajectories.TrajectoriesPage} is the view;
 * {@link org.flowbench.views.trajectories.TrajectoriesFigure} the one paint routine the screen and
 * every export use; {@link org.flowbench.views.trajectories.ChartsFigure} the side charts;
 * {@link org.flowbench.views.trajectories.ProbabilityPathFigure} how samples travel along a
 * probability path; {@link org.flowbench.views.trajectories.TrajectoriesFigures} the figures
 * {@code flowbench export} draws; and the import dialog brings in checkpoints trained in PyTorch.
 */
package org.flowbench.views.trajectories;
