package org.synthweave.market.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.synthweave.embedding.text.EncoderOptions;
import org.synthweave.embedding.text.TextEncoder;
import org.synthweave.embedding.text.TextModel;
import org.synthweave.market.CatalogSearch;
import org.synthweave.market.Listing;
import org.synthweave.market.Listing.Kind;
import org.synthweave.market.ListingDetail;
import org.synthweave.market.ListingSource;
import org.synthweave.market.Preview;
import org.synthweave.market.browser.HeadlessChromium;

/**
 * The market page in a real headless Chromium: a {@link MarketServer} on an ephemeral port over
 * listings made here (one carrying script and HTML payloads in its title, description, keywords,
 * column names, file path and preview), the real hybrid search (all-MiniLM-L6-v2), and a listing
 * source answering from records made here. The browser types a query, applies a filter, opens
 * listings and reads the certificate and preview as a buyer sees them; the payload listing must
 * show its payloads as text, fire no alert and create no element.
 *
 * <p>Screenshots of each page go to {@code target/screenshots}, or to the folder the system
 * property {@code synthweave.screenshots} names; {@code docs/screenshots} holds the committed ones
 * (README of that folder says how to make them again).
 */
class MarketPageBrowserTest {
  private static final String SCRIPT = "<script>alert(1)</script>";
  private static final String IMG = "\"><img src=x onerror=alert(1)>";
  private static final String HOSTILE_TITLE = "Wine " + SCRIPT + IMG;

  private static final String WINE = id("wine");
  private static final String WHITE = id("white");
  private static final String HEART = id("heart");
  private static final String CARS = id("cars");
  private static final String HOSTILE = id("hostile");
  private static final String FORGED = id("forged");
  private static final String FORGED_REASON = "manifest signature does not verify";

  @RegisterExtension static final HeadlessChromium chromium = new HeadlessChromium();

  private static TextEncoder encoder;
  private static CatalogSearch search;
  private static MarketServer server;
  private static String base;

  @BeforeAll
  static void start() throws Exception {
    List<Listing> listings =
        List.of(
            listing(
                WINE,
                "wine",
                "Red wine physicochemical measurements",
                "Acidity, residual sugar and alcohol of Portuguese red wines with a sensory grade.",
                List.of("wine", "chemistry"),
                List.of("fixed_acidity", "residual_sugar", "alcohol", "quality"),
                Kind.SYNTHETIC,
                1599L,
                0.91,
                5),
            listing(
                WHITE,
                "white",
                "White wine tasting notes",
                "Vinho verde white wines: sulphates, pH, density and a tasting panel's score.",
                List.of("wine"),
                List.of("sulphates", "ph", "density", "score"),
                Kind.REAL,
                4898L,
                null,
                4),
            listing(
                HEART,
                "heart",
                "Cardiology clinic patients",
                "Cholesterol, blood pressure and chest pain type of clinic patients.",
                List.of("health"),
                List.of("age", "chol", "trestbps", "target"),
                Kind.REAL,
                303L,
                null,
                3),
            listing(
                CARS,
                "cars",
                "Used car prices",
                "Mileage, engine size and asking price of used cars.",
                List.of("cars", "prices"),
                List.of("mileage", "engine", "price"),
                Kind.AUGMENTED,
                12000L,
                null,
                7),
            listing(
                HOSTILE,
                "hostile",
                HOSTILE_TITLE,
                "A wine table. " + SCRIPT + " " + IMG,
                List.of(SCRIPT, IMG),
                List.of(SCRIPT, IMG, "alcohol"),
                Kind.SYNTHETIC,
                10L,
                0.5,
                9),
            unverified(
                listing(
                    FORGED,
                    "forged",
                    "Forged wine listing",
                    "Wine data whose manifest signature does not verify.",
                    List.of("wine"),
                    List.of("alcohol"),
                    Kind.SYNTHETIC,
                    50L,
                    0.99,
                    8),
                FORGED_REASON));
    Source source = new Source();
    source.add(detail(listings.get(0), "alcohol"), winePreview());
    source.add(detail(listings.get(5), "alcohol"), winePreview());
    source.add(
        detail(listings.get(4), SCRIPT),
        new Preview(
            HOSTILE,
            "data/part-00000.parquet",
            List.of(
                new Preview.Column(SCRIPT, Preview.Type.STRING),
                new Preview.Column(IMG, Preview.Type.DOUBLE)),
            List.of(List.of(IMG, 1.5), List.of(SCRIPT, 2.5))));
    encoder = TextEncoder.open(TextModel.ALL_MINILM_L6_V2, EncoderOptions.defaults());
    search = CatalogSearch.of(listings, encoder::encode);
    server =
        new MarketServer(
                listings, search::search, source, MarketServer.Options.defaults().withPort(0))
            .start();
    base = server.uri().toString().replaceAll("/$", "");
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (search != null) {
      search.close();
    }
    if (encoder != null) {
      encoder.close();
    }
  }

  /** Every page the tests visit keeps to its own Content-Security-Policy. */
  @AfterEach
  void noPolicyViolations() {
    List<String> violations =
        chromium.console().stream()
            .peek(l -> System.out.println("console: " + l))
            .filter(l -> l.contains("Content Security Policy"))
            .toList();
    assertEquals(List.of(), violations);
  }

  @Test
  void searchShowsTheExpectedListingFirst() {
    WebDriver driver = chromium.driver();
    driver.get(base + "/");
    assertTrue(driver.getTitle().contains("synthweave market"), driver.getTitle());
    assertEquals(5, results().size(), "a blank query lists every verified listing");
    screenshot("market-search.png");

    WebElement q = driver.findElement(By.id("q"));
    q.sendKeys("red wine acidity");
    driver.findElement(By.id("search-button")).click();

    waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("result-count"), "for"));
    assertEquals("red wine acidity", driver.findElement(By.id("q")).getAttribute("value"));
    List<WebElement> results = results();
    assertEquals(WINE, results.get(0).getAttribute("data-id"));
    WebElement first = results.get(0);
    assertEquals(
        "Red wine physicochemical measurements",
        first.findElement(By.cssSelector("a.result-title")).getText());
    // the badge is upper-cased by the style sheet; its text is lower case
    assertEquals(
        "verified", first.findElement(By.cssSelector(".badge")).getDomProperty("textContent"));
    assertEquals("synthetic", first.findElement(By.cssSelector("span.kind")).getText());
    assertEquals("1,599 rows", first.findElement(By.cssSelector("span.rows")).getText());
    assertTrue(first.findElement(By.cssSelector("a.result-title")).isDisplayed());
    screenshot("market-results.png");
  }

  @Test
  void kindFilterChangesTheResults() {
    WebDriver driver = chromium.driver();
    driver.get(base + "/?q=wine");
    Set<String> before = Set.copyOf(resultIds());
    assertTrue(before.containsAll(Set.of(WINE, WHITE, HOSTILE)), before.toString());

    new Select(driver.findElement(By.id("kind"))).selectByValue("synthetic");
    driver.findElement(By.id("search-button")).click();

    waitFor(ExpectedConditions.urlContains("kind=synthetic"));
    Set<String> after = Set.copyOf(resultIds());
    assertEquals(Set.of(WINE, HOSTILE), after);
    assertNotEquals(before, after);
    assertEquals(
        "synthetic",
        new Select(driver.findElement(By.id("kind")))
            .getFirstSelectedOption()
            .getAttribute("value"),
        "the filter stays chosen");
    for (WebElement r : results()) {
      assertEquals("synthetic", r.findElement(By.cssSelector("span.kind")).getText());
    }
  }

  @Test
  void listingPageShowsTheCertificateAndThePreview() {
    WebDriver driver = chromium.driver();
    driver.get(base + "/?q=" + "red+wine");
    driver.findElement(By.cssSelector("li.result[data-id='" + WINE + "'] a.result-title")).click();

    waitFor(ExpectedConditions.presenceOfElementLocated(By.id("listing-title")));
    assertEquals(base + "/listings/" + WINE, driver.getCurrentUrl());
    assertEquals(
        "Red wine physicochemical measurements",
        driver.findElement(By.id("listing-title")).getText());
    assertEquals(
        "verified",
        driver.findElement(By.cssSelector("#badge .badge")).getDomProperty("textContent"));

    WebElement checks = driver.findElement(By.id("checks"));
    assertTrue(checks.isDisplayed());
    List<WebElement> passed = checks.findElements(By.cssSelector("tr.check.check-pass"));
    List<WebElement> failed = checks.findElements(By.cssSelector("tr.check.check-fail"));
    assertEquals(2, passed.size());
    assertEquals(1, failed.size());
    WebElement fail = failed.get(0);
    assertEquals("completeness", fail.findElement(By.cssSelector("td.check-metric")).getText());
    assertEquals("alcohol", fail.findElement(By.cssSelector("td.check-column")).getText());
    assertEquals("0.98", fail.findElement(By.cssSelector("td.check-value")).getText());
    assertEquals(">= 0.99", fail.findElement(By.cssSelector("td.check-threshold")).getText());
    assertTrue(
        fail.findElement(By.cssSelector("td.check-outcome .badge-fail")).isDisplayed(),
        "a failed check shows a fail badge");
    assertTrue(
        passed.get(0).findElement(By.cssSelector("td.check-outcome .badge-pass")).isDisplayed());
    // the style sheet loaded under the CSP: pass and fail badges are painted differently
    assertNotEquals(
        passed.get(0).findElement(By.cssSelector(".badge-pass")).getCssValue("background-color"),
        fail.findElement(By.cssSelector(".badge-fail")).getCssValue("background-color"));

    assertEquals(
        3, driver.findElements(By.cssSelector("#fidelity svg.fidelity-plot rect.bar-real")).size());

    WebElement preview = driver.findElement(By.id("preview"));
    assertTrue(preview.isDisplayed());
    List<String> header =
        preview.findElements(By.cssSelector("thead th")).stream().map(WebElement::getText).toList();
    assertTrue(header.containsAll(List.of("id", "alcohol", "quality")), header.toString());
    List<WebElement> rows = preview.findElements(By.cssSelector("tbody tr"));
    assertEquals(2, rows.size());
    String firstRow = rows.get(0).getText();
    assertTrue(firstRow.contains("r1") && firstRow.contains("9.4"), firstRow);
    assertTrue(
        driver.findElement(By.id("get-command")).getText().startsWith("synthweave market get "));
    assertEquals(List.of(), brokenWords(), "table text broken inside a word");
    screenshot("market-listing.png");
  }

  @Test
  void payloadListingShowsItsPayloadAsText() {
    WebDriver driver = chromium.driver();
    driver.get(base + "/?q=wine");
    WebElement result = driver.findElement(By.cssSelector("li.result[data-id='" + HOSTILE + "']"));
    assertEquals(HOSTILE_TITLE, result.findElement(By.cssSelector(".result-title")).getText());
    assertTrue(
        result.findElement(By.cssSelector(".result-description")).getText().contains(SCRIPT));
    assertNothingRan(driver);

    result.findElement(By.cssSelector("a.result-title")).click();

    waitFor(ExpectedConditions.urlToBe(base + "/listings/" + HOSTILE));
    assertEquals(HOSTILE_TITLE, driver.findElement(By.id("listing-title")).getText());
    assertTrue(driver.getTitle().startsWith(HOSTILE_TITLE), driver.getTitle());
    assertEquals(
        "A wine table. " + SCRIPT + " " + IMG, driver.findElement(By.id("description")).getText());
    List<String> keywords =
        driver.findElements(By.cssSelector("#keywords li.keyword")).stream()
            .map(WebElement::getText)
            .toList();
    assertEquals(List.of(SCRIPT, IMG), keywords);
    List<String> columns =
        driver.findElements(By.cssSelector("#schema td.column-name")).stream()
            .map(WebElement::getText)
            .toList();
    assertEquals(List.of(SCRIPT, IMG, "alcohol"), columns);
    WebElement preview = driver.findElement(By.id("preview"));
    List<String> header =
        preview.findElements(By.cssSelector("thead th")).stream().map(WebElement::getText).toList();
    assertTrue(header.containsAll(List.of(SCRIPT, IMG)), header.toString());
    assertTrue(preview.getText().contains(IMG), preview.getText());
    assertTrue(
        driver.findElement(By.id("checks")).getText().contains(SCRIPT),
        "the column of a check is text too");
    assertNothingRan(driver);
    assertEquals(List.of(), brokenWords(), "table text broken inside a word");
    screenshot("market-payload-listing.png");
  }

  @Test
  void unverifiedListingsShowOnlyWhenAskedAndSayWhy() {
    WebDriver driver = chromium.driver();
    driver.get(base + "/?q=wine");
    assertFalse(resultIds().contains(FORGED), "unverified listings are hidden by default");

    driver.findElement(By.id("include-unverified")).click();
    driver.findElement(By.id("search-button")).click();

    waitFor(ExpectedConditions.urlContains("include_unverified=on"));
    assertTrue(driver.findElement(By.id("include-unverified")).isSelected());
    WebElement forged = driver.findElement(By.cssSelector("li.result[data-id='" + FORGED + "']"));
    assertEquals(
        "unverified",
        forged.findElement(By.cssSelector(".badge-unverified")).getDomProperty("textContent"));
    assertTrue(forged.findElement(By.cssSelector("p.reason")).getText().contains(FORGED_REASON));
    for (WebElement r : results()) {
      if (!r.getAttribute("data-id").equals(FORGED)) {
        assertTrue(r.findElements(By.cssSelector(".badge-unverified")).isEmpty());
      }
    }
    screenshot("market-results-unverified.png");

    forged.findElement(By.cssSelector("a.result-title")).click();

    waitFor(ExpectedConditions.presenceOfElementLocated(By.id("status-reason")));
    assertTrue(driver.findElement(By.id("status-reason")).getText().contains(FORGED_REASON));
    assertEquals(
        "unverified",
        driver.findElement(By.cssSelector("#badge .badge")).getDomProperty("textContent"));
    screenshot("market-unverified-listing.png");
  }

  @Test
  void unknownListingIsAnErrorPage() {
    WebDriver driver = chromium.driver();
    driver.get(base + "/listings/" + id("nothing-here"));
    assertTrue(
        driver.findElement(By.id("error-status")).getText().startsWith("404"),
        driver.findElement(By.id("error-status")).getText());
    assertTrue(driver.findElement(By.id("error")).isDisplayed());
    driver.findElement(By.cssSelector("main a[href='/']")).click();
    waitFor(ExpectedConditions.presenceOfElementLocated(By.id("search-form")));
    driver.get(base + "/listings/" + id("nothing-here"));
    screenshot("market-error.png");
  }

  @Test
  void pagesFitANarrowScreen() {
    WebDriver driver = chromium.driver();
    chromium.emulateWidth(390);
    try {
      for (String path : List.of("/?q=wine", "/listings/" + WINE, "/listings/" + HOSTILE)) {
        driver.get(base + path);
        List<?> widths =
            (List<?>)
                chromium.script(
                    "return [document.documentElement.scrollWidth,"
                        + " document.documentElement.clientWidth];");
        assertTrue(((Long) widths.get(1)) <= 390, "the emulated width applies: " + widths);
        assertEquals(widths.get(1), widths.get(0), path + " scrolls sideways on a phone");
      }
      driver.get(base + "/listings/" + WINE);
      assertEquals(List.of(), brokenWords(), "table text broken inside a word on a phone");
      screenshot("market-listing-narrow.png");
      driver.get(base + "/?q=wine");
      screenshot("market-results-narrow.png");
    } finally {
      chromium.clearEmulation();
    }
  }

  /**
   * The texts in table cells that the layout broke inside a word: a text laid out on more lines
   * than it has words (so "1,599" on four lines counts, a long sentence over two lines does not).
   */
  private static Object brokenWords() {
    return chromium.script(
        "const bad = [];"
            + "const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);"
            + "for (let t = walk.nextNode(); t; t = walk.nextNode()) {"
            + "  if (!t.parentElement.closest('th, td')) continue;"
            + "  const words = t.data.trim().split(/\\s+/).filter(w => w).length;"
            + "  if (words == 0) continue;"
            + "  const r = document.createRange(); r.selectNodeContents(t);"
            + "  const lines = new Set([...r.getClientRects()].map(x => Math.round(x.top))).size;"
            + "  if (lines > words) bad.push(t.data.trim());"
            + "}"
            + "return bad;");
  }

  /** No alert is open, the page holds no script and no element that a payload would create. */
  private static void assertNothingRan(WebDriver driver) {
    assertThrows(NoAlertPresentException.class, () -> driver.switchTo().alert());
    assertEquals(0L, chromium.script("return document.querySelectorAll('script').length;"));
    assertEquals(0L, chromium.script("return document.querySelectorAll('img').length;"));
    assertEquals(
        0L,
        chromium.script(
            "return document.querySelectorAll('[onerror],[onload],[onmouseover]').length;"));
    assertFalse(driver.getPageSource().contains("<img"), "no img element in the DOM as serialized");
  }

  private static List<WebElement> results() {
    return chromium.driver().findElements(By.cssSelector("#results li.result"));
  }

  private static List<String> resultIds() {
    List<String> ids = new ArrayList<>();
    for (WebElement r : results()) {
      ids.add(r.getAttribute("data-id"));
    }
    return ids;
  }

  private static <T> T waitFor(java.util.function.Function<? super WebDriver, T> condition) {
    return new WebDriverWait(chromium.driver(), Duration.ofSeconds(10)).until(condition);
  }

  private static void screenshot(String name) {
    String dir = System.getProperty("synthweave.screenshots");
    Path folder =
        dir == null || dir.isBlank()
            ? Path.of("target", "screenshots")
            : HeadlessChromium.repoRoot().resolve(dir);
    chromium.screenshot(folder.resolve(name));
  }

  // ---- listings made here (the same shapes as MarketServerTest's)

  /** A 43-character base64url id made from a name. */
  private static String id(String name) {
    return MarketServerTest.id(name);
  }

  /** A verified listing on the default local gateway (see {@link MarketServerTest#listing}). */
  private static Listing listing(
      String id,
      String dataset,
      String title,
      String description,
      List<String> keywords,
      List<String> columns,
      Kind kind,
      long rows,
      Double quality,
      int day) {
    return MarketServerTest.listing(
        id,
        dataset,
        title,
        description,
        keywords,
        columns,
        kind,
        rows,
        quality,
        "http://127.0.0.1:1984",
        Listing.Status.VERIFIED,
        day);
  }

  private static Listing unverified(Listing l, String reason) {
    return new Listing(
        l.id(),
        l.owner(),
        l.gateway(),
        l.dataset(),
        l.version(),
        l.title(),
        l.description(),
        l.keywords(),
        l.license(),
        l.licenseTerms(),
        l.columns(),
        l.rows(),
        l.bytes(),
        l.files(),
        l.kind(),
        l.checksPassed(),
        l.checksFailed(),
        l.qualityScore(),
        l.fidelity(),
        l.provenance(),
        l.sourceTable(),
        l.publishedAt(),
        l.blockHeight(),
        Listing.Status.UNVERIFIED,
        reason);
  }

  /** {@link MarketServerTest#detail} with the data file on the listing's gateway. */
  private static ListingDetail detail(Listing l, String column) {
    String path = "data/part-00000.parquet";
    return MarketServerTest.detail(l, path, l.gateway() + "/" + l.id() + "/" + path, column);
  }

  private static Preview winePreview() {
    List<Object> second = new ArrayList<>();
    second.add("r2");
    second.add(null);
    second.add(6L);
    second.add(LocalDate.parse("1969-12-31"));
    return new Preview(
        WINE,
        "data/part-00000.parquet",
        List.of(
            new Preview.Column("id", Preview.Type.STRING),
            new Preview.Column("alcohol", Preview.Type.DOUBLE),
            new Preview.Column("quality", Preview.Type.LONG),
            new Preview.Column("bottled", Preview.Type.DATE)),
        List.of(List.of("r1", 9.4, 5L, LocalDate.parse("2024-02-29")), second));
  }

  /** Test-only: answers from the records above; any other listing has no manifest. */
  private static final class Source implements ListingSource {
    private final Map<String, ListingDetail> details = new java.util.HashMap<>();
    private final Map<String, Preview> previews = new java.util.HashMap<>();

    void add(ListingDetail detail, Preview preview) {
      details.put(detail.listing().id(), detail);
      previews.put(detail.listing().id(), preview);
    }

    @Override
    public ListingDetail detail(Listing listing) throws IOException {
      ListingDetail d = details.get(listing.id());
      if (d == null) {
        throw new IOException("no manifest for " + listing.id());
      }
      return d;
    }

    @Override
    public Preview preview(Listing listing, int maxRows) throws IOException {
      Preview p = previews.get(listing.id());
      if (p == null) {
        throw new IOException("no data file for " + listing.id());
      }
      return new Preview(
          p.listingId(),
          p.file(),
          p.columns(),
          p.rows().subList(0, Math.min(maxRows, p.rows().size())));
    }
  }
}
