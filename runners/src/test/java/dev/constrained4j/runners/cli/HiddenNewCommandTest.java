package dev.constrained4j.runners.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.constrained4j.runners.hidden.HiddenRunConfig;
import dev.constrained4j.runners.run.RecordJson;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code hidden new}'s options become the configuration it runs: parsing only, nothing is trained. */
class HiddenNewCommandTest {

    private static HiddenRunConfig parse(String... args) {
        HiddenNewCommand command = new HiddenNewCommand();
        new CommandLine(command).parseArgs(args);
        return command.config();
    }

    @Test
    void theCpuPresetTrainsTheBaselineAndEveryFloorByBothMethods() {
        HiddenRunConfig c = parse("--preset", "cpu");
        assertEquals(HiddenRunConfig.cpu(), c);
        assertEquals("cpu", c.preset());
        assertEquals(List.of("baseline", "psnr30", "psnr30-alm", "psnr40", "psnr40-alm", "psnr50", "psnr50-alm"),
                c.modes());
        assertEquals(32, c.imageSize());
        assertEquals(30, c.messageBits());
        assertEquals(16, c.channels());
        assertEquals(HiddenRunConfig.CPU_EPOCHS, c.epochs());
        assertEquals(0, c.trainLimit(), "every shipped training image");
        assertEquals(c, RecordJson.fromJson(RecordJson.toJson(c), HiddenRunConfig.class));
    }

    @Test
    void optionsOverrideTheCpuPreset() {
        HiddenRunConfig c = parse("--preset", "CPU", "--PSNR", "30", "--method", "alm", "-e", "3",
                "--train-limit", "32");
        assertEquals(List.of("psnr30-alm"), c.modes(), "an explicit --PSNR replaces the study's floors");
        assertEquals(3, c.epochs());
        assertEquals(32, c.trainLimit());
        assertEquals(16, c.channels(), "the rest stays the preset's");
        assertTrue(c.preciseBatchNorm());
        HiddenRunConfig plain = parse("--preset", "cpu", "--no-precise-bn", "--margin", "0.5");
        assertFalse(plain.preciseBatchNorm());
        assertEquals(0.5, plain.margin());
        assertTrue(parse("--precise-bn").preciseBatchNorm(), "on in the default preset when asked");
        assertFalse(parse().preciseBatchNorm());
        assertEquals(List.of("baseline", "psnr40", "psnr40-alm"),
                parse("--preset", "cpu", "--PSNR", "40", "--baseline").modes());
    }

    @Test
    void otherPresetsKeepTheReferenceRuleAndBadNamesAreNamed() {
        assertEquals(List.of("baseline"), parse().modes(), "without --PSNR only the baseline");
        assertEquals(List.of("baseline"), parse("--preset", "paper").modes());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("--preset", "gpu"));
        assertEquals("--preset must be default, cpu or paper, got 'gpu'", e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("--preset", "cpu", "--channels", "0"))
                .getMessage().contains("channels"));
    }
}
