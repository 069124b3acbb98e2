package org.flowbench.compute.checkpoint;

import java.util.Arrays;
import java.util.Objects;

/**
 * A named dense tensor in C (row-major) order, held as 32-bit floats whatever its type on disk.
 * {@code storedType} says what the file held (F32, F64, F16, BF16) so a caller can tell
 * whether the values were narrowed.
 */
public final class Tensor {

    private final String name;
    private final int[] shape;
    private final float[] data; // [product of shape]
    private final String storedType;

    public Tensor(String name, int[] shape, float[] data) {
        this(name, shape, data, "F32");
    }

    public Tensor(String name, int[] shape, float[] data, String storedType) {
        this.name = Objects.requireNonNull(name, "name");
        this.shape = shape.clone();
        this.data = Objects.requireNonNull(data, "data");
        this.storedType = Objects.requireNonNull(storedType, "storedType");
        long count = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "': negative dimension in shape " + Arrays.toString(shape));
            }
            count *= d;
        }
        if (count != data.length) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape)
                    + " holds " + count + " values but " + data.length + " were given");
        }
    }

    public String name() {
        return name;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int axis) {
        return shape[axis];
    }

    /** The values, not copied: callers that keep them must not change them. */
    public float[] data() {
        return data;
    }

    public int size() {
        return data.length;
    }

    public String storedType() {
        return storedType;
    }

    /** Same name, shape and bit patterns of every value (NaN payloads included). */
    public boolean bitEquals(Tensor other) {
        if (!name.equals(other.name) || !Arrays.equals(shape, other.shape) || data.length != other.data.length) {
            return false;
        }
        for (int i = 0; i < data.length; i++) {
            if (Float.floatToRawIntBits(data[i]) != Float.floatToRawIntBits(other.data[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + " " + storedType;
    }
}
