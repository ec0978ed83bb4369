package org.synthweave.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.core.SynthweaveException;
import org.synthweave.core.testing.SparkTestBase;

/**
 * The kernel spec {@code synthweave notebook} writes (its argv and environment), and the command's
 * one-line errors; no Jupyter is started here (NotebooksTest does that).
 */
class NotebookCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void kernelSpecStartsTheLauncherWithSparksFlagsAndTheProjectOnTheClassPath(@TempDir Path dir)
      throws Exception {
    Path jar = dir.resolve("synthweave.jar");
    Path lib = dir.resolve("spark-lib");
    Path kernelJar = dir.resolve("rapaio-jupyter-kernel-3.0.1.jar");
    KernelSpec spec =
        KernelSpec.of(
            Path.of("/opt/jdk/bin/java"),
            List.of("--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx3g"),
            kernelJar,
            List.of(jar.toString(), lib + File.separator + "*"),
            Map.of("SYNTHWEAVE_WAREHOUSE", "/data/wh"));
    Path file = spec.writeTo(dir.resolve("share"));
    assertEquals(dir.resolve("share/kernels/synthweave-java/kernel.json"), file);

    JsonNode json = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
    List<String> argv = new ArrayList<>();
    json.path("argv").forEach(a -> argv.add(a.asText()));
    assertEquals(
        List.of(
            "/opt/jdk/bin/java",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "-Xmx3g",
            "-cp",
            String.join(
                File.pathSeparator,
                jar.toString(),
                lib + File.separator + "*",
                kernelJar.toString()),
            NotebookKernelLauncher.class.getName(),
            "{connection_file}"),
        argv);
    assertEquals("Java (synthweave)", json.path("display_name").asText());
    assertEquals("java", json.path("language").asText());
    JsonNode env = json.path("env");
    // the kernel's own class path: ';'-separated globs, the folder wildcard as *.jar
    assertEquals(jar + ";" + lib + File.separator + "*.jar", env.path("RJK_CLASSPATH").asText());
    assertEquals("/data/wh", env.path("SYNTHWEAVE_WAREHOUSE").asText());
  }

  @Test
  void theCheckoutsSpecHasEveryOpensFlagOfThePomAndTheNotebookEnvironment(@TempDir Path dir) {
    Path root = SparkTestBase.repoRoot();
    Notebooks nb = Notebooks.at(root);
    List<String> opens = nb.sparkOpens();
    assertTrue(opens.contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"), opens.toString());
    assertTrue(opens.contains("-Dio.netty.tryReflectionSetAccessible=true"), opens.toString());
    assertTrue(opens.stream().allMatch(o -> o.startsWith("-")), opens.toString());

    String old = System.getProperty(Notebooks.CLASSPATH_PROPERTY);
    System.setProperty(Notebooks.CLASSPATH_PROPERTY, "/a/classes" + File.pathSeparator + "/b.jar");
    try {
      Path conf = dir.resolve("job.conf");
      KernelSpec spec = nb.kernelSpec(nb.notebookEnv("/data/wh", conf, "http://127.0.0.1:1984"));
      List<String> argv = spec.argv();
      assertTrue(argv.get(0).endsWith("/bin/java"), argv.get(0));
      assertTrue(argv.containsAll(opens), argv.toString());
      assertTrue(
          argv.contains("-Dsynthweave.home=" + root.toAbsolutePath().normalize()), argv.toString());
      assertTrue(argv.contains("-Djava.awt.headless=true"), argv.toString());
      assertTrue(argv.stream().anyMatch(a -> a.startsWith("-Xmx")), argv.toString());
      String cp = argv.get(argv.indexOf("-cp") + 1);
      assertTrue(
          cp.startsWith("/a/classes" + File.pathSeparator + "/b.jar" + File.pathSeparator), cp);
      assertTrue(cp.matches(".*notebook-lib/rapaio-jupyter-kernel-[^/]*\\.jar"), cp);
      assertEquals("/a/classes;/b.jar", spec.env().get("RJK_CLASSPATH"));
      assertEquals("/data/wh", spec.env().get("SYNTHWEAVE_WAREHOUSE"));
      assertEquals(root.toAbsolutePath().normalize().toString(), spec.env().get("SYNTHWEAVE_HOME"));
      assertEquals(conf.toAbsolutePath().toString(), spec.env().get("SYNTHWEAVE_CONF"));
      assertEquals("http://127.0.0.1:1984", spec.env().get("SYNTHWEAVE_GATEWAY"));
      assertEquals("127.0.0.1", spec.env().get("SPARK_LOCAL_IP"));
    } finally {
      if (old == null) {
        System.clearProperty(Notebooks.CLASSPATH_PROPERTY);
      } else {
        System.setProperty(Notebooks.CLASSPATH_PROPERTY, old);
      }
    }
    // no --conf, no gateway: the variables are unset, not empty
    Map<String, String> env = nb.notebookEnv("/data/wh", null, null);
    assertFalse(env.containsKey("SYNTHWEAVE_CONF"), env.toString());
    assertFalse(env.containsKey("SYNTHWEAVE_GATEWAY"), env.toString());
  }

  @Test
  void theFirstCellWithAnErrorIsNamedByItsNumber(@TempDir Path dir) throws Exception {
    Path executed = dir.resolve("x.ipynb");
    Files.writeString(
        executed,
        "{\"cells\":[{\"cell_type\":\"markdown\",\"source\":\"intro\"},"
            + "{\"cell_type\":\"code\",\"outputs\":[{\"output_type\":\"stream\",\"text\":\"ok\"}]},"
            + "{\"cell_type\":\"code\",\"outputs\":[{\"output_type\":\"error\","
            + "\"ename\":\"java.lang.IllegalArgumentException\","
            + "\"evalue\":\"\\u001b[31mThere is no table gold/x\\nTables: silver/wine\\u001b[0m\","
            + "\"traceback\":[]}]},"
            + "{\"cell_type\":\"code\",\"outputs\":[{\"output_type\":\"error\",\"ename\":\"E\","
            + "\"evalue\":\"later\"}]}],\"nbformat\":4,\"nbformat_minor\":4}",
        StandardCharsets.UTF_8);
    NotebookExecuteCommand.CellError e = NotebookExecuteCommand.firstError(executed);
    assertEquals(3, e.cell());
    assertEquals(
        "java.lang.IllegalArgumentException: There is no table gold/x | Tables: silver/wine",
        e.message());

    Files.writeString(
        executed,
        "{\"cells\":[{\"cell_type\":\"code\",\"outputs\":[]}],\"nbformat\":4}",
        StandardCharsets.UTF_8);
    assertNull(NotebookExecuteCommand.firstError(executed));
  }

  @Test
  void aMissingOrWrongNotebookFileIsOneLine(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("missing.ipynb");
    CliRun r = CliRun.inWarehouse(dir.resolve("wh"), "notebook", "execute", missing.toString());
    assertEquals(2, r.code(), r.out() + r.err());
    assertEquals(
        "synthweave: The notebook "
            + missing
            + " does not exist or is not a .ipynb file. Pass a notebook file, e.g."
            + " notebooks/00-kernel-check.ipynb, or none to execute every notebook in"
            + " notebooks/.",
        r.err().strip());

    Path text = Files.writeString(dir.resolve("notes.txt"), "not a notebook");
    r = CliRun.inWarehouse(dir.resolve("wh"), "notebook", "execute", text.toString());
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("notes.txt does not exist or is not a .ipynb file"), r.err());
  }

  @Test
  void badOptionsAreOneLine(@TempDir Path dir) {
    CliRun r = CliRun.inWarehouse(dir.resolve("wh"), "notebook", "--gateway", "ftp://x", "execute");
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().startsWith("synthweave: "), r.err());
    assertTrue(r.err().contains("--gateway"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());

    r = CliRun.inWarehouse(dir.resolve("wh"), "notebook", "execute", "--timeout", "0");
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("--timeout"), r.err());
  }

  @Test
  void aFolderWithoutNotebooksSaysWhere(@TempDir Path dir) {
    SynthweaveException e = assertThrows(SynthweaveException.class, () -> Notebooks.at(dir).all());
    assertTrue(
        e.getMessage()
            .startsWith("There are no notebooks (*.ipynb) in " + dir.resolve("notebooks")),
        e.getMessage());
  }

  @Test
  void helpNamesTheCommandAndItsExecuteSubcommand() {
    CliRun top = CliRun.of("--help");
    assertTrue(top.out().contains("notebook"), top.out());
    CliRun help = CliRun.of("notebook", "--help");
    assertEquals(0, help.code(), help.err());
    assertTrue(help.out().contains("execute"), help.out());
    assertTrue(help.out().contains("--port"), help.out());
    CliRun exec = CliRun.of("notebook", "execute", "--help");
    assertEquals(0, exec.code(), exec.err());
    assertTrue(exec.out().contains("--html"), exec.out());
    assertTrue(exec.out().contains("--timeout"), exec.out());
  }
}
