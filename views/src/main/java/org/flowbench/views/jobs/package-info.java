/**
 * Background jobs: {@link org.flowbench.views.jobs.BackgroundTask} describes the work and its
 * callbacks, a {@link org.flowbench.views.jobs.TaskExecutor} runs it (on worker threads for the
 * application, on the current thread for view-model tests), and a
 * {@link org.flowbench.views.jobs.LatestJobSlot} keeps only the latest of a burst of requests.
 * Nothing heavy runs on the FX thread.
 */
package org.flowbench.views.jobs;
