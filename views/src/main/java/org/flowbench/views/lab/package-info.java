/** What the shell needs of a lab (page, parameters, exportable figure), and the page of a lab still to come. */
package org.flowbench.views.lab;
