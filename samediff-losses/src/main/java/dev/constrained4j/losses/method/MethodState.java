package dev.constrained4j.losses.method;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The whole state of a {@link ConstrainedMethod}, as written into every checkpoint: the method's name, its scalars
 * (coefficients, counters) and, for methods with per-sample multipliers, the store of them.
 *
 * <p>Binary form ({@link #write}/{@link #read}): a magic string and version, the name, the scalars as
 * name/value pairs, then the number of multipliers ({@code -1} for none) and their float values.
 *
 * @param multipliers the multipliers, or null when the method has none
 */
public record MethodState(String method, Map<String, Double> scalars, MultiplierStore multipliers) {

    private static final String MAGIC = "constrained4j-method-state";
    private static final int VERSION = 1;

    public MethodState {
        Objects.requireNonNull(method, "method");
        scalars = Collections.unmodifiableMap(new LinkedHashMap<>(scalars));
    }

    /** A scalar of the state. */
    public double scalar(String name) {
        Double v = scalars.get(name);
        if (v == null) {
            throw new IllegalArgumentException("the state of method " + method + " has no value '" + name + "'");
        }
        return v;
    }

    /** Throws unless this is the state of a method named {@code expected}. */
    public void requireMethod(String expected) {
        if (!method.equals(expected)) {
            throw new IllegalArgumentException("a state of method " + method + " cannot restore method " + expected);
        }
    }

    /** Writes the state (the multipliers streamed from their store). */
    public void write(DataOutputStream out) throws IOException {
        out.writeUTF(MAGIC);
        out.writeInt(VERSION);
        out.writeUTF(method);
        out.writeInt(scalars.size());
        for (Map.Entry<String, Double> e : scalars.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeDouble(e.getValue());
        }
        if (multipliers == null) {
            out.writeLong(-1);
            return;
        }
        long n = multipliers.size();
        out.writeLong(n);
        for (long i = 0; i < n; i++) {
            out.writeFloat(multipliers.get(i));
        }
    }

    /**
     * Reads a state written by {@link #write}.
     *
     * @param target where the multipliers go (e.g. the method's own mapped store, so that nothing of their size is
     *               allocated), or null to read them into a new {@link HeapMultipliers}
     */
    public static MethodState read(DataInputStream in, MultiplierStore target) throws IOException {
        if (!MAGIC.equals(in.readUTF()) || in.readInt() != VERSION) {
            throw new IOException("not a constrained-method state (version " + VERSION + ")");
        }
        String method = in.readUTF();
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("corrupt method state: " + count + " scalars");
        }
        Map<String, Double> scalars = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            scalars.put(in.readUTF(), in.readDouble());
        }
        long n = in.readLong();
        if (n < 0) {
            return new MethodState(method, scalars, null);
        }
        MultiplierStore store = target;
        if (store == null) {
            if (n > Integer.MAX_VALUE) {
                throw new IOException(n + " multipliers do not fit on the heap; read them into a mapped store");
            }
            store = new HeapMultipliers((int) n);
        } else if (store.size() != n) {
            throw new IOException("the state holds " + n + " multipliers; the method has " + store.size());
        }
        for (long i = 0; i < n; i++) {
            store.set(i, in.readFloat());
        }
        return new MethodState(method, scalars, store);
    }
}
