package org.synthweave.ingest.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.core.SynthweaveException;
import org.synthweave.core.run.RunSummary;
import org.synthweave.core.run.SourceCounts;
import org.synthweave.core.spark.Columns;
import org.synthweave.core.testing.Mutations;
import org.synthweave.core.testing.SparkTestBase;

/**
 * Fuzzing ingest-table's CSV reader with seeded mutations of real tables (UCI wine, credit data):
 * no exception escapes but a clear {@link SynthweaveException}, no hang, every file balances (in =
 * out + quarantined + duplicates) and every good row that a mutant kept intact is in the table.
 *
 * <p>The table reader has no Spark-free parser of its own (Spark's CSV source parses), so the cases
 * run through Spark: hundreds of mutated files in one ingest (the header kept, the body damaged),
 * and a smaller set whose header is damaged too, one ingest each. The seed is printed; {@code
 * -Dtests.seed=N} replays a run.
 */
class TableCsvFuzzTest extends SparkTestBase {
  private static final int BODY_CASES = Integer.getInteger("tests.fuzz.cases", 300);
  private static final int HEADER_CASES = 12;
  private long seed;

  @BeforeAll
  void announce() {
    seed = Mutations.seed();
    System.out.println("TableCsvFuzzTest seed: " + seed + " (-Dtests.seed=" + seed + ")");
  }

  private String why() {
    return "seed " + seed + " (-Dtests.seed=" + seed + ")";
  }

  private static RunSummary summary() {
    return new RunSummary("f-" + System.nanoTime(), "ingest-table", Instant.now());
  }

  private static byte[] sample(String name, int maxLines) throws IOException {
    List<String> lines =
        Files.readAllLines(
            repoRoot().resolve("data/samples/tables/" + name), StandardCharsets.UTF_8);
    return (String.join("\n", lines.subList(0, Math.min(maxLines, lines.size()))) + "\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void damagedBodiesOfWine(@TempDir Path dir) throws IOException {
    fuzzBodies(dir, "wine.csv", 179, "fuzz_wine", 0);
  }

  @Test
  void damagedBodiesOfCreditData(@TempDir Path dir) throws IOException {
    fuzzBodies(dir, "credit-data.csv", 201, "fuzz_credit", 1);
  }

  /**
   * {@link #BODY_CASES} mutants of the sample's body under its intact header, in one ingest with
   * the sample's own (inferred) schema declared; then the sample itself into the same table: each
   * of its rows that some mutant holds intact must be a duplicate by then.
   */
  private void fuzzBodies(Path dir, String name, int lines, String table, long stream)
      throws IOException {
    byte[] original = sample(name, lines);
    String text = new String(original, StandardCharsets.UTF_8);
    int headerEnd = text.indexOf('\n') + 1;
    byte[] header = Arrays.copyOf(original, headerEnd);
    byte[] body = Arrays.copyOfRange(original, headerEnd, original.length);
    Set<String> goodLines = new HashSet<>(Arrays.asList(text.substring(headerEnd).split("\n")));

    Path originalFile = dir.resolve("original").resolve(name);
    Files.createDirectories(originalFile.getParent());
    Files.write(originalFile, original);
    SparkTableIngest ingest = new SparkTableIngest(spark, catalog, 1 << 16);
    String ddl = ddl(ingest, originalFile, table + "_schema");

    Mutations m = new Mutations(seed + stream);
    Path mutants = dir.resolve("mutants");
    Files.createDirectories(mutants);
    Set<String> intact = new HashSet<>();
    for (int i = 0; i < BODY_CASES; i++) {
      byte[] mutant = m.mutate(body);
      ByteArrayOutputStream file = new ByteArrayOutputStream();
      file.write(header);
      file.write(mutant);
      Files.write(mutants.resolve(String.format("m%04d.csv", i)), file.toByteArray());
      for (String line : new String(mutant, StandardCharsets.UTF_8).split("\n", -1)) {
        if (goodLines.contains(line)) {
          intact.add(line);
        }
      }
    }

    RunSummary s = summary();
    assertTimeoutPreemptively(
        Duration.ofMinutes(10),
        () -> ingest.ingest(table, List.of(mutants.toString()), null, ddl, s),
        why());
    s.checkBalanced();
    List<SourceCounts> files = s.rows().subList(0, s.rows().size() - 1);
    assertEquals(BODY_CASES, files.size(), why());
    SourceCounts total = s.rows().get(s.rows().size() - 1);
    assertTrue(total.quarantined() > 0 && total.out() > 0, total + ", " + why());

    // Every row some mutant kept intact is in the table: the sample adds only the others.
    RunSummary again = summary();
    ingest.ingest(table, List.of(originalFile.toString()), null, ddl, again);
    again.checkBalanced();
    SourceCounts o = again.rows().get(0);
    assertEquals(lines - 1, o.in(), why());
    assertEquals(0, o.quarantined(), why());
    assertTrue(
        o.out() <= goodLines.size() - intact.size(),
        o + " but " + intact.size() + " rows were intact in some mutant, " + why());
  }

  /** The DDL of the schema ingest-table infers for {@code file} (via a scratch table). */
  private String ddl(SparkTableIngest ingest, Path file, String scratch) {
    String path = ingest.ingest(scratch, List.of(file.toString()), null, null, summary());
    StructType schema = spark.read().format("delta").load(path).schema();
    return Arrays.stream(schema.fields())
        .filter(f -> !f.name().startsWith("_"))
        .map(TableCsvFuzzTest::ddlField)
        .collect(Collectors.joining(", "));
  }

  private static String ddlField(StructField f) {
    return Columns.quote(f.name()) + " " + f.dataType().sql();
  }

  /** Mutants with the header damaged too (names, quoting, field count), one ingest each. */
  @Test
  void damagedHeaders(@TempDir Path dir) throws IOException {
    byte[] original = sample("wine.csv", 41);
    Mutations m = new Mutations(seed + 2);
    SparkTableIngest ingest = new SparkTableIngest(spark, catalog, 1 << 16);
    List<String> refused = new ArrayList<>();
    for (int i = 0; i < HEADER_CASES; i++) {
      byte[] mutant = m.mutate(Arrays.copyOf(original, 600));
      byte[] file = new byte[mutant.length + original.length - 600];
      System.arraycopy(mutant, 0, file, 0, mutant.length);
      System.arraycopy(original, 600, file, mutant.length, original.length - 600);
      Path csv = dir.resolve("h" + i).resolve("t.csv");
      Files.createDirectories(csv.getParent());
      Files.write(csv, file);
      RunSummary s = summary();
      String table = "fuzz_header_" + i;
      try {
        assertTimeoutPreemptively(
            Duration.ofMinutes(3),
            () -> ingest.ingest(table, List.of(csv.toString()), null, null, s),
            "case " + i + ", " + why());
        s.checkBalanced();
      } catch (SynthweaveException e) {
        // A clear refusal (e.g. a header cell that names a bookkeeping column) is an answer.
        refused.add(i + ": " + e.getMessage());
      }
    }
    System.out.println("TableCsvFuzzTest refused header cases: " + refused);
    assertTrue(refused.size() < HEADER_CASES, refused + ", " + why());
  }
}
