package org.synthweave.market.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The harness itself, against a tiny page from the JDK's HTTP server: the browser loads it, runs
 * its (external, CSP-allowed) script on a click, reports an alert when one fires and none when none
 * does, and takes a screenshot that shows what the page painted.
 */
class HeadlessChromiumTest {

  @RegisterExtension static final HeadlessChromium chromium = new HeadlessChromium();

  private static final Map<String, String> PAGES =
      Map.of(
          "/",
          """
          <!doctype html>
          <html><head><meta charset="utf-8"><title>harness page</title>
          <link rel="stylesheet" href="/app.css">
          <script src="/app.js" defer></script></head>
          <body>
          <div id="band"></div>
          <button id="go">go</button> <button id="warn">warn</button>
          <p id="out">before</p>
          </body></html>
          """,
          "/inline",
          """
          <!doctype html>
          <html><head><meta charset="utf-8"><title>inline style</title></head>
          <body><p style="color:red">styled inline</p></body></html>
          """,
          "/app.css",
          """
          body { margin: 0; }
          #band { height: 100px; background: #ff0000; }
          """,
          "/app.js",
          """
          document.getElementById('go').addEventListener('click', () => {
            document.getElementById('out').textContent = 'clicked';
          });
          document.getElementById('warn').addEventListener('click', () => alert('harness'));
          """);

  private static HttpServer server;
  private static String base;

  @BeforeAll
  static void serve() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", HeadlessChromiumTest::page);
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  private static void page(HttpExchange exchange) throws IOException {
    String body = PAGES.get(exchange.getRequestURI().getPath());
    byte[] bytes = (body == null ? "not found" : body).getBytes(StandardCharsets.UTF_8);
    String path = exchange.getRequestURI().getPath();
    String type =
        path.endsWith(".js")
            ? "text/javascript"
            : path.endsWith(".css") ? "text/css" : "text/html; charset=utf-8";
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'");
    exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Test
  void loadsThePageAndRunsItsScriptOnAClick() {
    WebDriver driver = chromium.driver();
    driver.get(base + "/");
    assertEquals("harness page", driver.getTitle());
    assertEquals("before", driver.findElement(By.id("out")).getText());

    driver.findElement(By.id("go")).click();

    new WebDriverWait(driver, Duration.ofSeconds(5))
        .until(ExpectedConditions.textToBe(By.id("out"), "clicked"));
  }

  @Test
  void tellsAnAlertFromNone() {
    WebDriver driver = chromium.driver();
    driver.get(base + "/");
    assertThrows(NoAlertPresentException.class, () -> driver.switchTo().alert());

    driver.findElement(By.id("warn")).click();

    Alert alert = new WebDriverWait(driver, Duration.ofSeconds(5)).until(d -> d.switchTo().alert());
    assertEquals("harness", alert.getText());
    alert.accept();
  }

  @Test
  void consoleReportsAContentSecurityPolicyViolation() {
    WebDriver driver = chromium.driver();
    driver.get(base + "/");
    chromium.console();
    assertTrue(
        chromium.console().stream().noneMatch(l -> l.contains("Content Security Policy")),
        "the harness page keeps its own policy");

    driver.get(base + "/inline");

    List<String> console = chromium.console();
    assertTrue(
        console.stream()
            .anyMatch(l -> l.startsWith("SEVERE") && l.contains("Content Security Policy")),
        console.toString());
  }

  @Test
  void screenshotShowsWhatThePagePainted() throws IOException {
    chromium.driver().get(base + "/");
    Path file = Path.of("target", "browser-smoke", "harness.png");

    chromium.screenshot(file);

    BufferedImage png = ImageIO.read(file.toFile());
    assertEquals(1280, png.getWidth());
    assertTrue(png.getHeight() >= 100, "height " + png.getHeight());
    assertEquals(0xff0000, png.getRGB(640, 50) & 0xffffff, "the red band at the top");
    assertEquals(0xffffff, png.getRGB(640, png.getHeight() - 10) & 0xffffff, "white below");
  }
}
