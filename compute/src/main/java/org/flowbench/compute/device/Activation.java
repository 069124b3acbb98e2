package org.flowbench.compute.device;

/**
 * Element-wise activations. Every device evaluates the same formulas in fp32.
 *
 * <p>GELU is the tanh form {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))} (PyTorch's
 * {@code approximate="tanh"}) on every device, because OpenCL through Aparapi has no erf; it
 * differs from the erf form by less than 5e-4.
 */
public enum Activation {
    /** Identity, for output layers; forward copies, backward passes the gradient through. */
    IDENTITY,
    /** max(0, x); the derivative at 0 is taken as 0. */
    RELU,
    /** x * sigmoid(x). */
    SILU,
    /** scale * (x if x &gt; 0 else alpha (e^x - 1)), alpha = 1.6732632423543772, scale = 1.0507009873554805. */
    SELU,
    /** tanh(x). */
    TANH,
    /** GELU, tanh approximation (see the class comment). */
    GELU;

    /** SELU alpha (Klambauer et al. 2017). */
    public static final double SELU_ALPHA = 1.6732632423543772;
    /** SELU scale (Klambauer et al. 2017). */
    public static final double SELU_SCALE = 1.0507009873554805;
    /** sqrt(2 / pi), the GELU tanh-form constant. */
    public static final double GELU_SQRT_2_OVER_PI = 0.7978845608028654;
    /** The cubic coefficient of the GELU tanh form. */
    public static final double GELU_CUBIC = 0.044715;

    /** Parses a name case-insensitively ({@code relu}, {@code SiLU}...), naming the choices when it is unknown. */
    public static Activation parse(String name) {
        for (Activation a : values()) {
            if (a.name().equalsIgnoreCase(name.strip())) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + name + "' (expected one of "
                + java.util.Arrays.toString(values()).toLowerCase(java.util.Locale.ROOT) + ")");
    }
}
