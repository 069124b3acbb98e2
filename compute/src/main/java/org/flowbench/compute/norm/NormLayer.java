package org.flowbench.compute.norm;

import org.flowbench.compute.device.DeviceBuffer;

import java.util.List;

/**
 * A normalization layer over [batch, channels, spatial] tensors on one device.
 *
 * <p>{@link #backward} follows the {@link #forward} of the same input {@code x}, which must be
 * unchanged in between (so a forward pass that will be differentiated must not write {@code y}
 * over {@code x}). Parameter gradients are overwritten, not accumulated. A layer is used from one
 * thread at a time; {@link #close()} frees its device buffers.
 */
public interface NormLayer extends AutoCloseable {

    /** A short name: {@code batch}, {@code group}, {@code power}... */
    String name();

    int channels();

    /**
     * Normalises {@code x // [batch*channels*spatial]} into {@code y} (same length; may be x when
     * no backward pass follows). In training mode this updates the running state.
     */
    void forward(DeviceBuffer x, DeviceBuffer y, int batch, int spatial);

    /**
     * Input gradient {@code dx} (may be {@code dy}) and parameter gradients of the last forward
     * pass, given {@code dy}; {@code x} is that pass's input.
     *
     * @throws IllegalStateException when no forward pass of this shape and mode came before
     */
    void backward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx, int batch, int spatial);

    /** The trainable parameters with their gradient buffers. */
    List<Parameter> parameters();

    /** Training mode (batch statistics, running state updated) or evaluation mode. */
    void setTraining(boolean training);

    boolean isTraining();

    @Override
    void close();
}
