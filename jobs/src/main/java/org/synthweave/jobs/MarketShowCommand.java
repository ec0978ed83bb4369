package org.synthweave.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.synthweave.market.GatewayListingSource;
import org.synthweave.market.Listing;
import org.synthweave.market.ListingDetail;
import org.synthweave.market.ListingReader;
import org.synthweave.verification.Certificate;
import org.synthweave.verification.DatasetManifest;
import org.synthweave.verification.QualityReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code synthweave market show ID}: one listing of the market catalog, read again and checked. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = {
      "Show one listing of the market catalog (what market sync stored): its card (title,"
          + " description, license and terms, keywords), its certificate (each check with value"
          + " and threshold, the synthetic evaluation's figures), its files with their addresses"
          + " on the gateway, its provenance, and the market get command that downloads it.",
      "The manifest and card are read again from the listing's gateway and their signatures"
          + " checked now; what fails is printed as the reason the listing is not verified now."
          + " All listing text comes from its publisher and is shown without control characters."
    })
final class MarketShowCommand implements Runnable {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ID", description = "The listing's manifest id.")
  String id;

  @Option(
      names = "--max-manifest-bytes",
      paramLabel = "N",
      description =
          "Bytes of the listing's manifest.json, card and fidelity plots read at most. Default: "
              + ListingReader.DEFAULT_MAX_MANIFEST_BYTES
              + ".")
  long maxManifestBytes = ListingReader.DEFAULT_MAX_MANIFEST_BYTES;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Override
  public void run() {
    if (maxManifestBytes < 1) {
      throw JobErrors.atLeastOne("--max-manifest-bytes", maxManifestBytes);
    }
    ConfigOptions o = Main.options(spec);
    Listing listing;
    try (JobContext job = new JobContext("market show", o.confFile, o.sets, System.out)) {
      SparkMarketCatalog catalog = new SparkMarketCatalog(job.spark(), job.catalog);
      if (!catalog.exists()) {
        throw JobErrors.noMarketCatalog(catalog.path());
      }
      List<Listing> all = catalog.listings();
      listing = all.stream().filter(l -> l.id().equals(id)).findFirst().orElse(null);
      if (listing == null) {
        String prefix = id.length() > 6 ? id.substring(0, 6) : id;
        throw JobErrors.unknownListing(
            id,
            catalog.path(),
            all.stream().map(Listing::id).filter(x -> x.startsWith(prefix)).limit(5).toList());
      }
    }
    ListingDetail d;
    try {
      d =
          new GatewayListingSource(
                  maxManifestBytes, GatewayListingSource.DEFAULT_MAX_PREVIEW_FILE_BYTES)
              .detail(listing);
    } catch (IOException e) {
      throw JobErrors.listingUnavailable(listing.id(), listing.gateway(), e);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      try {
        out.println(JSON.writeValueAsString(json(d)));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    } else {
      print(out, d);
    }
    out.flush();
  }

  private static String cell(String s, int max) {
    return MarketCommand.Search.cell(s, max);
  }

  private static void print(PrintWriter out, ListingDetail d) {
    Listing l = d.listing();
    out.println(cell(l.title() != null ? l.title() : l.dataset(), 200));
    out.println("id:          " + l.id());
    out.println(
        "dataset:     "
            + cell(l.dataset(), 120)
            + " version "
            + cell(l.version(), 40)
            + " ("
            + l.kind().label()
            + (l.rows() == null ? "" : ", " + l.rows() + " rows")
            + (l.files() == null ? "" : ", " + l.files() + " data files")
            + (l.bytes() == null ? "" : ", " + l.bytes() + " bytes")
            + ")");
    out.println("publisher:   " + l.owner());
    out.println(
        "published:   "
            + (l.publishedAt() == null ? "-" : l.publishedAt().toString())
            + " (block "
            + l.blockHeight()
            + ") on "
            + l.gateway());
    out.println("description: " + cell(l.description(), 4000));
    out.println("license:     " + cell(l.license(), 120));
    List<String> terms = new ArrayList<>();
    l.licenseTerms().forEach((k, v) -> terms.add(cell(k, 60) + "=" + cell(v, 120)));
    out.println("terms:       " + (terms.isEmpty() ? "-" : String.join(", ", terms)));
    out.println(
        "keywords:    "
            + (l.keywords().isEmpty()
                ? "-"
                : String.join(", ", l.keywords().stream().map(k -> cell(k, 60)).toList())));
    out.println();
    out.println(
        "verification: "
            + (d.problem() == null
                ? "verified now (manifest, certificate and card signed by the publisher)"
                : "NOT VERIFIED now: " + cell(d.problem(), 2000)));
    if (l.status() != Listing.Status.VERIFIED) {
      out.println("  at sync: unverified: " + cell(l.reason(), 2000));
    }
    DatasetManifest m = d.manifest();
    Certificate c = m == null ? null : m.certificate();
    printCertificate(out, c);
    if (!d.plots().isEmpty()) {
      out.println(
          "fidelity plots: "
              + d.plots().size()
              + " columns, real against synthetic share per bin ("
              + String.join(
                  ", ", d.plots().stream().limit(8).map(p -> cell(p.column(), 40)).toList())
              + (d.plots().size() > 8 ? ", …" : "")
              + ")");
    }
    out.println();
    out.println("files:");
    for (ListingDetail.FileLink f : d.files()) {
      out.printf(
          Locale.ROOT,
          "  %-32s %12d bytes %10s %s%n",
          cell(f.path(), 60),
          f.bytes(),
          f.path().endsWith(".parquet") ? f.rows() + " rows" : "",
          f.url());
    }
    out.println();
    printProvenance(out, m, c);
    out.println();
    out.println("get it:");
    out.println("  " + l.downloadCommand());
  }

  private static void printCertificate(PrintWriter out, Certificate c) {
    if (c == null) {
      out.println("certificate: none");
      return;
    }
    int passed = 0;
    int failed = 0;
    for (Certificate.CheckSet s : nonNull(c.checks())) {
      for (QualityReport.Entry e : nonNull(s.results())) {
        if (e != null && e.pass()) {
          passed++;
        } else {
          failed++;
        }
      }
    }
    out.println(
        "certificate: "
            + (c.passed() ? "passed" : "FAILED")
            + " ("
            + (passed + failed)
            + " checks: "
            + passed
            + " passed, "
            + failed
            + " failed"
            + (c.allowFailedChecks() ? "; published with --allow-failed-checks" : "")
            + ")");
    for (Certificate.CheckSet s : nonNull(c.checks())) {
      out.println(
          "  checks "
              + cell(s.dataset(), 60)
              + " on "
              + cell(s.table(), 60)
              + " version "
              + s.tableVersion()
              + " at "
              + cell(s.checkedAt(), 40));
      for (QualityReport.Entry e : nonNull(s.results())) {
        if (e == null) {
          continue;
        }
        out.printf(
            Locale.ROOT,
            "    %-4s %-10s %-20s %-16s value %-12s threshold %s%n",
            e.pass() ? "pass" : "FAIL",
            cell(e.check(), 10),
            cell(e.column() == null || e.column().isEmpty() ? "-" : e.column(), 20),
            cell(e.metric(), 16),
            e.value() != null ? number(e.value()) : cell(e.actual(), 40),
            cell(e.threshold(), 40));
      }
    }
    Certificate.SyntheticSummary syn = c.synthetic();
    if (syn != null) {
      out.println(
          "synthetic evaluation ("
              + cell(syn.metricsVersion(), 60)
              + ", "
              + syn.syntheticRows()
              + " synthetic rows):");
      if (syn.figures() != null) {
        for (Map.Entry<String, Object> f : syn.figures().entrySet()) {
          Object v = f.getValue();
          out.println(
              "    "
                  + cell(f.getKey(), 40)
                  + " "
                  + (v instanceof Double x ? number(x) : cell(String.valueOf(v), 120)));
        }
      }
    }
  }

  private static void printProvenance(PrintWriter out, DatasetManifest m, Certificate c) {
    out.println("provenance:");
    if (m != null && m.provenance() != null) {
      DatasetManifest.Provenance p = m.provenance();
      out.println(
          "  exported "
              + cell(p.sourceTable(), 80)
              + " version "
              + p.sourceVersion()
              + " at "
              + cell(p.createdAt(), 40));
    }
    Certificate.Lineage lineage = c == null ? null : c.provenance();
    if (lineage == null) {
      out.println("  (no lineage in the certificate)");
      return;
    }
    for (Certificate.Upstream u : lineage.tables()) {
      out.println(
          "  table "
              + cell(u.role(), 20)
              + " "
              + cell(u.table(), 80)
              + (u.version() == null ? "" : " version " + u.version())
              + " ("
              + cell(u.basis(), 30)
              + ")");
    }
    for (Certificate.Model mod : lineage.models()) {
      out.println(
          "  model "
              + cell(mod.id(), 80)
              + " seeds "
              + mod.seeds()
              + (mod.files().isEmpty()
                  ? (mod.note() == null ? "" : " (" + cell(mod.note(), 200) + ")")
                  : " files " + cell(String.join(", ", mod.files().keySet()), 200)));
    }
    for (Certificate.AugmentRun a : lineage.augment()) {
      out.println(
          "  augmentation seed "
              + a.seed()
              + " ops "
              + cell(a.ops(), 200)
              + ": "
              + a.rows()
              + " rows");
    }
    out.println(
        "  code: synthweave "
            + cell(lineage.codeVersion(), 40)
            + (lineage.gitCommit() == null ? "" : " commit " + cell(lineage.gitCommit(), 60))
            + "; config hash "
            + cell(lineage.configHash(), 80));
    if (!lineage.seeds().isEmpty()) {
      List<String> seeds = new ArrayList<>();
      lineage.seeds().forEach((k, v) -> seeds.add(cell(k, 60) + "=" + v));
      out.println("  seeds: " + String.join(", ", seeds));
    }
  }

  /** {@code v} to 6 significant digits without trailing zeros: 178, 0.48, 11.03. */
  static String number(double v) {
    if (!Double.isFinite(v)) {
      return Double.toString(v);
    }
    return java.math.BigDecimal.valueOf(v)
        .round(new java.math.MathContext(6))
        .stripTrailingZeros()
        .toPlainString();
  }

  private static <T> List<T> nonNull(List<T> list) {
    return list == null ? List.of() : list;
  }

  /** The listing as one JSON object: the catalog row, what was read now, and the get command. */
  static ObjectNode json(ListingDetail d) {
    Listing l = d.listing();
    ObjectNode o = JSON.createObjectNode();
    o.put("id", l.id());
    o.put("title", l.title());
    o.put("description", l.description());
    ArrayNode kw = o.putArray("keywords");
    l.keywords().forEach(kw::add);
    o.put("license", l.license());
    o.set("license_terms", JSON.valueToTree(l.licenseTerms()));
    o.put("dataset", l.dataset());
    o.put("version", l.version());
    o.put("kind", l.kind().label());
    if (l.rows() == null) {
      o.putNull("rows");
    } else {
      o.put("rows", l.rows());
    }
    if (l.bytes() == null) {
      o.putNull("bytes");
    } else {
      o.put("bytes", l.bytes());
    }
    o.put("owner", l.owner());
    o.put("gateway", l.gateway());
    o.put("published_at", l.publishedAt() == null ? null : l.publishedAt().toString());
    o.put("block_height", l.blockHeight());
    o.put("status", l.status().label());
    o.put("reason", l.reason());
    o.put("verified_now", d.problem() == null);
    o.put("problem", d.problem());
    DatasetManifest m = d.manifest();
    Certificate c = m == null ? null : m.certificate();
    if (c == null) {
      o.putNull("certificate");
    } else {
      ObjectNode cert = JSON.valueToTree(c);
      cert.remove("signature");
      cert.remove("provenance"); // under "provenance" below
      o.set("certificate", cert);
    }
    ArrayNode plots = o.putArray("fidelity_plots");
    for (ListingDetail.FidelityPlot p : d.plots()) {
      plots.add(JSON.valueToTree(p));
    }
    ArrayNode files = o.putArray("files");
    for (ListingDetail.FileLink f : d.files()) {
      ObjectNode n = files.addObject();
      n.put("path", f.path());
      n.put("bytes", f.bytes());
      n.put("rows", f.rows());
      n.put("sha256", f.sha256());
      n.put("url", f.url().toString());
    }
    ObjectNode prov = o.putObject("provenance");
    if (m != null && m.provenance() != null) {
      prov.put("source_table", m.provenance().sourceTable());
      prov.put("source_version", m.provenance().sourceVersion());
      prov.put("created_at", m.provenance().createdAt());
    }
    if (c != null && c.provenance() != null) {
      prov.setAll((ObjectNode) JSON.valueToTree(c.provenance()));
    }
    o.put("get", l.downloadCommand());
    return o;
  }
}
