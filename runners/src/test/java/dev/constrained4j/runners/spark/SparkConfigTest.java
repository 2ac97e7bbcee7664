package dev.constrained4j.runners.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SparkConfigTest {

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"local; 1", "local[2]; 2", "local[16]; 16", "local-cluster[2,1,2048]; 2",
            "local-cluster[3, 2, 1024]; 6"})
    void partitionsDefaultToTheMastersCores(String master, int partitions) {
        assertEquals(partitions, SparkConfig.of(master, null, null).partitions());
        assertEquals(SparkConfig.DEFAULT_AVERAGING_PERIOD, SparkConfig.of(master, null, null).averagingPeriod());
    }

    @Test
    void anUnknownMasterIsNamedBeforeItsPartitions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkConfig.of("yarn", null, null));
        assertTrue(e.getMessage().startsWith("master must be"), e.getMessage());
    }

    @Test
    void aStandaloneMasterNeedsItsPartitions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkConfig.of("spark://10.0.0.1:7077", null, null));
        assertTrue(e.getMessage().contains("--spark-partitions"), e.getMessage());
        assertEquals(8, SparkConfig.of("spark://host:7077", 8, 4).partitions());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"yarn; 1; 1; master", "local[x]; 1; 1; master", "local[2]; 0; 1; partitions",
            "local[2]; 2; 0; averagingPeriod"})
    void badValuesAreRefusedByName(String master, int partitions, int period, String field) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SparkConfig(master, partitions, period));
        assertTrue(e.getMessage().startsWith(field), e.getMessage());
    }

    @Test
    void executorsOfTheirOwnOnlyOutsideLocalMode() {
        assertFalse(new SparkConfig("local[2]", 2, 1).separateExecutors());
        assertTrue(new SparkConfig("local-cluster[2,1,1024]", 2, 1).separateExecutors());
        assertTrue(new SparkConfig("local-cluster[2,1,1024]", 2, 1).localCluster());
        assertTrue(new SparkConfig("spark://h:7077", 2, 1).separateExecutors());
    }

    @Test
    void theRunRecordsBlockReadsBack() {
        SparkConfig c = new SparkConfig("local-cluster[2,1,1024]", 2, 4);
        assertEquals(c, SparkConfig.fromJson(c.toJson()));
        assertEquals("3.5.6", c.toJson().path("sparkVersion").asText());
        assertEquals(new SparkConfig("local[1]", 2, 4), c.withMaster("local[1]"));
    }
}
