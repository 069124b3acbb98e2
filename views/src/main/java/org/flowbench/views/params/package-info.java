/** Lab parameters: named, validated values that the inspector edits and sessions store. */
package org.flowbench.views.params;
