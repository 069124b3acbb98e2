/**
 * Bellman optimal step sizes (BOSS, Nguyen et al.; flows.md): a cost matrix of single Euler jumps
 * between the times of a fine grid, measured on a fine Euler trajectory of a velocity field over
 * reference noise, and the dynamic program that picks the K-step schedule of least total cost.
 * Sampling with a schedule is plain fixed-step solving on {@link org.flowbench.compute.boss.BossSchedule#grid()}.
 */
package org.flowbench.compute.boss;
