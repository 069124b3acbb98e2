/** The compute device the application's jobs run on: discovery, the user's choice, and opening it for a job. */
package org.flowbench.views.device;
