/**
 * The Trajectories lab's pictures: how samples travel from the source distribution to the target
 * along a probability path, and (as the lab grows) the ODE trajectories of trained flows.
 */
package org.flowbench.views.trajectories;
