package org.synthweave.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.core.testing.SparkTestBase;

/**
 * Every {@code notebooks/*.ipynb} executed headless by {@code synthweave notebook execute}
 * (Debian's Jupyter, the Java kernel with Spark) on the warehouse of the shared {@link SampleRun},
 * as CI does; and a notebook whose cell throws fails the command, naming the notebook and the cell.
 * Jupyter is installed with scripts/install-jupyter.sh when it is missing (by the command itself).
 * The kernel gets this JVM's test class path: the tests run before the jar is packaged.
 */
class NotebooksTest {
  private static String oldClasspath;

  @BeforeAll
  static void kernelClasspath() {
    oldClasspath = System.getProperty(Notebooks.CLASSPATH_PROPERTY);
    String cp = System.getProperty("surefire.test.class.path");
    if (cp == null || cp.isBlank()) {
      cp = System.getProperty("java.class.path");
    }
    // only what exists: surefire's list may name folders a module does not have
    String existing =
        String.join(
            File.pathSeparator,
            java.util.Arrays.stream(cp.split(File.pathSeparator))
                .filter(p -> !p.isBlank() && Files.exists(Path.of(p)))
                .toList());
    System.setProperty(Notebooks.CLASSPATH_PROPERTY, existing);
  }

  @AfterAll
  static void restore() {
    if (oldClasspath == null) {
      System.clearProperty(Notebooks.CLASSPATH_PROPERTY);
    } else {
      System.setProperty(Notebooks.CLASSPATH_PROPERTY, oldClasspath);
    }
  }

  @Test
  void everyNotebookRunsOnTheSampleRunsWarehouse() throws Exception {
    Path root = SparkTestBase.repoRoot();
    List<Path> notebooks = Notebooks.at(root).all();
    for (Path nb : notebooks) {
      assertNoOutputs(nb);
    }
    SampleRun run = SampleRun.get();
    assertEquals(0, run.first().code(), run.first().out() + run.first().err());

    CliRun r = CliRun.of("--conf", run.conf().toString(), "notebook", "execute");
    assertEquals(0, r.code(), r.out() + r.err());
    for (Path nb : notebooks) {
      assertTrue(r.out().contains("notebook: executed " + nb.getFileName()), r.out());
    }
    // The run published to its local gateway, so the notebooks got it in SYNTHWEAVE_GATEWAY.
    assertTrue(r.err().contains("local gateway: serving http://127.0.0.1:" + run.port()), r.err());

    // The kernel check read the run's tables and drew a PNG.
    Path executed = root.resolve("jobs/target/jupyter/executed/00-kernel-check.ipynb");
    String text = Files.readString(executed, StandardCharsets.UTF_8);
    assertTrue(text.contains("silver/wine"), text);
    assertTrue(text.contains("image/png"), text);
    assertTrue(text.contains("warehouse: " + run.warehouse()), text);
  }

  @Test
  void aFailingCellFailsTheCommandNamingNotebookAndCell(@TempDir Path dir) throws Exception {
    Path nb = dir.resolve("broken.ipynb");
    ObjectMapper json = new ObjectMapper();
    var root = json.createObjectNode();
    var cells = root.putArray("cells");
    var md = cells.addObject();
    md.put("cell_type", "markdown").putObject("metadata");
    md.put("source", "A notebook whose last cell throws.");
    for (String source :
        List.of("int answer = 42;", "throw new IllegalStateException(\"no table here\");")) {
      var c = cells.addObject();
      c.put("cell_type", "code").putNull("execution_count");
      c.putObject("metadata");
      c.putArray("outputs");
      c.put("source", source);
    }
    root.putObject("metadata");
    root.put("nbformat", 4).put("nbformat_minor", 4);
    json.writeValue(nb.toFile(), root);

    CliRun r =
        CliRun.inWarehouse(
            dir.resolve("wh"), "notebook", "execute", "--gateway", "none", nb.toString());
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(
        r.err().contains("Notebook broken.ipynb failed in cell 3: "), "cell 3 of 3: " + r.err());
    assertTrue(r.err().contains("IllegalStateException"), r.err());
    assertTrue(r.err().contains("no table here"), r.err());
    assertFalse(r.err().contains("\tat "), "one line, no stack trace: " + r.err());
  }

  /** Notebooks are committed without outputs: no output and no execution count in any cell. */
  private static void assertNoOutputs(Path nb) throws Exception {
    JsonNode root = new ObjectMapper().readTree(nb.toFile());
    int n = 0;
    for (JsonNode cell : root.path("cells")) {
      n++;
      if ("code".equals(cell.path("cell_type").asText())) {
        assertTrue(
            cell.path("outputs").isEmpty(), nb.getFileName() + " cell " + n + " has outputs");
        assertTrue(
            cell.path("execution_count").isNull(),
            nb.getFileName() + " cell " + n + " has an execution count");
      }
    }
    assertEquals(
        KernelSpec.NAME,
        root.path("metadata").path("kernelspec").path("name").asText(),
        nb.getFileName() + " names the synthweave kernel");
  }
}
