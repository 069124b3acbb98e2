/**
 * The lab kit's shell side, shared by every lab and knowing none: {@link org.flowbench.views.lab.Lab}
 * (page, parameters, figure, lifecycle, files it opens, view state for sessions),
 * {@link org.flowbench.views.lab.LabDescriptor} (an entry of the lab list),
 * {@link org.flowbench.views.lab.LabContext} (what a lab is built with),
 * {@link org.flowbench.views.lab.LazyPage} (its page, built on the first visit),
 * {@link org.flowbench.views.lab.LabStatus} (its status line, last problem and busy flag over its jobs),
 * {@link org.flowbench.views.lab.PageHeader} and {@link org.flowbench.views.lab.BusyIndicator} (the
 * page's title with that line, the spinner over its figure), the
 * {@link org.flowbench.views.lab.DialogService} behind which file choosers and questions live,
 * the {@link org.flowbench.views.lab.TimelineBar} for anything that animates over steps, the
 * {@link org.flowbench.views.lab.LessonPane} reading {@code assets/lessons/<lab>.md}, and the page
 * of a lab still to come.
 */
package org.flowbench.views.lab;
