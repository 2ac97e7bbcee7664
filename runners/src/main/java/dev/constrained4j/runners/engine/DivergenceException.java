package dev.constrained4j.runners.engine;

/** Training produced a NaN or infinite objective or metric; the run stops with its last good checkpoint. */
public class DivergenceException extends RuntimeException {

    public DivergenceException(String message) {
        super(message);
    }
}
