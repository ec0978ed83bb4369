package org.synthweave.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.arweave.ArlocalGateway;
import org.synthweave.arweave.ArweaveClient;
import org.synthweave.arweave.wallet.Wallet;
import org.synthweave.core.testing.SparkTestBase;
import org.synthweave.market.CatalogSync;
import org.synthweave.market.GatewayListingSource;
import org.synthweave.market.Listing;
import org.synthweave.market.ListingDetail;
import org.synthweave.market.ListingReader;
import org.synthweave.verification.DatasetManifest;
import org.synthweave.verification.synthetic.SyntheticReport;

/**
 * A synthetic table of the wine sample (Gaussian copula), evaluated and published: its certificate
 * names the real table and its version, the model id with the SHA-256 of its model file, the
 * sampling seed and the evaluation summary with the metric definitions' version.
 */
class SyntheticCertificateTest {
  @RegisterExtension static final ArlocalGateway ARLOCAL = new ArlocalGateway();

  @Test
  void aPublishedSyntheticTableCertifiesItsModelAndEvaluation(@TempDir Path dir) throws Exception {
    Path wh = dir.resolve("wh");
    String[] common = {
      "--set", "warehouse=" + wh,
      "--set", "spark.master=local[2]",
      "--set", "spark.conf.spark.driver.host=127.0.0.1",
      "--set", "synth.seed=11",
      "--set", "verify.synthetic.trees=10",
      "--set", "verify.synthetic.baseline=false"
    };
    Path wine = SparkTestBase.repoRoot().resolve("data/samples/tables/wine.csv");
    assertEquals(0, run(common, "ingest-table", "wine", wine.toString()).code());
    CliRun synth = run(common, "synthesize", "--table", "wine", "--synthesizer", "copula");
    assertEquals(0, synth.code(), synth.out() + synth.err());
    CliRun eval =
        run(
            common,
            "evaluate-synthetic",
            "--real",
            "silver/wine",
            "--synthetic",
            "gold/wine_synthetic",
            "--target",
            "cultivar");
    assertEquals(0, eval.code(), eval.out() + eval.err());
    Wallet w = Wallet.generate(new SecureRandom());
    Path key = dir.resolve("key.json");
    w.save(key);
    ARLOCAL.mint(w.address(), "1000000000000000");
    CliRun pub =
        run(
            common,
            "publish",
            "gold/wine_synthetic",
            "0",
            "--wallet",
            key.toString(),
            "--gateway",
            ARLOCAL.url().toString());
    assertEquals(0, pub.code(), pub.out() + pub.err());

    Path export = wh.resolve("datasets/gold_wine_synthetic/0");
    JsonNode cert =
        new ObjectMapper()
            .readTree(export.resolve(DatasetManifest.FILE_NAME).toFile())
            .get("certificate");
    JsonNode tables = cert.get("provenance").get("tables");
    assertEquals("real silver/wine 0 recorded", describe(tables.get(1)), cert.toString());
    JsonNode model = cert.get("provenance").get("models").get(0);
    assertTrue(model.get("id").asText().startsWith("copula-"), model.toString());
    assertEquals(11, model.get("seeds").get(0).asLong(), model.toString());
    Path modelJson = wh.resolve("models/synthesis/wine/copula/model.json");
    assertEquals(
        DatasetManifest.FileEntry.describe(modelJson.getParent(), "model.json", 0).sha256(),
        model.get("files").get("model.json").asText(),
        model.toString());
    assertEquals(11, cert.get("provenance").get("seeds").get("synth.seed").asLong());
    JsonNode synthetic = cert.get("synthetic");
    assertEquals(SyntheticReport.METRICS_VERSION, synthetic.get("metrics_version").asText());
    assertEquals(178, synthetic.get("synthetic_rows").asLong(), synthetic.toString());
    assertTrue(
        synthetic.get("figures").get("quality_score").asDouble() > 0.5, synthetic.toString());
    CliRun verify = CliRun.of("verify", export.toString());
    assertEquals(0, verify.code(), verify.out());
    // The embedded default declares 8 checks of the sample's synthetic table (gold_wine_synthetic).
    assertTrue(verify.out().contains("certificate: 8 checks, all passed"), verify.out());

    // The export carries the evaluation's per-column distributions, listed and signed, and a
    // buyer reads them from the gateway as the listing's fidelity plots.
    DatasetManifest m = DatasetManifest.readFrom(export);
    assertTrue(
        m.files().stream().anyMatch(f -> f.path().equals(SyntheticReport.FIDELITY_PATH)),
        m.files().toString());
    ARLOCAL.mine();
    List<Listing> listed =
        new CatalogSync(
                new ArweaveClient(ARLOCAL.config().build()),
                ListingReader.DEFAULT_MAX_MANIFEST_BYTES)
            .sync(0, Set.of())
            .listings();
    assertEquals(1, listed.size(), listed.toString());
    assertEquals(Listing.Kind.SYNTHETIC, listed.get(0).kind());
    ListingDetail d = new GatewayListingSource().detail(listed.get(0));
    assertNull(d.problem(), d.problem());
    ListingDetail.FidelityPlot alcohol =
        d.plots().stream().filter(p -> p.column().equals("alcohol")).findFirst().orElseThrow();
    assertEquals("numeric", alcohol.kind());
    assertEquals(1.0, alcohol.real().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
    assertEquals(1.0, alcohol.synthetic().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
    assertTrue(
        d.plots().stream().anyMatch(p -> p.kind().equals("categorical")), d.plots()::toString);

    // reproduce compares the carried plots with this warehouse's evaluation.
    CliRun again = run(common, "reproduce", export.toString());
    assertEquals(0, again.code(), again.out() + again.err());
    assertTrue(
        again.out().matches("(?s).*\\nexport +report/fidelity\\.json +(\\w+) +\\1 +same\\n.*"),
        again.out());
    assertTrue(again.out().contains("rebuilt byte for byte"), again.out());
  }

  private static String describe(JsonNode t) {
    return t.get("role").asText()
        + " "
        + t.get("table").asText()
        + " "
        + t.get("version").asText()
        + " "
        + t.get("basis").asText();
  }

  private static CliRun run(String[] common, String... args) {
    String[] all = Arrays.copyOf(common, common.length + args.length);
    System.arraycopy(args, 0, all, common.length, args.length);
    return CliRun.of(all);
  }
}
