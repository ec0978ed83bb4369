package org.synthweave.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkException;
import org.apache.spark.sql.delta.DeltaConcurrentModificationException;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.DeltaOperations;
import org.apache.spark.sql.delta.OptimisticTransaction;
import org.apache.spark.sql.delta.actions.Action;
import org.apache.spark.sql.delta.actions.AddFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.core.CoreErrors;
import org.synthweave.core.SynthweaveException;
import org.synthweave.core.testing.SparkTestBase;
import scala.jdk.javaapi.CollectionConverters;

/** The warehouse checks and the one-line errors for storage failures (issue 17 item 11). */
class WarehouseTest extends SparkTestBase {

  /**
   * A real Delta conflict, made deterministically: two transactions start from the same version,
   * both read the table and remove the same file; the second to commit loses.
   */
  private DeltaConcurrentModificationException realConflict(String path) {
    spark.range(10).write().format("delta").mode("overwrite").save(path);
    DeltaLog log = DeltaLog.forTable(spark, path);
    OptimisticTransaction first = log.startTransaction();
    OptimisticTransaction second = log.startTransaction();
    AddFile file = first.filterFiles().head();
    second.filterFiles();
    first.commit(removal(file), DeltaOperations.ManualUpdate$.MODULE$);
    return assertThrows(
        DeltaConcurrentModificationException.class,
        () -> second.commit(removal(file), DeltaOperations.ManualUpdate$.MODULE$));
  }

  private static scala.collection.immutable.Seq<Action> removal(AddFile file) {
    return CollectionConverters.asScala(List.<Action>of(file.remove())).toList();
  }

  @Test
  void aLostCommitRaceNamesTheTableAndSaysRerun() {
    String path = warehouse.resolve("race").toString();
    DeltaConcurrentModificationException conflict = realConflict(path);
    SynthweaveException e =
        assertThrows(
            SynthweaveException.class,
            () ->
                Warehouse.committing(
                    catalog,
                    "silver/telemetry",
                    () -> {
                      throw conflict;
                    }));
    assertEquals(
        "Another job committed to silver/telemetry while this one ran (Delta conflict: "
            + conflict.getClass().getSimpleName()
            + "): rerun; the rerun merges by id and loses nothing.",
        e.getMessage());
    assertEquals(CoreErrors.EXIT_RETRY, e.exitCode());
    assertTrue(!e.getMessage().contains("\n"));

    // wrapped as Spark wraps driver failures, and without knowing the table
    SynthweaveException wrapped =
        Warehouse.explain(new SparkException("job aborted", conflict), "/w");
    assertTrue(
        wrapped.getMessage().startsWith("Another job committed to a table of warehouse /w "),
        wrapped.getMessage());
  }

  @Test
  void otherFailuresPassThrough(@TempDir Path dir) {
    IllegalStateException other = new IllegalStateException("not about storage");
    assertThrows(
        IllegalStateException.class,
        () ->
            Warehouse.committing(
                catalog,
                "silver/x",
                () -> {
                  throw other;
                }));
    assertNull(Warehouse.explain(other, dir.toString()));
    // an I/O failure while the warehouse is a fine, writable folder is not the warehouse's fault
    assertNull(Warehouse.explain(new IOException("disk on fire"), dir.toString()));
    assertNull(Warehouse.explain(new IOException("x"), "s3a://bucket/wh"));
  }

  @Test
  void aFileOrAPathUnderAFileIsNoWarehouse(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("f"), "x");
    SynthweaveException a =
        assertThrows(SynthweaveException.class, () -> Warehouse.checkFolder(file.toString()));
    assertTrue(a.getMessage().contains("is a file, not a folder"), a.getMessage());
    SynthweaveException b =
        assertThrows(
            SynthweaveException.class, () -> Warehouse.checkFolder("file:" + file.resolve("a/b")));
    assertTrue(b.getMessage().contains("lies under " + file), b.getMessage());
    Warehouse.checkFolder(dir.resolve("not-yet").toString());
    Warehouse.checkFolder("s3a://bucket/warehouse");
    // a storage failure while the warehouse is a file is explained as such
    SynthweaveException c =
        Warehouse.explain(new SparkException("x", new IOException("Mkdirs failed")), file + "");
    assertInstanceOf(SynthweaveException.class, c);
    assertTrue(c.getMessage().contains("is a file"), c.getMessage());
  }
}
