package org.synthweave.verification;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.core.testing.Mutations;

/**
 * Seeded damage to a real published dataset's {@code manifest.json} (silver/wine version 0 as
 * {@code synthweave publish} exported and signed it, checked in under {@code golden/}), read by the
 * verifier as {@code synthweave verify} does: no exception escapes, no hang, and a manifest is
 * reported valid only when it says exactly what was signed. A failure prints the seed; {@code
 * -Dtests.seed=N} replays it.
 */
class ManifestFuzzTest {
  private static final String GOLDEN = "golden/silver_wine_0/";
  private static final int BYTE_CASES = 2000;
  private static final int FIELD_CASES = 1500;

  /** Values that break readers: wrong types, edge numbers, hostile strings. */
  private static final List<JsonNode> HOSTILE = hostileValues();

  /** The golden manifest's signer. */
  private static String signer;

  @Test
  void damagedManifestsAreReportedNeverTrustedNeverThrown(@TempDir Path dir) throws Exception {
    Path folder = copyGolden(dir.resolve("dataset"));
    byte[] original = Files.readAllBytes(folder.resolve(DatasetManifest.FILE_NAME));
    VerificationReport clean = ManifestVerifier.verify(folder);
    assertTrue(clean.ok(), "the golden dataset verifies: " + clean.problems());
    JsonNode signed = ManifestJson.MAPPER.readTree(original);
    signer = clean.signer();

    long seed = Mutations.seed();
    Mutations mutations = new Mutations(seed);
    int[] outcome = new int[3]; // reported, equivalent and valid, unchanged
    try {
      assertTimeoutPreemptively(
          Duration.ofSeconds(90),
          () -> {
            for (int i = 0; i < BYTE_CASES; i++) {
              check(folder, original, signed, mutations.mutate(original), outcome);
            }
            for (int i = 0; i < FIELD_CASES; i++) {
              byte[] mutant = fieldMutant((ObjectNode) signed, mutations);
              check(folder, original, signed, mutant, outcome);
            }
          });
    } catch (Throwable t) {
      throw new AssertionError(
          "ManifestFuzzTest failed with seed " + seed + " (replay with -Dtests.seed=" + seed + ")",
          t);
    }
    System.out.printf(
        "ManifestFuzzTest seed %d: %d reported, %d equivalent, %d unchanged%n",
        seed, outcome[0], outcome[1], outcome[2]);
    assertTrue(outcome[0] > (BYTE_CASES + FIELD_CASES) / 2, "most mutants are damage");
  }

  /**
   * Writes {@code mutant} as the manifest and verifies: any exception fails the test; "valid" needs
   * a manifest whose JSON is the signed one (e.g. only whitespace changed).
   */
  private static void check(
      Path folder, byte[] original, JsonNode signed, byte[] mutant, int[] outcome)
      throws IOException {
    Files.write(folder.resolve(DatasetManifest.FILE_NAME), mutant);
    VerificationReport r;
    try {
      r = ManifestVerifier.verify(folder);
    } catch (RuntimeException e) {
      throw new AssertionError(
          "verify threw on the manifest " + new String(mutant, StandardCharsets.UTF_8), e);
    }
    if (Arrays.equals(mutant, original)) {
      assertTrue(r.ok(), "the undamaged manifest verifies");
      outcome[2]++;
      return;
    }
    if (!r.ok()) {
      assertFalse(r.problems().isEmpty());
      outcome[0]++;
      return;
    }
    // Valid is fine only if every signed member (all but the signature block) is unchanged and
    // the same key signed it; the block itself may differ in members the verifier does not read.
    JsonNode tree = ManifestJson.MAPPER.readTree(mutant);
    String what = "reported valid, but it is not what was signed: " + new String(mutant, UTF_8);
    assertEquals(
        new String(ManifestJson.canonicalWithoutSignature(signed), UTF_8),
        new String(ManifestJson.canonicalWithoutSignature(tree), UTF_8),
        what);
    assertEquals(signer, r.signer(), what);
    outcome[1]++;
  }

  /** The signed manifest with one field (at any depth) replaced, removed or added. */
  private static byte[] fieldMutant(ObjectNode signed, Mutations m) throws IOException {
    ObjectNode copy = signed.deepCopy();
    List<JsonNode> containers = new ArrayList<>();
    collect(copy, containers);
    JsonNode target = containers.get(m.nextInt(containers.size()));
    JsonNode value = HOSTILE.get(m.nextInt(HOSTILE.size()));
    if (target instanceof ObjectNode o) {
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      int pick = m.nextInt(names.size() + 1);
      if (pick == names.size()) {
        o.set("extra_" + m.nextInt(3), value);
      } else if (m.nextInt(4) == 0) {
        o.remove(names.get(pick));
      } else {
        o.set(names.get(pick), value);
      }
    } else if (target instanceof ArrayNode a && a.size() > 0) {
      int pick = m.nextInt(a.size());
      switch (m.nextInt(3)) {
        case 0 -> a.set(pick, value);
        case 1 -> a.remove(pick);
        default -> a.add(a.get(pick).deepCopy());
      }
    }
    return ManifestJson.MAPPER.writeValueAsBytes(copy);
  }

  private static void collect(JsonNode n, List<JsonNode> out) {
    if (n.isObject() || n.isArray()) {
      out.add(n);
      for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
        collect(it.next(), out);
      }
    }
  }

  private static List<JsonNode> hostileValues() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    List<JsonNode> v = new ArrayList<>();
    v.add(f.nullNode());
    v.add(f.booleanNode(true));
    v.add(f.numberNode(0));
    v.add(f.numberNode(-1));
    v.add(f.numberNode(Long.MAX_VALUE));
    v.add(f.numberNode(new java.math.BigInteger("123456789012345678901234567890")));
    v.add(f.numberNode(1.5e300));
    v.add(f.numberNode(179));
    v.add(f.textNode(""));
    v.add(f.textNode("../../etc/passwd"));
    v.add(f.textNode("/etc/passwd"));
    v.add(f.textNode("data\\..\\..\\x"));
    v.add(f.textNode("data/part-00000.parquet\u0000.txt"));
    v.add(f.textNode("manifest.json"));
    v.add(f.textNode("data/" + "x".repeat(300)));
    v.add(f.textNode("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    v.add(f.textNode("ZZ" + "0".repeat(62)));
    v.add(f.textNode("rsa-pss-sha256-salt32"));
    v.add(f.arrayNode());
    v.add(f.arrayNode().add(f.nullNode()));
    v.add(f.objectNode());
    v.add(f.objectNode().put("path", "data/x").put("bytes", 1).put("rows", 1));
    return List.copyOf(v);
  }

  /** Copies the golden dataset: its manifest and every file the manifest lists. */
  private static Path copyGolden(Path to) throws IOException {
    copy(DatasetManifest.FILE_NAME, to);
    for (DatasetManifest.FileEntry f : DatasetManifest.readFrom(to).files()) {
      copy(f.path(), to);
    }
    return to;
  }

  private static void copy(String name, Path to) throws IOException {
    {
      Path target = to.resolve(name);
      Files.createDirectories(target.getParent());
      try (InputStream in =
          ManifestFuzzTest.class.getClassLoader().getResourceAsStream(GOLDEN + name)) {
        if (in == null) {
          throw new IllegalStateException("missing test resource " + GOLDEN + name);
        }
        Files.copy(in, target);
      }
    }
  }
}
