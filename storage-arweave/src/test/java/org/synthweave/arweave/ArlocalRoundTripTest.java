package org.synthweave.arweave;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.arweave.crypto.Bytes;
import org.synthweave.arweave.crypto.Hashes;
import org.synthweave.arweave.http.GraphQlQuery;
import org.synthweave.arweave.http.TxNode;
import org.synthweave.arweave.http.TxStatus;
import org.synthweave.arweave.tx.Tag;
import org.synthweave.arweave.upload.UploadOptions;
import org.synthweave.arweave.upload.UploadResult;
import org.synthweave.arweave.wallet.Wallet;

class ArlocalRoundTripTest {
  @RegisterExtension static final ArlocalGateway ARLOCAL = new ArlocalGateway();

  static ArweaveClient client;
  static Wallet wallet;

  @BeforeAll
  static void fund() throws Exception {
    // The default concurrency: arlocal stores chunks in arrival order (it ignores the posted
    // offset), so the client finds it by its network name and sends one chunk at a time;
    // FaultInjectionTest covers concurrent uploads.
    client = new ArweaveClient(ARLOCAL.config().build());
    wallet = TestWallets.first();
    ARLOCAL.mint(wallet.address(), "100000000000000000");
  }

  @Test
  void smallInlineTransactionGoesPendingThenConfirmed() throws Exception {
    byte[] data = "hello arweave".getBytes(StandardCharsets.UTF_8);
    UploadResult r =
        client.upload(
            wallet,
            data,
            List.of(Tag.of("Content-Type", "text/plain"), Tag.of("App-Name", "synthweave-test")),
            UploadOptions.builder().verifyAfterUpload().build());
    assertEquals(0, r.chunks());
    assertEquals(TxStatus.State.PENDING, client.status(r.txId()).state());
    ARLOCAL.mine();
    TxStatus s = client.status(r.txId());
    assertTrue(s.isConfirmed(), s.toString());
    assertTrue(s.blockHeight() >= 1);
    assertArrayEquals(data, client.gateway().data(r.txId()));
    assertTrue(client.gateway().transaction(r.txId()).verify());
  }

  @Test
  void multiChunkFileRoundTripAndTamperDetection(@TempDir Path dir) throws Exception {
    long seed = SeedReporter.seed();
    SeedReporter.run(
        seed,
        () -> {
          assertEquals(1, client.chunkConcurrency(), "arlocal must get one chunk at a time");
          byte[] data = new byte[614400 + new Random(seed).nextInt(300_000)];
          new Random(seed).nextBytes(data);
          Path file = dir.resolve("data.bin");
          Files.write(file, data);
          List<UploadProgress> progress = new ArrayList<>();
          UploadResult r =
              client.upload(
                  wallet,
                  file,
                  List.of(Tag.of("Content-Type", "application/octet-stream")),
                  UploadOptions.builder()
                      .verifyAfterUpload()
                      .listener(
                          p -> {
                            synchronized (progress) {
                              progress.add(p);
                            }
                          })
                      .build());
          assertTrue(r.chunks() >= 3);
          assertEquals(r.chunks(), r.chunksSent());
          assertEquals(Bytes.hex(Hashes.sha256(data)), r.sha256Hex());
          assertEquals(r.chunks(), progress.size());
          assertTrue(progress.stream().anyMatch(p -> p.bytesDone() == data.length));
          assertTrue(progress.stream().allMatch(p -> p.chunksTotal() == r.chunks()));

          ARLOCAL.mine();
          assertTrue(client.status(r.txId()).isConfirmed());
          Path copy = dir.resolve("copy.bin");
          client.download(r.txId(), copy, Hashes.sha256(data));
          assertArrayEquals(data, Files.readAllBytes(copy));
          client.verifyAgainstDataRoot(r.txId(), copy);

          byte[] tampered = data.clone();
          tampered[400_000] ^= 0x20;
          Files.write(copy, tampered);
          ArweaveException e =
              assertThrows(
                  ArweaveException.class, () -> client.verifyAgainstDataRoot(r.txId(), copy));
          assertTrue(e.getMessage().contains("not the published ones"), e.getMessage());
          ArweaveException h =
              assertThrows(
                  ArweaveException.class,
                  () -> ArweaveClient.checkSha256(copy, Hashes.sha256(data), r.txId()));
          assertTrue(h.getMessage().contains("tampered"), h.getMessage());
        });
  }

  @Test
  void graphqlFindsByTagOwnerAndIdWithPaging() throws Exception {
    String run = "run-" + System.nanoTime();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      ids.add(
          client
              .upload(
                  wallet,
                  ("item " + i).getBytes(StandardCharsets.UTF_8),
                  List.of(Tag.of("Test-Run", run), Tag.of("Index", Integer.toString(i))),
                  UploadOptions.DEFAULTS)
              .txId());
    }
    ARLOCAL.mine();
    List<TxNode> byTag =
        client.find(GraphQlQuery.transactions().tag("Test-Run", run).pageSize(2), 100);
    assertEquals(ids, ids(byTag));
    assertTrue(byTag.stream().allMatch(n -> n.blockHeight() >= 1));
    List<TxNode> oneIndex =
        client.find(GraphQlQuery.transactions().tag("Test-Run", run).tag("Index", "3", "4"), 100);
    assertEquals(2, oneIndex.size());
    List<TxNode> byOwner =
        client.find(GraphQlQuery.transactions().owners(wallet.address()).pageSize(3), 1000);
    assertTrue(ids(byOwner).containsAll(ids));
    assertTrue(byOwner.stream().allMatch(n -> wallet.address().equals(n.ownerAddress())));
    String one = ids.iterator().next();
    List<TxNode> byId = client.find(GraphQlQuery.transactions().ids(one), 10);
    assertEquals(List.of(one), List.copyOf(ids(byId)));
    assertEquals(run, byId.get(0).tag("Test-Run"));
    assertTrue(
        client.find(GraphQlQuery.transactions().tag("Test-Run", "no-such-run"), 10).isEmpty());
  }

  @Test
  void unfundedWalletGetsAClear410() {
    Wallet poor = TestWallets.second();
    ArweaveException e =
        assertThrows(
            ArweaveException.class,
            () ->
                client.upload(
                    poor, new byte[1000], List.of(Tag.of("A", "b")), UploadOptions.DEFAULTS));
    assertEquals(410, e.status());
    assertTrue(e.getMessage().contains(poor.address()), e.getMessage());
    assertTrue(e.getMessage().contains("Fund the wallet"), e.getMessage());
    assertTrue(e.reason().contains("enough tokens"), e.reason());
  }

  @Test
  void tagLimitViolationIsRefusedBeforePosting() throws Exception {
    String pendingBefore = ARLOCAL.get("/tx/pending");
    ArweaveException e =
        assertThrows(
            ArweaveException.class,
            () ->
                client.upload(
                    wallet,
                    new byte[10],
                    List.of(Tag.of("Big", "x".repeat(2100))),
                    UploadOptions.DEFAULTS));
    assertTrue(e.getMessage().contains("at most 2048"), e.getMessage());
    assertEquals(pendingBefore, ARLOCAL.get("/tx/pending"), "nothing may reach the gateway");
  }

  private static Set<String> ids(List<TxNode> nodes) {
    Set<String> s = new HashSet<>();
    nodes.forEach(n -> s.add(n.id()));
    assertEquals(nodes.size(), s.size(), "pages must not repeat transactions");
    return s;
  }

  @Test
  void unknownIdIsNotFound() {
    assertEquals(
        TxStatus.State.NOT_FOUND,
        client.status("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").state());
    assertFalse(client.status("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").isConfirmed());
  }
}
