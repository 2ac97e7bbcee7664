/** Native float memory for the fused engines' vector loops (the JDK's incubating vector API). */
package dev.constrained4j.models.simd;
