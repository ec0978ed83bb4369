package org.synthweave.arweave;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.arweave.chunk.MerkleTree;
import org.synthweave.arweave.download.FolderDownloader;
import org.synthweave.arweave.tx.Tag;
import org.synthweave.arweave.upload.FolderUploader;
import org.synthweave.arweave.upload.UploadOptions;
import org.synthweave.arweave.upload.UploadResult;
import org.synthweave.arweave.upload.UploadState;
import org.synthweave.arweave.wallet.Wallet;

/**
 * Uploads through {@link FaultProxy}: retries must carry the upload through injected faults, no
 * chunk the client saw confirmed may be sent again, and a crashed upload resumes from its state
 * file without re-posting the header or confirmed chunks. Each run draws a new seed (printed;
 * {@code -Dtests.seed=N} replays it).
 */
class FaultInjectionTest {
  @RegisterExtension static final ArlocalGateway ARLOCAL = new ArlocalGateway();

  static FaultProxy proxy;
  static Wallet wallet;
  static long seed;

  @BeforeAll
  static void start() throws Exception {
    seed = SeedReporter.seed();
    System.out.println(
        "FaultInjectionTest seed " + seed + " (replay with -Dtests.seed=" + seed + ")");
    proxy = new FaultProxy(ARLOCAL.url(), seed);
    wallet = TestWallets.first();
    ARLOCAL.mint(wallet.address(), "100000000000000000");
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  private static ArweaveClient client(int concurrency) {
    return new ArweaveClient(
        ArweaveConfig.builder(proxy.url())
            .chunkConcurrency(concurrency)
            .maxAttempts(30)
            .backoff(Duration.ofMillis(5), Duration.ofMillis(100))
            .requestTimeout(Duration.ofMillis(1500))
            .jitterSeed(seed)
            .build());
  }

  /** Tells the proxy which chunks the client saw confirmed (see {@link FaultProxy}). */
  private static ProgressListener reportToProxy() {
    return p -> proxy.clientConfirmed(p.chunkOffset());
  }

  private static Path randomFile(Path dir, int size, long s) throws Exception {
    byte[] data = new byte[size];
    new Random(s).nextBytes(data);
    Path f = dir.resolve("data-" + s + ".bin");
    Files.write(f, data);
    return f;
  }

  @Test
  void uploadSurvivesFaultsAndNeverResendsAConfirmedChunk(@TempDir Path dir) throws Exception {
    SeedReporter.run(
        seed,
        () -> {
          proxy.resetCounts();
          // Slow replies (2 s) outlast the client's 1.5 s timeout: the client must retry them.
          proxy.faults(new FaultProxy.Faults(0.12, 0.12, 0.08, 0.08, 0.04, 2000));
          Path file = randomFile(dir, 8 * MerkleTree.MAX_CHUNK_SIZE + 12345, seed);
          UploadResult r;
          try {
            r =
                client(1)
                    .upload(
                        wallet,
                        file,
                        List.of(Tag.of("Test", "faults")),
                        UploadOptions.builder()
                            .stateFile(dir.resolve("state.json"))
                            .listener(reportToProxy())
                            .verifyAfterUpload()
                            .build());
          } finally {
            proxy.faults(FaultProxy.Faults.NONE);
          }
          assertTrue(proxy.faultsInjected() > 0, "the seed must inject some faults");
          assertConfirmationsSound(r.chunks());
          assertTrue(proxy.txPosts().stream().allMatch(r.txId()::equals));
        });
  }

  @Test
  void concurrentUploadSendsValidProofsForEveryChunk(@TempDir Path dir) throws Exception {
    SeedReporter.run(
        seed,
        () -> {
          proxy.resetCounts();
          proxy.faults(new FaultProxy.Faults(0.1, 0.1, 0.05, 0.05, 0, 0));
          Path file = randomFile(dir, 12 * MerkleTree.MAX_CHUNK_SIZE + 999, seed + 1);
          UploadResult r;
          try {
            r =
                client(4)
                    .upload(
                        wallet,
                        file,
                        List.of(),
                        UploadOptions.builder().listener(reportToProxy()).build());
          } finally {
            proxy.faults(FaultProxy.Faults.NONE);
          }
          assertEquals(r.chunks(), r.chunksSent());
          assertConfirmationsSound(r.chunks());
          assertTrue(proxy.chunkPosts().stream().allMatch(FaultProxy.ChunkPost::proofValid));
        });
  }

  /**
   * Issue 17 item 12, the case a kill test cannot pin down: a chunk is refused for good while
   * another is in flight, already accepted by the gateway, its answer still on the way. The failing
   * upload must let that worker finish and record the chunk (interrupting it, as the upload once
   * did, loses the record and the resume posts an accepted chunk again).
   */
  @Test
  void aRefusedChunkLetsTheChunkInFlightBeRecorded(@TempDir Path dir) throws Exception {
    SeedReporter.run(
        seed,
        () -> {
          Random rnd = new Random(seed + 13);
          Path file =
              randomFile(dir, 8 * MerkleTree.MAX_CHUNK_SIZE + rnd.nextInt(50_000), seed + 13);
          Path stateFile = dir.resolve("refused-state.json");
          int slow = 1 + rnd.nextInt(4);
          proxy.resetCounts();
          proxy.faults(FaultProxy.Faults.NONE);
          // Two workers: the slow chunk's answer is held back 800 ms (under the client's 1.5 s
          // timeout) while the other worker's next chunk is refused.
          proxy.slowAndRefuseChunks(slow, 800, slow + 1);
          List<Tag> tags = List.of(Tag.of("Test", "refused-chunk"));
          ArweaveException refused =
              assertThrows(
                  ArweaveException.class,
                  () ->
                      client(2)
                          .upload(
                              wallet,
                              file,
                              tags,
                              UploadOptions.builder().stateFile(stateFile).build()));
          assertFalse(refused.retryable(), refused.getMessage());
          // Without random faults every chunk forwarded to arlocal was accepted by it, whether or
          // not the client stayed to read the answer (the refused one never reached it).
          Set<Long> accepted = new TreeSet<>();
          for (FaultProxy.ChunkPost p : proxy.chunkPosts()) {
            if (p.reachedGateway()) {
              accepted.add(p.offset());
            }
          }
          assertEquals(slow, accepted.size(), "chunks arlocal accepted, the slow one among them");
          int recorded = UploadState.load(stateFile).confirmedCount();

          proxy.resetCounts();
          UploadResult r =
              client(2)
                  .upload(wallet, file, tags, UploadOptions.builder().stateFile(stateFile).build());
          // No read-back of the data: arlocal serves a transaction's chunks in the order they
          // arrived, not by offset (seen here: two chunks posted concurrently came back swapped),
          // so concurrent uploads are judged by what was posted, as in the proof test above.
          Set<Long> reposted = new TreeSet<>();
          proxy.chunkPosts().forEach(p -> reposted.add(p.offset()));
          reposted.retainAll(accepted);
          String counts =
              String.format(
                  "arlocal accepted %d chunks before the refusal, the state recorded %d, the"
                      + " resume posted %d of them again (end offsets %s)",
                  accepted.size(), recorded, reposted.size(), reposted);
          assertEquals(accepted.size(), recorded, "every accepted chunk recorded: " + counts);
          assertEquals(Set.of(), reposted, "no accepted chunk twice: " + counts);
          assertEquals(r.chunks() - accepted.size(), r.chunksSent(), counts);
        });
  }

  @Test
  void crashedUploadResumesWithoutResendingHeaderOrConfirmedChunks(@TempDir Path dir)
      throws Exception {
    SeedReporter.run(
        seed,
        () -> {
          proxy.resetCounts();
          Path file = randomFile(dir, 8 * MerkleTree.MAX_CHUNK_SIZE + 777, seed + 2);
          Path stateFile = dir.resolve("upload-state.json");
          int crashAfter = 1 + new Random(seed).nextInt(5);
          ArweaveClient client = client(1);
          IllegalStateException crash =
              assertThrows(
                  IllegalStateException.class,
                  () ->
                      client.upload(
                          wallet,
                          file,
                          List.of(Tag.of("Test", "resume")),
                          UploadOptions.builder()
                              .stateFile(stateFile)
                              .listener(
                                  p -> {
                                    if (p.chunksDone() >= crashAfter) {
                                      throw new IllegalStateException("simulated crash");
                                    }
                                  })
                              .build()));
          assertEquals("simulated crash", crash.getMessage());
          UploadState state = UploadState.load(stateFile);
          assertTrue(state.headerPosted());
          BitSet confirmed = state.confirmedChunks();
          assertEquals(crashAfter, confirmed.cardinality());
          assertEquals(1, proxy.txPosts().size());

          proxy.resetCounts();
          UploadResult r =
              client(1)
                  .upload(
                      wallet,
                      file,
                      List.of(Tag.of("Test", "resume")),
                      UploadOptions.builder().stateFile(stateFile).verifyAfterUpload().build());
          assertEquals(state.txId(), r.txId());
          assertFalse(r.headerPosted());
          assertEquals(List.of(), proxy.txPosts(), "the header must not be posted again");
          assertEquals(r.chunks() - crashAfter, r.chunksSent());
          MerkleTree tree = MerkleTree.build(Files.readAllBytes(file));
          Set<Long> expected = new TreeSet<>();
          for (int i = 0; i < tree.chunkCount(); i++) {
            if (!confirmed.get(i)) {
              expected.add(tree.chunkEnd(i) - 1);
            }
          }
          Set<Long> sent = new TreeSet<>();
          proxy.chunkPosts().forEach(e -> sent.add(e.offset()));
          assertEquals(expected, sent, "only unconfirmed chunks may be sent on resume");
          assertEquals(r.chunks(), UploadState.load(stateFile).confirmedCount());

          // A finished upload re-run sends nothing at all.
          proxy.resetCounts();
          UploadResult again =
              client(1)
                  .upload(
                      wallet,
                      file,
                      List.of(Tag.of("Test", "resume")),
                      UploadOptions.builder().stateFile(stateFile).build());
          assertEquals(0, again.chunksSent());
          assertTrue(proxy.chunkPosts().isEmpty() && proxy.txPosts().isEmpty());
        });
  }

  @Test
  void killedUploadProcessResumesWithoutResendingHeaderOrConfirmedChunks(@TempDir Path dir)
      throws Exception {
    SeedReporter.run(
        seed,
        () -> {
          Random rnd = new Random(seed + 3);
          Path file = randomFile(dir, 3 * (1 << 20) + rnd.nextInt(1 << 20), seed + 3);
          int confirmedBeforeKill = 2 + rnd.nextInt(6);
          Path key = dir.resolve("key.json");
          wallet.save(key);
          Path stateFile = dir.resolve("killed-state.json");
          Path log = dir.resolve("child.log");

          proxy.resetCounts();
          proxy.faults(FaultProxy.Faults.NONE);
          // The child gets this many chunks answered; its next chunk POST then waits in the
          // proxy, so it dies mid-request with a known state.
          proxy.holdChunksAfter(confirmedBeforeKill);
          Process child =
              UploadChild.start(
                  log,
                  proxy.url().toString(),
                  key.toString(),
                  file.toString(),
                  stateFile.toString());
          UploadState atKill;
          try {
            atKill = awaitHeldChunk(child, stateFile, confirmedBeforeKill, log);
          } finally {
            child.destroyForcibly();
            child.waitFor();
            proxy.releaseHeld();
          }
          assertTrue(atKill.headerPosted());
          assertEquals(List.of(atKill.txId()), proxy.txPosts(), "the child posted the header");
          UploadState state = UploadState.load(stateFile);
          assertEquals(atKill.confirmedChunks(), state.confirmedChunks());

          proxy.resetCounts();
          proxy.faults(new FaultProxy.Faults(0.1, 0.1, 0.05, 0.05, 0, 0));
          UploadResult r;
          try {
            r =
                client(1)
                    .upload(
                        wallet,
                        file,
                        List.of(Tag.of("Test", "killed-process")),
                        UploadOptions.builder()
                            .stateFile(stateFile)
                            .listener(reportToProxy())
                            .build());
          } finally {
            proxy.faults(FaultProxy.Faults.NONE);
          }
          assertEquals(state.txId(), r.txId());
          assertFalse(r.headerPosted());
          assertEquals(List.of(), proxy.txPosts(), "the header must not be posted again");
          assertEquals(r.chunks() - confirmedBeforeKill, r.chunksSent());
          MerkleTree tree = MerkleTree.build(Files.readAllBytes(file));
          Set<Long> unconfirmed = new TreeSet<>();
          for (int i = 0; i < tree.chunkCount(); i++) {
            if (!state.isConfirmed(i)) {
              unconfirmed.add(tree.chunkEnd(i) - 1);
            }
          }
          Set<Long> sent = new TreeSet<>();
          proxy.chunkPosts().forEach(p -> sent.add(p.offset()));
          assertEquals(unconfirmed, sent, "chunks confirmed before the kill must not be re-sent");
          assertConfirmationsSound(r.chunks() - confirmedBeforeKill);

          ARLOCAL.mine();
          Path copy = dir.resolve("copy.bin");
          client(1).download(r.txId(), copy, tree.sha256());
          client(1).verifyAgainstDataRoot(r.txId(), copy);
        });
  }

  /**
   * Waits until the child has {@code confirmed} chunks in its state file and its next chunk POST is
   * held by the proxy; fails with the child's output if it exits first.
   */
  private static UploadState awaitHeldChunk(Process child, Path stateFile, int confirmed, Path log)
      throws Exception {
    while (true) {
      if (!child.isAlive()) {
        throw new AssertionError(
            "the upload process exited with "
                + child.exitValue()
                + " before it was killed:\n"
                + Files.readString(log));
      }
      if (proxy.held() > 0 && Files.exists(stateFile)) {
        UploadState s = UploadState.load(stateFile);
        if (s.confirmedCount() == confirmed) {
          return s;
        }
        assertTrue(s.confirmedCount() < confirmed, "more chunks confirmed than the proxy answered");
      }
      Thread.sleep(20);
    }
  }

  /**
   * Issue 17 item 12: a folder upload run as publish runs it (automatic concurrency, a state
   * folder), killed with SIGKILL while a chunk is in flight, then resumed: every chunk the gateway
   * had accepted before the kill is on disk, and none of them is posted again.
   */
  @Test
  void killedFolderUploadResendsNoAcceptedChunk(@TempDir Path dir) throws Exception {
    SeedReporter.run(
        seed,
        () -> {
          Random rnd = new Random(seed + 9);
          Path folder = dir.resolve("folder");
          Files.createDirectories(folder);
          Path large = folder.resolve("large.bin");
          Files.copy(randomFile(dir, 3 * (1 << 20) + rnd.nextInt(1 << 20), seed + 9), large);
          for (int i = 0; i < 3; i++) {
            Files.copy(
                randomFile(dir, 1 + rnd.nextInt(20_000), seed + 10 + i),
                folder.resolve("small-" + i + ".bin"));
          }
          Path key = dir.resolve("key.json");
          wallet.save(key);
          Path stateDir = dir.resolve("state");
          Path log = dir.resolve("child.log");
          int acceptedBeforeKill = 2 + rnd.nextInt(9);

          proxy.resetCounts();
          proxy.faults(FaultProxy.Faults.NONE);
          proxy.holdChunksAfter(acceptedBeforeKill);
          Process child =
              UploadChild.start(
                  log,
                  "--folder",
                  proxy.url().toString(),
                  key.toString(),
                  folder.toString(),
                  stateDir.toString());
          try {
            while (proxy.held() == 0) {
              if (!child.isAlive()) {
                throw new AssertionError(
                    "the upload exited before it was killed:\n" + Files.readString(log));
              }
              Thread.sleep(20);
            }
          } finally {
            child.destroyForcibly();
            child.waitFor();
            proxy.releaseHeld();
          }
          Set<Long> accepted = new TreeSet<>();
          for (FaultProxy.ChunkPost p : proxy.chunkPosts()) {
            if (p.answeredOk()) {
              accepted.add(p.offset());
            }
          }
          assertEquals(acceptedBeforeKill, accepted.size(), "chunks the gateway accepted");
          List<String> postedBefore = proxy.txPosts();
          assertEquals(1, postedBefore.size(), "large.bin's header, nothing else yet");
          int onDiskAtKill =
              UploadState.load(stateDir.resolve("tx-large.bin.json")).confirmedCount();

          proxy.resetCounts();
          FolderUploader.Result r =
              new ArweaveClient(ArweaveConfig.builder(proxy.url()).build())
                  .uploadFolder(
                      wallet,
                      folder,
                      List.of(Tag.of("Test", "killed-folder")),
                      FolderUploader.Options.builder()
                          .stateDir(stateDir)
                          .index("small-0.bin")
                          .build());
          MerkleTree tree = MerkleTree.build(Files.readAllBytes(large));
          Set<Long> expected = new TreeSet<>();
          for (int i = 0; i < tree.chunkCount(); i++) {
            expected.add(tree.chunkEnd(i) - 1);
          }
          expected.removeAll(accepted);
          Set<Long> resent = new TreeSet<>();
          proxy.chunkPosts().forEach(p -> resent.add(p.offset()));
          Set<Long> reposted = new TreeSet<>(resent);
          reposted.retainAll(accepted);
          long headersAgain = proxy.txPosts().stream().filter(postedBefore::contains).count();
          // The counts go into every message below, so a failure says how much was sent twice.
          String counts =
              String.format(
                  "the gateway accepted %d chunks before the kill and the state on disk recorded"
                      + " %d; the resume re-posted %d of the accepted chunks (end offsets %s) and"
                      + " %d header(s) posted before the kill",
                  accepted.size(), onDiskAtKill, reposted.size(), reposted, headersAgain);
          assertEquals(0, headersAgain, "no header twice: " + counts);
          assertEquals(Set.of(), reposted, "no accepted chunk twice: " + counts);
          assertEquals(acceptedBeforeKill, onDiskAtKill, "all on disk at the kill: " + counts);
          assertEquals(
              expected, resent, "exactly the chunks not accepted before the kill: " + counts);
          ARLOCAL.mine();
          assertArrayEquals(
              Files.readAllBytes(large), client(1).gateway().data(r.paths().get("large.bin")));
        });
  }

  @Test
  void interruptedFolderUploadResumesWithoutPostingAnythingTwice(@TempDir Path dir)
      throws Exception {
    SeedReporter.run(
        seed,
        () -> {
          Random rnd = new Random(seed + 4);
          Path folder = dir.resolve("folder");
          Files.createDirectories(folder);
          Files.copy(
              randomFile(dir, 2 * MerkleTree.MAX_CHUNK_SIZE + rnd.nextInt(100_000), seed + 4),
              folder.resolve("large.bin"));
          for (int i = 0; i < 3; i++) {
            Files.copy(
                randomFile(dir, 1 + rnd.nextInt(20_000), seed + 5 + i),
                folder.resolve("small-" + i + ".bin"));
          }
          Path stateDir = dir.resolve("state");
          FolderUploader.Options options =
              FolderUploader.Options.builder()
                  .stateDir(stateDir)
                  // arlocal resolves no path of a manifest without an index (it reads index.path)
                  .index("small-0.bin")
                  .listener(
                      new FolderUploader.Listener() {
                        @Override
                        public void onProgress(String path, UploadProgress p) {
                          if (p.chunkOffset() >= 0) {
                            proxy.clientConfirmed(p.chunkOffset());
                          }
                        }
                      })
                  .build();
          List<Tag> tags = List.of(Tag.of("Test", "folder-resume"));
          // Transactions in order: large.bin, the bundle, the manifest. Stop after the first
          // one or two, as a crash would.
          int allowed = 1 + rnd.nextInt(2);
          proxy.resetCounts();
          proxy.refuseTransactionsAfter(allowed);
          assertThrows(
              ArweaveException.class, () -> client(1).uploadFolder(wallet, folder, tags, options));
          List<String> postedBefore = proxy.txPosts();
          assertEquals(allowed, postedBefore.size());
          int chunks = proxy.confirmations().size();
          assertEquals(
              MerkleTree.build(Files.readAllBytes(folder.resolve("large.bin"))).chunkCount(),
              chunks);

          proxy.resetCounts();
          proxy.faults(new FaultProxy.Faults(0.1, 0.1, 0.05, 0.05, 0, 0));
          FolderUploader.Result r;
          try {
            r = client(1).uploadFolder(wallet, folder, tags, options);
          } finally {
            proxy.faults(FaultProxy.Faults.NONE);
          }
          assertEquals(3 - allowed, r.transactionsPosted());
          assertTrue(
              proxy.txPosts().stream().noneMatch(postedBefore::contains),
              "transactions posted before the interruption must not be posted again");
          assertEquals(List.of(), proxy.chunkPosts(), "large.bin was complete");
          ARLOCAL.mine();
          for (Map.Entry<String, String> e : r.paths().entrySet()) {
            assertArrayEquals(
                Files.readAllBytes(folder.resolve(e.getKey())),
                client(1).gateway().data(r.manifestId() + "/" + e.getKey()),
                e.getKey());
          }
          assertEquals(Set.of("small-0.bin", "small-1.bin", "small-2.bin"), r.bundledPaths());

          // Run again: the same manifest, nothing posted.
          proxy.resetCounts();
          FolderUploader.Result again = client(1).uploadFolder(wallet, folder, tags, options);
          assertEquals(r.manifestId(), again.manifestId());
          assertEquals(0, again.transactionsPosted());
          assertTrue(proxy.txPosts().isEmpty() && proxy.chunkPosts().isEmpty());
        });
  }

  @Test
  void downloadedFolderIsProvenAgainstWhatItsOwnerSigned(@TempDir Path dir) throws Exception {
    SeedReporter.run(
        seed,
        () -> {
          Random rnd = new Random(seed + 9);
          Path folder = dir.resolve("folder");
          Files.createDirectories(folder.resolve("sub"));
          Files.copy(
              randomFile(dir, MerkleTree.MAX_CHUNK_SIZE + 1 + rnd.nextInt(300_000), seed + 9),
              folder.resolve("large.bin"));
          Files.copy(randomFile(dir, 1 + rnd.nextInt(9_000), seed + 10), folder.resolve("a.bin"));
          Files.copy(
              randomFile(dir, 1 + rnd.nextInt(9_000), seed + 11), folder.resolve("sub/b.bin"));
          proxy.resetCounts();
          FolderUploader.Result up =
              client(1)
                  .uploadFolder(
                      wallet,
                      folder,
                      List.of(Tag.of("Test", "download-proof")),
                      FolderUploader.Options.builder().index("a.bin").build());
          ARLOCAL.mine();

          Map<String, FolderDownloader.Proof> proofs = new HashMap<>();
          FolderDownloader.Result r =
              new FolderDownloader(client(1))
                  .download(
                      up.manifestId(), dir.resolve("out"), (p, id, how) -> proofs.put(p, how));
          assertEquals(up.paths(), r.paths());
          assertEquals(wallet.address(), r.owner());
          assertEquals(up.bundleId(), r.bundleId());
          assertEquals(
              Map.of(
                  "large.bin", FolderDownloader.Proof.DATA_ROOT,
                  "a.bin", FolderDownloader.Proof.BUNDLED_ITEM,
                  "sub/b.bin", FolderDownloader.Proof.BUNDLED_ITEM),
              proofs);
          for (String p : up.paths().keySet()) {
            assertArrayEquals(
                Files.readAllBytes(folder.resolve(p)), Files.readAllBytes(dir.resolve("out/" + p)));
          }

          // An interrupted download resumed: a damaged file and a missing one are fetched again,
          // the intact one is kept.
          Path large = dir.resolve("out/large.bin");
          byte[] damaged = Files.readAllBytes(large);
          damaged[rnd.nextInt(damaged.length)] ^= 1;
          Files.write(large, damaged);
          Files.delete(dir.resolve("out/sub/b.bin"));
          List<String> events = new ArrayList<>();
          FolderDownloader.Result resumed =
              new FolderDownloader(client(1))
                  .resume(
                      up.manifestId(),
                      dir.resolve("out"),
                      new FolderDownloader.Listener() {
                        @Override
                        public void fetched(String p, String id, FolderDownloader.Proof how) {
                          events.add("fetched " + p);
                        }

                        @Override
                        public void kept(String p, String id, FolderDownloader.Proof how) {
                          events.add("kept " + p + " " + how);
                        }

                        @Override
                        public void replacing(String p, String id, String why) {
                          events.add("replacing " + p + ": " + why.startsWith("its data_root is"));
                        }
                      });
          assertEquals(up.paths(), resumed.paths());
          assertEquals(
              List.of(
                  "kept a.bin BUNDLED_ITEM",
                  "replacing large.bin: true",
                  "fetched large.bin",
                  "fetched sub/b.bin"),
              events);
          for (String p : up.paths().keySet()) {
            assertArrayEquals(
                Files.readAllBytes(folder.resolve(p)), Files.readAllBytes(dir.resolve("out/" + p)));
          }

          String largeTx = up.paths().get("large.bin");
          proxy.corruptDownloadsOf(largeTx);
          ArweaveException e =
              assertThrows(
                  ArweaveException.class,
                  () ->
                      new FolderDownloader(client(1))
                          .download(
                              up.manifestId(),
                              dir.resolve("out2"),
                              FolderDownloader.Listener.NONE));
          assertTrue(e.getMessage().contains("transaction " + largeTx), e.getMessage());
          assertTrue(e.getMessage().contains("large.bin has data_root"), e.getMessage());

          proxy.resetCounts();
          String item = up.paths().get("sub/b.bin");
          proxy.corruptDownloadsOf(item);
          ArweaveException i =
              assertThrows(
                  ArweaveException.class,
                  () ->
                      new FolderDownloader(client(1))
                          .download(
                              up.manifestId(),
                              dir.resolve("out3"),
                              FolderDownloader.Listener.NONE));
          assertTrue(
              i.getMessage()
                  .contains("b.bin (data item " + item + " of bundle transaction " + up.bundleId()),
              i.getMessage());
          proxy.resetCounts();
        });
  }

  @Test
  void stateFileOfOtherDataIsRefused(@TempDir Path dir) throws Exception {
    Path stateFile = dir.resolve("s.json");
    ArweaveClient client = client(1);
    proxy.faults(FaultProxy.Faults.NONE);
    client.upload(
        wallet,
        randomFile(dir, 3 * MerkleTree.MAX_CHUNK_SIZE, 7),
        List.of(),
        UploadOptions.builder().stateFile(stateFile).build());
    ArweaveException e =
        assertThrows(
            ArweaveException.class,
            () ->
                client.upload(
                    wallet,
                    randomFile(dir, 3 * MerkleTree.MAX_CHUNK_SIZE, 8),
                    List.of(),
                    UploadOptions.builder().stateFile(stateFile).build()));
    assertTrue(e.getMessage().contains("different upload"), e.getMessage());
  }

  /**
   * Holds the client's confirmations against the chunk POSTs in the one order both happened in:
   * every chunk confirmed exactly once, each only after a POST of it that arlocal answered with
   * 200, and no POST of a chunk arriving after the client had its confirmation or after an answer
   * the client is proven to have read (see {@link FaultProxy#clientReadAnswer}). A POST whose
   * answer the client may not have seen (cut, timed out) may be retried: that is the point.
   */
  static void assertConfirmationsSound(int chunks) {
    List<FaultProxy.ChunkPost> posts = proxy.chunkPosts();
    Map<Long, Long> confirmedAt = new HashMap<>();
    for (FaultProxy.ClientConfirmation c : proxy.confirmations()) {
      assertNull(
          confirmedAt.put(c.offset(), c.seq()),
          "the client confirmed the chunk at offset " + c.offset() + " twice");
    }
    assertEquals(chunks, confirmedAt.size(), "chunks the client confirmed");
    for (FaultProxy.ChunkPost p : posts) {
      Long at = confirmedAt.get(p.offset());
      assertTrue(
          at == null || p.seq() < at,
          "chunk at offset " + p.offset() + " was sent again after the client had its 200");
    }
    Map<Long, Long> readAt = new HashMap<>();
    for (FaultProxy.ChunkPost p : posts) {
      Long read = readAt.get(p.offset());
      assertTrue(
          read == null,
          "chunk at offset "
              + p.offset()
              + " was sent again after the client had read its 200 (request "
              + read
              + ")");
      if (proxy.clientReadAnswer(p)) {
        readAt.put(p.offset(), p.seq());
      }
    }
    confirmedAt.forEach(
        (offset, at) ->
            assertTrue(
                posts.stream()
                    .anyMatch(
                        p ->
                            p.offset() == offset
                                && p.seq() < at
                                && p.reachedGateway()
                                && p.answeredOk()),
                "the client confirmed the chunk at offset " + offset + " without a 200"));
  }
}
