package org.synthweave.arweave.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.synthweave.arweave.ArweaveException;

/**
 * Path manifests as a hostile gateway could serve them: every unsafe path, id or shape is refused
 * with the module's own error, and an accepted path always lands inside the download folder.
 * Regression tests for what the path-manifest fuzz test (jobs' PathManifestFuzzTest) found.
 */
class PathManifestTest {
  private static final String MANIFEST_ID = "M".repeat(43);
  private static final String ID_A = "A".repeat(43);
  private static final String ID_B = "b_-".repeat(14) + "b";

  private static byte[] manifest(String pathsJson, String index) {
    String s =
        "{\"manifest\":\"arweave/paths\",\"version\":\"0.1.0\","
            + (index == null ? "" : "\"index\":{\"path\":" + index + "},")
            + "\"paths\":"
            + pathsJson
            + "}";
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] onePath(String jsonPath) {
    return manifest("{" + jsonPath + ":{\"id\":\"" + ID_A + "\"}}", null);
  }

  @Test
  void whatPublishWritesIsReadBack() {
    PathManifest m =
        new PathManifest()
            .path("data/part-00000.parquet", ID_A)
            .path("manifest.json", ID_B)
            .index("manifest.json");
    PathManifest back = PathManifest.parse(m.toBytes(), MANIFEST_ID);
    assertEquals(m.paths(), back.paths());
    assertEquals("manifest.json", back.index());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"../evil\"",
        "\"../../etc/passwd\"",
        "\"/etc/passwd\"",
        "\"a/../../b\"",
        "\"a/..\"",
        "\"..\"",
        "\".\"",
        "\"\"",
        "\"a//b\"",
        "\"a/./b\"",
        "\"x/\"",
        "\"/\"",
        "\"a\\\\..\\\\b\"",
        "\"C:\\\\windows\"",
        "\"a\\u0000b\"",
        "\"nul\\u0000\"",
        "\"line\\nbreak\"",
        "\"tab\\there\"",
        "\"\\ud800\"",
      })
  void unsafePathsAreRefused(String jsonPath) {
    ArweaveException e =
        assertThrows(ArweaveException.class, () -> PathManifest.parse(onePath(jsonPath), "X"));
    assertTrue(e.getMessage().contains("is not an arweave/paths manifest"), e.getMessage());
  }

  @Test
  void overlongPathsAndSegmentsAreRefused() {
    assertThrows(
        ArweaveException.class,
        () -> PathManifest.parse(onePath("\"" + "a".repeat(256) + "\""), "X"));
    assertThrows(
        ArweaveException.class,
        () -> PathManifest.parse(onePath("\"" + "é".repeat(128) + "\""), "X"));
    assertThrows(
        ArweaveException.class,
        () -> PathManifest.parse(onePath("\"" + "a/".repeat(600) + "a\""), "X"));
    PathManifest.parse(onePath("\"" + "a".repeat(255) + "\""), "X");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"\"",
        "\"short\"",
        "\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"",
        "\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"",
        "\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+\"",
        "\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/\"",
        "\"../AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"",
        "1234567890123456789012345678901234567890123",
        "null",
        "[\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"]",
      })
  void nonIdsAreRefused(String jsonId) {
    byte[] b = manifest("{\"a.bin\":{\"id\":" + jsonId + "}}", null);
    assertThrows(ArweaveException.class, () -> PathManifest.parse(b, "X"));
  }

  @Test
  void duplicatePathsAreRefused() {
    byte[] b =
        manifest("{\"a.bin\":{\"id\":\"" + ID_A + "\"},\"a.bin\":{\"id\":\"" + ID_B + "\"}}", null);
    ArweaveException e = assertThrows(ArweaveException.class, () -> PathManifest.parse(b, "X"));
    assertTrue(e.getMessage().contains("uplicate"), e.getMessage());
  }

  @Test
  void aPathThatIsAlsoAFolderIsRefused() {
    for (String paths :
        new String[] {
          "{\"a\":{\"id\":\"" + ID_A + "\"},\"a/b\":{\"id\":\"" + ID_B + "\"}}",
          "{\"a/b\":{\"id\":\"" + ID_A + "\"},\"a\":{\"id\":\"" + ID_B + "\"}}",
          "{\"a/b/c\":{\"id\":\"" + ID_A + "\"},\"a/b\":{\"id\":\"" + ID_B + "\"}}",
        }) {
      assertThrows(ArweaveException.class, () -> PathManifest.parse(manifest(paths, null), "X"));
    }
    // A shared prefix that is no folder is fine.
    PathManifest.parse(
        manifest("{\"a\":{\"id\":\"" + ID_A + "\"},\"ab/c\":{\"id\":\"" + ID_B + "\"}}", null),
        "X");
  }

  @Test
  void deepNestingHugeInputAndOtherShapesAreRefused() {
    String deep = "[".repeat(5000) + "]".repeat(5000);
    assertThrows(ArweaveException.class, () -> PathManifest.parse(manifest(deep, null), "X"));
    byte[] huge = new byte[PathManifest.MAX_MANIFEST_BYTES + 1];
    assertThrows(ArweaveException.class, () -> PathManifest.parse(huge, "X"));
    for (String paths : new String[] {"[]", "{}", "\"x\"", "null", "{\"a\":\"" + ID_A + "\"}"}) {
      assertThrows(
          ArweaveException.class, () -> PathManifest.parse(manifest(paths, null), "X"), paths);
    }
    byte[] badIndex = manifest("{\"a\":{\"id\":\"" + ID_A + "\"}}", "{\"x\":1}");
    assertThrows(ArweaveException.class, () -> PathManifest.parse(badIndex, "X"));
    byte[] array = "[{\"manifest\":\"arweave/paths\"}]".getBytes(StandardCharsets.UTF_8);
    assertThrows(ArweaveException.class, () -> PathManifest.parse(array, "X"));
  }

  @Test
  void targetsStayInsideTheFolder(@TempDir Path dir) {
    Path root = dir.toAbsolutePath().normalize();
    assertEquals(root.resolve("data/x.parquet"), PathManifest.target(dir, "data/x.parquet", "X"));
    for (String bad : new String[] {"../x", "/etc/passwd", "a/../..", "", "a\0b", "."}) {
      assertThrows(ArweaveException.class, () -> PathManifest.target(dir, bad, "X"), bad);
    }
    assertEquals(Map.of(), new PathManifest().paths());
  }
}
