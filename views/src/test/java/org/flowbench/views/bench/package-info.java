/**
 * JMH benchmarks of the views' hot paths (never run as unit tests): the frame cost of the
 * Trajectories figure, painted into an image, into a JavaFX canvas, and onto the (headless,
 * software) screen; the GFlowNets lab's grid view, into an image and a canvas. They paint through
 * one {@code PaintTarget} (an export's image or a screen canvas).
 *
 * <p>Run them from the repository root with one command:
 * <pre>
 * mvn -B -pl views -Pbench test-compile exec:exec
 * </pre>
 * JMH options go in {@code -Dbench}, e.g. only the image target with one panel:
 * {@code -Dbench="TrajectoriesPaintBenchmark -p target=image -p panels=1"}.
 */
package org.flowbench.views.bench;
