package org.synthweave.market.browser;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * One headless Debian Chromium per test class, driven through Selenium and Debian's chromedriver.
 * Register it with {@code @RegisterExtension static final HeadlessChromium chromium = new
 * HeadlessChromium();} and use {@link #driver()} in the tests.
 *
 * <p>When {@code /usr/bin/chromium} or {@code /usr/bin/chromedriver} is missing (a fresh CI
 * machine), the first class that needs a browser runs {@code scripts/install-browser.sh} once for
 * the whole JVM. Both paths are given to Selenium explicitly, so Selenium Manager has nothing to
 * look up and never downloads a driver or a browser (the market pom also sets {@code SE_OFFLINE}
 * for it). Chromium runs with the flags this machine kind needs: no sandbox (tests run as root), no
 * GPU, and none of its background connections, which a closed network refuses.
 */
public final class HeadlessChromium implements BeforeAllCallback, AfterAllCallback {

  /** Debian's chromium. */
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  /** Debian's chromedriver (package chromium-driver), the same version as {@link #CHROMIUM}. */
  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private static final int WIDTH = 1280;
  private static final int HEIGHT = 900;
  private static final int MAX_SCREENSHOT_HEIGHT = 8000;

  /** Result of the one install attempt in this JVM; null until a class first asks. */
  private static InstallResult install;

  private Path userDataDir;
  private ChromeDriverService service;
  private ChromeDriver driver;

  /** The browser of the running test class. */
  public WebDriver driver() {
    if (driver == null) {
      throw new IllegalStateException(
          "no browser: HeadlessChromium starts one in beforeAll; register it as a static"
              + " @RegisterExtension field");
    }
    return driver;
  }

  /**
   * The browser console's messages since the last call (Chromium's log, as {@code LEVEL message});
   * a Content-Security-Policy violation shows here as a SEVERE message naming the policy.
   */
  public List<String> console() {
    List<String> lines = new ArrayList<>();
    for (LogEntry e : driver().manage().logs().get(LogType.BROWSER)) {
      lines.add(e.getLevel() + " " + e.getMessage());
    }
    return lines;
  }

  /**
   * Lays pages out in a viewport {@code cssWidth} CSS pixels wide, as on a phone (Chrome's device
   * metrics override, as a narrow desktop window: a mobile layout viewport would first be 980
   * pixels wide until the page's viewport meta applies), until {@link #clearEmulation()}.
   */
  public void emulateWidth(int cssWidth) {
    ((ChromeDriver) driver())
        .executeCdpCommand(
            "Emulation.setDeviceMetricsOverride",
            Map.of("width", cssWidth, "height", 844, "deviceScaleFactor", 1, "mobile", false));
  }

  /** Back to the window's own size after {@link #emulateWidth}. */
  public void clearEmulation() {
    ((ChromeDriver) driver()).executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
  }

  /** Runs a script in the page and returns its result (Selenium's conversion). */
  public Object script(String script, Object... args) {
    return ((JavascriptExecutor) driver()).executeScript(script, args);
  }

  /**
   * Saves a PNG of the whole page (not only the window, up to 8000 CSS pixels down) to {@code
   * file}, creating its folder. Chrome's own capture beyond the viewport, as Puppeteer's full-page
   * shots.
   */
  public Path screenshot(Path file) {
    ChromeDriver d = (ChromeDriver) driver();
    Map<String, Object> metrics = d.executeCdpCommand("Page.getLayoutMetrics", Map.of());
    // The content, but never less than the window. A shot beyond the viewport lays the page out
    // without a vertical scroll bar, so it is as wide as the whole window, not its client area.
    Object window = script("return window.innerWidth;");
    double width =
        Math.max(
            size(metrics, "cssContentSize", "width"),
            window instanceof Number n ? n.doubleValue() : WIDTH);
    double height =
        Math.max(
            size(metrics, "cssContentSize", "height"),
            size(metrics, "cssLayoutViewport", "clientHeight"));
    height = Math.min(MAX_SCREENSHOT_HEIGHT, height);
    Map<String, Object> shot =
        d.executeCdpCommand(
            "Page.captureScreenshot",
            Map.of(
                "format",
                "png",
                "captureBeyondViewport",
                true,
                "clip",
                Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
    byte[] png = Base64.getDecoder().decode((String) shot.get("data"));
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.write(file, png);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the screenshot " + file, e);
    }
  }

  private static double size(Map<String, Object> metrics, String box, String field) {
    return metrics.get(box) instanceof Map<?, ?> m && m.get(field) instanceof Number n
        ? n.doubleValue()
        : 1;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    ensureInstalled();
    userDataDir = Files.createTempDirectory("synthweave-chromium-");
    Path log = moduleTarget().resolve("chromedriver-" + context.getDisplayName() + ".log");
    Files.createDirectories(log.getParent());
    long start = System.nanoTime();
    service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withLogFile(log.toFile())
            .build();
    try {
      driver = new ChromeDriver(service, options(userDataDir));
    } catch (RuntimeException e) {
      service.stop();
      deleteQuietly(userDataDir);
      throw new IllegalStateException(
          "Chromium did not start for "
              + context.getDisplayName()
              + ": "
              + e.getMessage()
              + ". chromedriver's log is "
              + log
              + "; check that '"
              + CHROMIUM
              + " --headless --no-sandbox --dump-dom about:blank' works on this machine",
          e);
    }
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    System.out.printf(
        "HeadlessChromium: %s started for %s in %d ms%n",
        driver.getCapabilities().getBrowserVersion(),
        context.getDisplayName(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    try {
      if (driver != null) {
        driver.quit();
      }
    } finally {
      driver = null;
      if (service != null) {
        service.stop();
        service = null;
      }
      deleteQuietly(userDataDir);
    }
  }

  private static ChromeOptions options(Path userDataDir) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
    options.addArguments(
        List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            // the page's viewport, whatever frame headless Chromium reserves around it
            "--window-size=" + WIDTH + "," + HEIGHT,
            "--lang=en-US",
            "--user-data-dir=" + userDataDir));
    return options;
  }

  /**
   * Installs Chromium and chromedriver with the project's script when either is missing; once per
   * JVM, and a failed install fails every later class the same way without trying again.
   */
  static synchronized void ensureInstalled() {
    if (install == null) {
      install = runInstall();
      if (install.millis() > 0) {
        System.out.printf("HeadlessChromium: install-browser.sh took %d ms%n", install.millis());
      }
    }
    if (install.failure() != null) {
      throw new IllegalStateException(install.failure());
    }
    // Selenium reads this before it would ask Selenium Manager for a driver.
    System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
  }

  private record InstallResult(long millis, String failure) {}

  private static InstallResult runInstall() {
    if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
      return new InstallResult(0, null);
    }
    Path script = repoRoot().resolve("scripts/install-browser.sh");
    if (!Files.isRegularFile(script)) {
      return new InstallResult(
          0,
          CHROMIUM
              + " or "
              + CHROMEDRIVER
              + " is missing and the install script "
              + script
              + " is not there; run the tests from the project's checkout (the system property"
              + " synthweave.repo.root names its root)");
    }
    Path log = moduleTarget().resolve("install-browser.log");
    long start = System.nanoTime();
    try {
      Files.createDirectories(log.getParent());
      Process p =
          new ProcessBuilder("bash", script.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!p.waitFor(15, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        return new InstallResult(
            0, script + " did not finish in 15 minutes; its output is in " + log);
      }
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      if (p.exitValue() != 0) {
        return new InstallResult(
            millis,
            script
                + " failed with exit code "
                + p.exitValue()
                + ", so the browser tests cannot run. Its output ends with:\n"
                + tail(log, 12)
                + "\nFix the cause above, or install the packages by hand: apt-get install -y"
                + " chromium chromium-driver");
      }
      return new InstallResult(millis, null);
    } catch (IOException e) {
      return new InstallResult(0, "could not run " + script + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new InstallResult(0, "interrupted while running " + script);
    }
  }

  private static String tail(Path log, int lines) throws IOException {
    List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /** The project's root: the surefire property, else the nearest folder up with the script. */
  public static Path repoRoot() {
    String root = System.getProperty("synthweave.repo.root");
    if (root != null && !root.isBlank()) {
      return Path.of(root);
    }
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("scripts/install-browser.sh"))) {
        return d;
      }
    }
    return dir;
  }

  private static Path moduleTarget() {
    return Path.of(System.getProperty("user.dir"), "target");
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException | UncheckedIOException e) {
      // A leftover profile in the temp folder is harmless; the next class uses a fresh one.
    }
  }
}
