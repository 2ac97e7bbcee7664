package dev.constrained4j.models.hidden.fast;

/**
 * Buffers shared by the layers of one engine, which run one at a time: the convolution output, two gradient
 * buffers that the backward pass alternates between, a sink for input gradients nobody needs, the
 * image columns of the small-input weight gradient, and Java scratch
 * arrays for the element-wise loops. All grow to the largest shape seen and are then reused.
 */
final class Workspace {

    final Buffer convolution = new Buffer();
    final Buffer gradientA = new Buffer();
    final Buffer gradientB = new Buffer();
    final Buffer gradientSink = new Buffer();
    final Buffer columns = new Buffer();
    private float[] first = new float[0];
    private float[] second = new float[0];
    private float[] third = new float[0];

    /** A scratch array of at least {@code n} elements (contents undefined). */
    float[] first(int n) {
        if (first.length < n) {
            first = new float[n];
        }
        return first;
    }

    /** A second scratch array, distinct from {@link #first}. */
    float[] second(int n) {
        if (second.length < n) {
            second = new float[n];
        }
        return second;
    }

    /** A third scratch array, distinct from the other two. */
    float[] third(int n) {
        if (third.length < n) {
            third = new float[n];
        }
        return third;
    }

    /** The gradient buffer that is not {@code used}. */
    Buffer otherGradient(Buffer used) {
        return used == gradientA ? gradientB : gradientA;
    }
}
