package org.synthweave.jobs;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.arweave.ArweaveException;
import org.synthweave.arweave.manifest.PathManifest;
import org.synthweave.core.testing.Mutations;

/**
 * Seeded damage to {@code arweave/paths} manifests as a gateway serves them to {@code fetch}: the
 * real layout {@code synthweave publish} writes (the wine export's files, the dataset manifest as
 * index), damaged byte by byte and field by field with hostile paths and ids (traversal, absolute
 * paths, backslashes, NUL, overlong names, non-base64url ids, deep nesting, duplicate keys, huge
 * sizes). The parser must refuse with the module's own {@link ArweaveException} or return paths
 * that, written as fetch writes them, all land inside the output folder. A failure prints the seed;
 * {@code -Dtests.seed=N} replays it.
 */
class PathManifestFuzzTest {
  private static final String MANIFEST_ID = "pathManifestFuzz-AAAAAAAAAAAAAAAAAAAAAAAAAA";
  private static final int BYTE_CASES = 4000;
  private static final int FIELD_CASES = 4000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final List<String> HOSTILE_PATHS =
      List.of(
          "../evil",
          "../../../../../../tmp/evil",
          "/etc/passwd",
          "/tmp/evil",
          "a/../../evil",
          "data/../..",
          "..",
          ".",
          "",
          "a//b",
          "./a",
          "a/",
          "/",
          "..\\evil",
          "a\\..\\..\\evil",
          "C:\\evil",
          "\\\\server\\share",
          "a\u0000b",
          "\u0000",
          "line\nbreak",
          "\u202egnp.exe",
          "\ud800x",
          "x".repeat(256),
          "d/".repeat(700) + "x",
          "data/part-00000.parquet/child",
          "data",
          "manifest.json",
          "con",
          " ",
          "~/evil",
          "%2e%2e/evil",
          "data/%00");

  private static final List<String> HOSTILE_IDS =
      List.of(
          "",
          "x",
          "A".repeat(42),
          "A".repeat(44),
          "A".repeat(42) + "=",
          "A".repeat(42) + "+",
          "A".repeat(42) + "/",
          "../" + "A".repeat(40),
          "A".repeat(42) + "\u0000",
          "Ä".repeat(43));

  @Test
  void hostilePathManifestsAreRefusedOrStayInsideTheFolder(@TempDir Path dir) throws Exception {
    byte[] real = realPathManifest();
    long seed = Mutations.seed();
    Mutations mutations = new Mutations(seed);
    Random pick = new Random(seed);
    int[] counts = new int[2]; // refused, accepted
    try {
      assertTimeoutPreemptively(
          Duration.ofSeconds(90),
          () -> {
            for (int i = 0; i < BYTE_CASES; i++) {
              check(mutations.mutate(real), dir.resolve("b" + i), counts);
            }
            for (int i = 0; i < FIELD_CASES; i++) {
              check(fieldMutant(real, pick), dir.resolve("f" + i), counts);
            }
          });
    } catch (Throwable t) {
      throw new AssertionError(
          "PathManifestFuzzTest failed with seed "
              + seed
              + " (replay with -Dtests.seed="
              + seed
              + ")",
          t);
    }
    System.out.printf(
        "PathManifestFuzzTest seed %d: %d refused, %d accepted%n", seed, counts[0], counts[1]);
    assertTrue(counts[0] > 0 && counts[1] > 0, "both outcomes occur");
  }

  /** Parses {@code bytes}; an accepted manifest's files are written under {@code out}. */
  private static void check(byte[] bytes, Path out, int[] counts) throws Exception {
    PathManifest m;
    try {
      m = PathManifest.parse(bytes, MANIFEST_ID);
    } catch (ArweaveException e) {
      counts[0]++;
      return;
    } catch (RuntimeException e) {
      throw new AssertionError(
          "not the module's error type for " + new String(bytes, StandardCharsets.UTF_8), e);
    }
    counts[1]++;
    Files.createDirectories(out);
    Path root = out.toRealPath();
    for (Map.Entry<String, String> e : m.paths().entrySet()) {
      Path target = PathManifest.target(out, e.getKey(), MANIFEST_ID);
      Files.createDirectories(target.getParent());
      Files.write(target, e.getValue().getBytes(StandardCharsets.US_ASCII));
      Path written = target.toRealPath();
      assertTrue(
          written.startsWith(root) && !written.equals(root),
          "path " + e.getKey() + " was written to " + written + ", outside " + root);
    }
  }

  /** The real manifest with hostile paths, ids, index, nesting, duplicates or size. */
  private static byte[] fieldMutant(byte[] real, Random r) throws Exception {
    ObjectNode m = (ObjectNode) JSON.readTree(real);
    ObjectNode paths = (ObjectNode) m.get("paths");
    List<String> names = new ArrayList<>();
    paths.fieldNames().forEachRemaining(names::add);
    String victim = names.get(r.nextInt(names.size()));
    String hostilePath = HOSTILE_PATHS.get(r.nextInt(HOSTILE_PATHS.size()));
    switch (r.nextInt(9)) {
      case 0, 1 -> {
        JsonNode entry = paths.remove(victim);
        paths.set(hostilePath, entry);
      }
      case 2 -> paths.set(hostilePath, JSON.createObjectNode().put("id", id(r)));
      case 3 ->
          ((ObjectNode) paths.get(victim))
              .put("id", HOSTILE_IDS.get(r.nextInt(HOSTILE_IDS.size())));
      case 4 -> m.putObject("index").put("path", hostilePath);
      case 5 -> {
        // Duplicate keys are not expressible in a tree: splice one into the text.
        String text = m.toString();
        String dup = JSON.writeValueAsString(victim) + ":{\"id\":\"" + id(r) + "\"},";
        int at = text.indexOf("\"paths\":{") + "\"paths\":{".length();
        return (text.substring(0, at) + dup + text.substring(at)).getBytes(StandardCharsets.UTF_8);
      }
      case 6 -> {
        int depth = 1 + r.nextInt(3000);
        String text = m.toString();
        String nested = "[".repeat(depth) + "]".repeat(depth);
        return text.replace("\"version\":", "\"deep\":" + nested + ",\"version\":")
            .getBytes(StandardCharsets.UTF_8);
      }
      case 7 ->
          paths.set(hostilePath + "/" + hostilePath, JSON.createObjectNode().put("id", id(r)));
      default -> {
        byte[] huge = new byte[PathManifest.MAX_MANIFEST_BYTES + 1 + r.nextInt(16)];
        java.util.Arrays.fill(huge, (byte) ' ');
        System.arraycopy(real, 0, huge, 0, real.length);
        return huge;
      }
    }
    return JSON.writeValueAsBytes(m);
  }

  private static String id(Random r) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 43; i++) {
      b.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  /**
   * The path manifest publish writes for the wine export (its data files and manifest.json, the
   * index), with fixed ids: the same builder and bytes fetch reads back from a gateway.
   */
  private static byte[] realPathManifest() {
    Random ids = new Random(17);
    return new PathManifest()
        .path("data/part-00000.parquet", id(ids))
        .path("data/part-00001.parquet", id(ids))
        .path("manifest.json", id(ids))
        .index("manifest.json")
        .toBytes();
  }
}
