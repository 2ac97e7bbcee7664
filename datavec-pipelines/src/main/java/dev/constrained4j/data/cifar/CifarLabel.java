package dev.constrained4j.data.cifar;

/** Which label of a record is used: CIFAR-100's 100 fine classes (the default) or its 20 superclasses. */
public enum CifarLabel {
    /** CIFAR-10's only label; CIFAR-100's second label byte, 100 classes. */
    FINE,
    /** CIFAR-100's first label byte, 20 superclasses. */
    COARSE
}
