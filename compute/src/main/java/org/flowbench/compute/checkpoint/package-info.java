/**
 * Checkpoint files: reading and writing safetensors (Flowbench's own metadata in
 * {@code __metadata__}), and reading NumPy {@code .npy}/{@code .npz} arrays and safetensors
 * exported from PyTorch. Loading never executes code and checks every size it reads against
 * the file before allocating; {@link org.flowbench.compute.checkpoint.CheckpointIndex} reads the
 * headers first and a tensor's data only when asked, under a configurable ceiling. A bad file gives a {@link org.flowbench.compute.checkpoint.CheckpointFormatException}
 * with one line naming the file and the problem. Writes are atomic (temp file, then move).
 */
package org.flowbench.compute.checkpoint;
