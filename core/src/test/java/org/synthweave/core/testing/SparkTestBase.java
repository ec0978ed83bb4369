package org.synthweave.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.core.config.CoreConfig;
import org.synthweave.core.spark.SparkSessions;

/**
 * One shared local SparkSession (local[2], UI off, 2 shuffle partitions, Delta configured) per test
 * class, with a fresh warehouse directory that is deleted afterwards. Extend it and use {@link
 * #spark} and {@link #catalog}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SparkTestBase {
  protected SparkSession spark;
  protected Path warehouse;
  protected TableCatalog catalog;

  @BeforeAll
  void startSpark() throws IOException {
    warehouse = Files.createTempDirectory("synthweave-test-warehouse");
    CoreConfig config =
        new CoreConfig(
            warehouse.toString(),
            "local[2]",
            getClass().getSimpleName(),
            2,
            false,
            Map.of("spark.sql.adaptive.enabled", "false", "spark.driver.host", "127.0.0.1"),
            0,
            "test");
    spark = SparkSessions.create(config);
    catalog = new TableCatalog(warehouse.toString());
  }

  @AfterAll
  void stopSpark() throws IOException {
    if (spark != null) {
      spark.stop();
      SparkSession.clearActiveSession();
      SparkSession.clearDefaultSession();
    }
    deleteRecursively(warehouse);
  }

  /** Runs {@code body} with a Spark SQL setting changed, restoring the old value in finally. */
  protected void withSqlConf(String key, String value, Runnable body) {
    String old = spark.conf().getOption(key).getOrElse(() -> null);
    spark.conf().set(key, value);
    try {
      body.run();
    } finally {
      if (old == null) {
        spark.conf().unset(key);
      } else {
        spark.conf().set(key, old);
      }
    }
  }

  /** The repository root (for the committed samples under data/ and conf/). */
  public static Path repoRoot() {
    String prop = System.getProperty("synthweave.repo.root");
    Path p = prop != null ? Paths.get(prop) : Paths.get("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("data/samples"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException(
          "cannot find the repository root (a folder with data/samples)");
    }
    return p;
  }

  protected static void deleteRecursively(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
