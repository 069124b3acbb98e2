/** Session files: the current lab and its parameters as versioned JSON, written atomically. */
package org.flowbench.app.session;
