/** JavaFX side of Flowbench: one package per lab (view and view model), shared figures, renderers, exporters and jobs. */
package org.flowbench.views;
