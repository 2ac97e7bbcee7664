/** Matrix products straight through the OpenBLAS that ND4J's CPU backend loads. */
package dev.constrained4j.models.blas;
