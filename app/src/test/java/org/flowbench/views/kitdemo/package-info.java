/** A demonstration lab, in test sources: what adding a lab through the kit takes. */
package org.flowbench.views.kitdemo;
