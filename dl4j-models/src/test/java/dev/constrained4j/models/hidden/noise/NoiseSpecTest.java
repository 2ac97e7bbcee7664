package dev.constrained4j.models.hidden.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class NoiseSpecTest {

    @Test
    void parsesTheReferenceSyntax() {
        List<NoiseLayer> layers = NoiseSpec.parse(
                "crop((0.2,0.3),(0.4,0.5))+cropout((0.11,0.22),(0.33,0.44)) + dropout(0.2,0.3)+resize(0.7,0.8)+jpeg()+quant()+identity");
        assertEquals(6, layers.size());
        Crop crop = assertInstanceOf(Crop.class, layers.get(0));
        assertEquals(0.2, crop.heightRange()[0]);
        assertEquals(0.5, crop.widthRange()[1]);
        assertInstanceOf(Cropout.class, layers.get(1));
        assertEquals(new Dropout(0.2, 0.3), layers.get(2));
        assertEquals(new Resize(0.7, 0.8), layers.get(3));
        assertEquals(new JpegMask(), layers.get(4));
        assertEquals(new Quantization(), layers.get(5));
        assertEquals(layers.stream().map(NoiseLayer::spec).toList(),
                NoiseSpec.parse(NoiseSpec.format(layers)).stream().map(NoiseLayer::spec).toList());
    }

    @Test
    void identityIsAlwaysAChoice() {
        assertEquals(List.of(new Identity()), NoiseSpec.choices(""));
        assertEquals(List.of(new Identity()), NoiseSpec.choices("identity"));
        assertEquals(2, NoiseSpec.choices("jpeg").size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"blur(1)", "crop((0.2,0.3))", "dropout(0.5)", "crop((0.3,0.2),(0.4,0.5))",
            "dropout(0,0.5)", "jpeg()+", "resize(a,b)", "jpeg(70,9,9)"})
    void rejectsBadSpecificationsWithTheOffendingPart(String spec) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NoiseSpec.parse(spec));
        assertTrue(e.getMessage().contains("noise layer"), e.getMessage());
    }
}
