/** Test support for every lab's pages: the layout check that finds cut labels and controls out of sight. */
package org.flowbench.views.layout;
