/**
 * Neural velocity fields: a multilayer perceptron v(x, t) with a sinusoidal time embedding whose
 * forward and backward passes run as batched kernels on a
 * {@link org.flowbench.compute.device.ComputeDevice}, so the same model trains on cpu or OpenCL
 * and integrates under every solver of {@link org.flowbench.compute.ode} (it is a
 * {@link org.flowbench.compute.ode.VelocityField}). Parameters export as named tensors in
 * PyTorch's {@code nn.Sequential} layout for checkpoints; models trained in PyTorch come in through
 * {@link org.flowbench.compute.nn.CheckpointImport} with a named {@link org.flowbench.compute.nn.ImportPreset}.
 * The dense layers underneath, their flat parameter layout ({@link org.flowbench.compute.nn.DenseLayers})
 * and their device passes and tensor names ({@link org.flowbench.compute.nn.DenseStack}), serve every
 * network built from such layers, the GFlowNet policy as well.
 */
package org.flowbench.compute.nn;
