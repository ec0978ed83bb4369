package org.synthweave.core.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listing input folders through Hadoop's local file system, with symbolic links in them. */
class InputFilesTest {
  @TempDir Path tmp;

  private static final List<String> ENDINGS = List.of(".html", ".jsonl");

  private Path folder() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("in"));
    Files.writeString(root.resolve("a.html"), "<p>a</p>");
    Path sub = Files.createDirectories(root.resolve("sub"));
    Files.writeString(sub.resolve("b.jsonl"), "{}\n");
    Files.writeString(sub.resolve("notes.txt"), "ignored");
    Path outside = Files.createDirectories(tmp.resolve("elsewhere"));
    Files.writeString(outside.resolve("c.html"), "<p>c</p>");
    Files.createSymbolicLink(root.resolve("outside.html"), outside.resolve("c.html"));
    return root;
  }

  private static String uri(Path p) {
    return InputFiles.normalize(p.toUri().toString());
  }

  private static List<String> list(Path root) {
    return assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () -> InputFiles.list(new Configuration(), List.of(root.toString()), ENDINGS));
  }

  @Test
  void oneLinkLoopListsEachFileOnce() throws IOException {
    Path root = folder();
    Files.createSymbolicLink(root.resolve("l1"), Path.of("."));
    assertEquals(
        List.of(
            uri(root.resolve("a.html")),
            uri(root.resolve("outside.html")),
            uri(root.resolve("sub/b.jsonl"))),
        list(root));
  }

  @Test
  void twoLinkLoopsAndASecondNameForAFolderDoNotHang() throws IOException {
    Path root = folder();
    Files.createSymbolicLink(root.resolve("l1"), Path.of("."));
    Files.createSymbolicLink(root.resolve("l2"), Path.of("."));
    Files.createSymbolicLink(root.resolve("sub/up"), Path.of(".."));
    Files.createSymbolicLink(root.resolve("twin"), Path.of("sub"));
    assertEquals(
        List.of(
            uri(root.resolve("a.html")),
            uri(root.resolve("outside.html")),
            uri(root.resolve("sub/b.jsonl"))),
        list(root));
  }

  @Test
  void aFileNamedTwiceByPatternsIsListedOnce() throws IOException {
    Path root = folder();
    List<String> files =
        InputFiles.list(
            new Configuration(),
            List.of(root.toString(), root.resolve("sub/b.jsonl").toString()),
            ENDINGS);
    assertEquals(3, files.size(), files.toString());
  }
}
