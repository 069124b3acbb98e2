package org.flowbench.compute.device;

/** Reductions over each row of a [rows x cols] batch, giving one float per row. */
public enum RowReduction {
    /** Sum of the row. */
    SUM,
    /** Arithmetic mean of the row. */
    MEAN,
    /** Population variance (divides by cols), computed in two passes around the mean. */
    VARIANCE,
    /** Largest absolute value in the row. */
    MAX_ABS
}
