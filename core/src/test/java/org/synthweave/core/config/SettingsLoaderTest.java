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

  @Test
  void aQuotedSparkKeyAfterSetIsOnePathElement() {
    Settings s = loader.load(null, List.of("spark.conf.\"spark.master\"=yarn"));
    assertEquals("--set", s.origin("spark.conf.spark.master"));
    CoreConfig core = CoreConfig.from(s);
    assertEquals("yarn", core.sparkMaster(), "it beats spark.master of the embedded default");
    assertTrue(core.sparkConf().isEmpty(), "only the winner reaches Spark: " + core.sparkConf());
  }

  @Test
  void quotedAndUnquotedSparkKeysMeanTheSame() {
    Settings quoted = loader.load(null, List.of("spark.conf.\"spark.executor.memory\"=4g"));
    Settings plain = loader.load(null, List.of("spark.conf.spark.executor.memory=4g"));
    assertEquals(quoted.explicitValues(), plain.explicitValues());
    assertEquals("4g", CoreConfig.from(quoted).sparkConf().get("spark.executor.memory"));
    assertEquals(
        "spark.conf.\"spark.executor.memory\"",
        CoreConfig.registry().displayName("spark.conf.spark.executor.memory"));
  }

  @Test
  void aSparkSettingTwinOfADedicatedKeyTakesEffectByPrecedence(@TempDir Path dir)
      throws IOException {
    Path conf = dir.resolve("job.conf");
    Files.writeString(conf, "spark.conf { \"spark.sql.shuffle.partitions\" = 5 }\n");
    assertEquals(5, CoreConfig.from(loader.load(conf, List.of())).shufflePartitions());
    assertEquals(
        3,
        CoreConfig.from(loader.load(conf, List.of("spark.shuffle-partitions=3")))
            .shufflePartitions());
    assertEquals(
        7,
        CoreConfig.from(loader.load(conf, List.of("spark.conf.\"spark.sql.shuffle.partitions\"=7")))
            .shufflePartitions());
  }

  @Test
  void twinsGivenTogetherMustAgree() {
    SynthweaveException e =
        assertThrows(
            SynthweaveException.class,
            () ->
                CoreConfig.from(
                    loader.load(
                        null,
                        List.of("spark.master=local[2]", "spark.conf.\"spark.master\"=yarn"))));
    assertTrue(e.getMessage().contains("disagree"), e.getMessage());
    assertEquals(
        "local[2]",
        CoreConfig.from(
                loader.load(
                    null, List.of("spark.master=local[2]", "spark.conf.\"spark.master\"=local[2]")))
            .sparkMaster());
  }

  @Test
  void aBadTwinValueIsRefusedWithItsForm() {
    SynthweaveException e =
        assertThrows(
            SynthweaveException.class,
            () ->
                CoreConfig.from(
                    loader.load(null, List.of("spark.conf.\"spark.sql.shuffle.partitions\"=x"))));
    assertTrue(e.getMessage().contains("must be a whole number"), e.getMessage());
  }

  @Test
  void aSettingSparkWouldIgnoreIsRefused() {
    for (String set :
        List.of(
            "spark.conf.executor.memory=4g",
            "spark.conf.\"\\\"spark.master\\\"\"=yarn",
            "spark.conf.\"spark.\"=x")) {
      SynthweaveException e =
          assertThrows(SynthweaveException.class, () -> loader.load(null, List.of(set)), set);
      assertTrue(e.getMessage().contains("not a Spark key"), set + ": " + e.getMessage());
    }
  }

  @Test
  void aMalformedSetKeyIsRefused() {
    SynthweaveException open =
        assertThrows(
            SynthweaveException.class,
            () -> loader.load(null, List.of("spark.conf.\"spark.master=yarn")));
    assertTrue(open.getMessage().contains("key=value"), open.getMessage());
    for (String set : List.of("spark..master=yarn", ".warehouse=x", "warehouse.=x")) {
      SynthweaveException e =
          assertThrows(SynthweaveException.class, () -> loader.load(null, List.of(set)), set);
      assertTrue(e.getMessage().contains("not a valid config path"), set + ": " + e.getMessage());
    }
  }

  @Test
  void anUnknownQuotedKeySuggestsTheNearestValidOne() {
    SynthweaveException e =
        assertThrows(
            SynthweaveException.class, () -> loader.load(null, List.of("\"spark\".mastr=yarn")));
    assertTrue(e.getMessage().contains("Did you mean 'spark.master'"), e.getMessage());
  }
}
