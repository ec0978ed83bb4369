package org.synthweave.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.core.SynthweaveException;

class SettingsLoaderTest {
  private final SettingsLoader loader = new SettingsLoader(CoreConfig.registry());

  @Test
  void defaultsApplyWhenNothingIsSet() {
    Settings s = loader.load(null, List.of());
    assertEquals("warehouse", s.get(CoreConfig.WAREHOUSE));
    assertEquals(8, s.get(CoreConfig.SHUFFLE_PARTITIONS));
    assertEquals("default", s.origin("warehouse"));
  }

  @Test
  void setBeatsFileBeatsDefault(@TempDir Path dir) throws IOException {
    Path conf = dir.resolve("job.conf");
    Files.writeString(
        conf, "warehouse = \"/data/wh\"\nspark { shuffle-partitions = 16 }\nspark.ui = true\n");
    Settings s = loader.load(conf, List.of("spark.shuffle-partitions=3"));
    assertEquals("/data/wh", s.get(CoreConfig.WAREHOUSE));
    assertEquals(3, s.get(CoreConfig.SHUFFLE_PARTITIONS));
    assertEquals(true, s.get(CoreConfig.SPARK_UI));
    assertEquals("--set", s.origin("spark.shuffle-partitions"));
    assertEquals(conf.toString(), s.origin("warehouse"));
  }

  @Test
  void unknownKeySuggestsTheNearestValidOne() {
    SynthweaveException e =
        assertThrows(
            SynthweaveException.class,
            () -> loader.load(null, List.of("spark.shufle-partitions=3")));
    assertTrue(e.getMessage().contains("'spark.shufle-partitions'"), e.getMessage());
    assertTrue(e.getMessage().contains("Did you mean 'spark.shuffle-partitions'"), e.getMessage());
  }

  @Test
  void unknownKeyInAFileNamesTheFile(@TempDir Path dir) throws IOException {
    Path conf = dir.resolve("bad.conf");
    Files.writeString(conf, "warehose = x\n");
    SynthweaveException e =
        assertThrows(SynthweaveException.class, () -> loader.load(conf, List.of()));
    assertTrue(e.getMessage().contains(conf.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("'warehouse'"), e.getMessage());
  }

  @Test
  void badValueFailsAtLoadWithTheExpectedForm() {
    SynthweaveException e =
        assertThrows(
            SynthweaveException.class,
            () -> loader.load(null, List.of("spark.shuffle-partitions=many")));
    assertTrue(e.getMessage().contains("must be a whole number"), e.getMessage());
  }

  @Test
  void sparkSettingsPassThroughWithDotsInTheirNames(@TempDir Path dir) throws IOException {
    Path conf = dir.resolve("spark.conf");
    Files.writeString(conf, "spark.conf { \"spark.executor.memory\" = 4g }\n");
    Settings s = loader.load(conf, List.of("spark.conf.spark.sql.ansi.enabled=true"));
    CoreConfig core = CoreConfig.from(s);
    assertEquals("4g", core.sparkConf().get("spark.executor.memory"));
    assertEquals("true", core.sparkConf().get("spark.sql.ansi.enabled"));
  }

  @Test
  void malformedSetOptionIsExplained() {
    SynthweaveException e =
        assertThrows(SynthweaveException.class, () -> loader.load(null, List.of("warehouse")));
    assertTrue(e.getMessage().contains("key=value"), e.getMessage());
  }

  @Test
  void hashChangesWithExplicitValuesOnly() {
    Settings a = loader.load(null, List.of());
    Settings b = loader.load(null, List.of("warehouse=warehouse"));
    assertEquals(a.hash(), loader.load(null, List.of()).hash());
    assertTrue(!a.hash().equals(b.hash()));
  }
}
