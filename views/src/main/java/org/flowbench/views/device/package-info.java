/**
 * The compute device the application's jobs run on: discovery, the user's choice, and the
 * devices jobs and models hold ({@link org.flowbench.views.device.JobDevices}), closed when free.
 */
package org.flowbench.views.device;
