package org.synthweave.jobs;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code synthweave notebook} needs around Jupyter: the checkout it runs from (its {@code
 * notebooks/} folder, the kernel jar and the project's jars under {@code jobs/target}), Debian's
 * Jupyter (installed by {@code scripts/install-jupyter.sh} when missing), the kernel spec in a
 * project-local {@code JUPYTER_PATH}, and the environment that notebooks read their parameters from
 * ({@code SYNTHWEAVE_WAREHOUSE} and the others, see {@code notebooks/README.md}).
 */
final class Notebooks {
  /** Debian's Jupyter, by absolute path: a pyenv or virtualenv {@code jupyter} may be first. */
  static final Path JUPYTER = Paths.get("/usr/bin/jupyter");

  static final Path JUPYTER_NOTEBOOK = Paths.get("/usr/bin/jupyter-notebook");
  static final Path JUPYTER_NBCONVERT = Paths.get("/usr/bin/jupyter-nbconvert");
  static final String INSTALL_SCRIPT = "scripts/install-jupyter.sh";

  /** The kernel JVM's heap unless {@code SYNTHWEAVE_NOTEBOOK_HEAP} says otherwise. */
  static final String DEFAULT_HEAP = "-Xmx3g";

  /**
   * A path-separated class path for the kernel instead of {@code jobs/target/synthweave.jar} and
   * {@code spark-lib/*}: the tests run before the jar is packaged and pass their own class path.
   */
  static final String CLASSPATH_PROPERTY = "synthweave.notebook.classpath";

  // the environment variables notebooks may rely on (notebooks/README.md lists them)
  static final String ENV_WAREHOUSE = "SYNTHWEAVE_WAREHOUSE";
  static final String ENV_HOME = "SYNTHWEAVE_HOME";
  static final String ENV_CONF = "SYNTHWEAVE_CONF";
  static final String ENV_GATEWAY = "SYNTHWEAVE_GATEWAY";

  private static final Pattern OPENS =
      Pattern.compile("<spark\\.jvm\\.opens>(.*?)</spark\\.jvm\\.opens>", Pattern.DOTALL);

  final Path home;

  private Notebooks(Path home) {
    this.home = home;
  }

  /**
   * The checkout this runs from: {@code synthweave.home} (bin/synthweave sets it), the tests'
   * {@code synthweave.repo.root}, else the nearest folder up from here with {@code
   * notebooks/README.md}.
   */
  static Notebooks fromCheckout() {
    for (String prop : List.of("synthweave.home", "synthweave.repo.root")) {
      String v = System.getProperty(prop);
      if (v != null && !v.isBlank() && Files.isRegularFile(Paths.get(v, "pom.xml"))) {
        return new Notebooks(Paths.get(v).toAbsolutePath().normalize());
      }
    }
    for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("notebooks/README.md"))) {
        return new Notebooks(p);
      }
    }
    throw JobErrors.notebookNoCheckout(Paths.get("").toAbsolutePath());
  }

  static Notebooks at(Path home) {
    return new Notebooks(home.toAbsolutePath().normalize());
  }

  Path notebookDir() {
    return home.resolve("notebooks");
  }

  /** Where the kernel spec, Jupyter's runtime files and executed notebooks go. */
  Path workDir() {
    return home.resolve("jobs/target/jupyter");
  }

  /** The notebooks in {@code notebooks/}, by name. */
  List<Path> all() {
    Path dir = notebookDir();
    List<Path> found = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.ipynb")) {
        s.forEach(found::add);
      } catch (IOException e) {
        throw JobErrors.noNotebooks(dir);
      }
    }
    if (found.isEmpty()) {
      throw JobErrors.noNotebooks(dir);
    }
    found.sort(null);
    return found;
  }

  // ---- Jupyter ----

  static boolean jupyterInstalled() {
    return Files.isExecutable(JUPYTER_NOTEBOOK) && Files.isExecutable(JUPYTER_NBCONVERT);
  }

  /**
   * Installs Debian's Jupyter with {@code scripts/install-jupyter.sh} when it is missing; the
   * script's output goes to {@code err}. Refuses, naming the sudo command, when it is not root.
   */
  void ensureJupyter(PrintStream err) {
    if (jupyterInstalled()) {
      return;
    }
    Path script = home.resolve(INSTALL_SCRIPT);
    if (!Files.isRegularFile(script)) {
      throw JobErrors.noJupyter(script);
    }
    err.println("notebook: Jupyter is missing; running " + script);
    err.flush();
    int code;
    try {
      Process p = new ProcessBuilder("bash", script.toString()).inheritIO().start();
      p.getOutputStream().close();
      code = p.waitFor();
    } catch (IOException e) {
      throw JobErrors.jupyterInstallFailed(script, -1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw JobErrors.jupyterInstallFailed(script, -1);
    }
    if (code == 2) {
      throw JobErrors.jupyterNeedsRoot(script);
    }
    if (code != 0 || !jupyterInstalled()) {
      throw JobErrors.jupyterInstallFailed(script, code);
    }
  }

  // ---- the kernel ----

  /** The kernel jar that the build copies to {@code jobs/target/notebook-lib}. */
  Path kernelJar() {
    Path dir = home.resolve("jobs/target/notebook-lib");
    if (Files.isDirectory(dir)) {
      try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "rapaio-jupyter-kernel-*.jar")) {
        for (Path p : s) {
          return p;
        }
      } catch (IOException e) {
        // reported below
      }
    }
    throw JobErrors.notebookNotBuilt(dir);
  }

  /** The project's classes and Spark, for the kernel's JVM. */
  List<String> kernelClasspath() {
    String override = System.getProperty(CLASSPATH_PROPERTY);
    if (override != null && !override.isBlank()) {
      return List.of(override.split(Pattern.quote(File.pathSeparator)));
    }
    Path jar = home.resolve("jobs/target/synthweave.jar");
    Path lib = home.resolve("jobs/target/spark-lib");
    if (!Files.isRegularFile(jar) || !Files.isDirectory(lib)) {
      throw JobErrors.notebookNotBuilt(jar);
    }
    return List.of(jar.toString(), lib + File.separator + "*");
  }

  /**
   * Spark's {@code --add-opens} flags: the root pom's {@code spark.jvm.opens}, as bin/synthweave.
   */
  List<String> sparkOpens() {
    Path pom = home.resolve("pom.xml");
    try {
      Matcher m = OPENS.matcher(Files.readString(pom, StandardCharsets.UTF_8));
      if (m.find()) {
        return List.of(m.group(1).trim().split("\\s+"));
      }
    } catch (IOException e) {
      // reported below
    }
    throw JobErrors.notebookNoOpens(pom);
  }

  /** The kernel spec for this checkout, with {@code env} (the notebooks' parameters) in it. */
  KernelSpec kernelSpec(Map<String, String> env) {
    List<String> jvm = new ArrayList<>(sparkOpens());
    String heap = System.getenv("SYNTHWEAVE_NOTEBOOK_HEAP");
    jvm.add(heap == null || heap.isBlank() ? DEFAULT_HEAP : "-Xmx" + heap);
    jvm.add("-Djava.awt.headless=true");
    jvm.add("-Dsynthweave.home=" + home);
    jvm.add("-Dlog4j2.configurationFile=classpath:synthweave/log4j2.properties");
    Map<String, String> all = new LinkedHashMap<>(env);
    all.put("SPARK_LOCAL_IP", "127.0.0.1");
    all.put("RJK_MIMA_CACHE", workDir().resolve("mima-cache").toString());
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    return KernelSpec.of(java, jvm, kernelJar(), kernelClasspath(), all);
  }

  /**
   * The notebooks' parameters: the resolved warehouse, the checkout, the job config file when one
   * was given, and the gateway's URL when there is one.
   */
  Map<String, String> notebookEnv(String warehouse, Path confFile, String gateway) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(ENV_WAREHOUSE, warehouse);
    env.put(ENV_HOME, home.toString());
    if (confFile != null) {
      env.put(ENV_CONF, confFile.toAbsolutePath().toString());
    }
    if (gateway != null) {
      env.put(ENV_GATEWAY, gateway);
    }
    return env;
  }

  /**
   * A Jupyter process builder: Debian's Jupyter with the kernel spec written under {@code
   * workDir()/share} first on {@code JUPYTER_PATH}, its config and runtime files under {@code
   * workDir()} too (nothing in the user's home), and the notebooks' parameters in the environment.
   */
  ProcessBuilder jupyter(KernelSpec spec, List<String> args) {
    Path share = workDir().resolve("share");
    spec.writeTo(share);
    List<String> cmd = new ArrayList<>();
    cmd.add(JUPYTER.toString());
    cmd.addAll(args);
    // Not a closed stdin: the kernel inherits it and exits at once on a closed one.
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Map<String, String> env = pb.environment();
    String old = env.get("JUPYTER_PATH");
    env.put("JUPYTER_PATH", share + (old == null || old.isBlank() ? "" : File.pathSeparator + old));
    env.put("JUPYTER_CONFIG_DIR", workDir().resolve("config").toString());
    env.put("JUPYTER_RUNTIME_DIR", workDir().resolve("runtime").toString());
    // Debian's Python, not a pyenv or virtualenv one that PYTHONPATH or PYTHONHOME point into
    env.remove("PYTHONPATH");
    env.remove("PYTHONHOME");
    env.putAll(spec.env());
    return pb;
  }

  /** Waits for {@code p}, killing it and its children when this thread is interrupted. */
  static int waitFor(Process p, long timeoutSeconds) throws InterruptedException {
    try {
      if (timeoutSeconds > 0 && !p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        stop(p);
        return -1;
      }
      return p.waitFor();
    } catch (InterruptedException e) {
      stop(p);
      throw e;
    }
  }

  /** Stops {@code p} and what it started (Jupyter's kernels). */
  static void stop(Process p) {
    p.descendants().forEach(ProcessHandle::destroy);
    p.destroy();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
    } catch (InterruptedException e) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
