package org.synthweave.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Jupyter kernel spec ({@code kernel.json}) of the notebooks' Java kernel,
 * rapaio-jupyter-kernel.
 *
 * <p>The kernel runs cells in its own JVM, in process (JShell's direct execution), so that JVM
 * needs what {@code bin/synthweave} gives the CLI's: Spark's {@code --add-opens} flags, a heap
 * size, {@code SPARK_LOCAL_IP} and {@code synthweave.home}. The project jar and Spark go on the
 * JVM's class path, not only into {@code RJK_CLASSPATH}: the kernel adds {@code RJK_CLASSPATH}
 * entries to JShell's own class loader, whose classes Spark cannot find by name through the
 * thread's context class loader (the Delta session extension, codecs, data sources); on the
 * application class path there is one copy that both see. {@code RJK_CLASSPATH} still lists them,
 * because JShell compiles cells against it.
 */
record KernelSpec(List<String> argv, String displayName, Map<String, String> env) {
  /** The kernel's name: its folder under {@code <JUPYTER_PATH>/kernels/}. */
  static final String NAME = "synthweave-java";

  static final String DISPLAY_NAME = "Java (synthweave)";

  /**
   * The kernel's main class: our launcher, which starts rapaio's {@code MainApp} so that Jupyter's
   * first requests wait until it can answer them.
   */
  static final String MAIN_CLASS = NotebookKernelLauncher.class.getName();

  KernelSpec {
    argv = List.copyOf(argv);
    env = Map.copyOf(env);
  }

  /**
   * The spec for {@code java} with {@code jvmOptions} (the add-opens flags, the heap and system
   * properties), the {@code classpath} entries (jars, folders, or a folder's {@code dir/*}
   * wildcard) and then the kernel jar on the JVM's class path, and {@code env} for the kernel
   * process.
   */
  static KernelSpec of(
      Path java,
      List<String> jvmOptions,
      Path kernelJar,
      List<String> classpath,
      Map<String, String> env) {
    List<String> argv = new ArrayList<>();
    argv.add(java.toString());
    argv.addAll(jvmOptions);
    // The kernel jar last: it bundles commons-codec, commons-logging and ASM unrelocated, and
    // Spark's own versions of these must win for Spark.
    List<String> cp = new ArrayList<>(classpath);
    cp.add(kernelJar.toString());
    argv.add("-cp");
    argv.add(String.join(File.pathSeparator, cp));
    argv.add(MAIN_CLASS);
    argv.add("{connection_file}");
    Map<String, String> all = new LinkedHashMap<>();
    all.put("RJK_CLASSPATH", rjkClasspath(classpath));
    // no cell timeout in the kernel: nbconvert --ExecutePreprocessor.timeout bounds a cell in CI
    all.put("RJK_TIMEOUT_MILLIS", "-1");
    all.putAll(env);
    return new KernelSpec(argv, DISPLAY_NAME, all);
  }

  /**
   * The kernel's {@code RJK_CLASSPATH}: entries separated by ';', each a glob, so a {@code dir/*}
   * class path wildcard becomes {@code dir/*.jar}.
   */
  static String rjkClasspath(List<String> classpath) {
    List<String> out = new ArrayList<>();
    for (String entry : classpath) {
      out.add(entry.endsWith(File.separator + "*") ? entry + ".jar" : entry);
    }
    return String.join(";", out);
  }

  /** The {@code kernel.json} text. */
  String json() {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("argv", argv);
    spec.put("display_name", displayName);
    spec.put("language", "java");
    spec.put("interrupt_mode", "message");
    spec.put("env", new java.util.TreeMap<>(env));
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(spec)
          + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings is always JSON", e);
    }
  }

  /**
   * Writes {@code <jupyterPath>/kernels/synthweave-java/kernel.json}, where Jupyter finds it when
   * {@code JUPYTER_PATH} includes {@code jupyterPath}; returns the file.
   */
  Path writeTo(Path jupyterPath) {
    Path file = jupyterPath.resolve("kernels").resolve(NAME).resolve("kernel.json");
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, json(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the kernel spec " + file, e);
    }
    return file;
  }
}
