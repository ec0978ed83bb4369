package org.synthweave.arweave.upload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.synthweave.arweave.ArweaveConfig;
import org.synthweave.arweave.ArweaveErrors;
import org.synthweave.arweave.UploadProgress;
import org.synthweave.arweave.chunk.DataSource;
import org.synthweave.arweave.chunk.MerkleTree;
import org.synthweave.arweave.crypto.Base64Url;
import org.synthweave.arweave.crypto.Bytes;
import org.synthweave.arweave.http.Gateway;
import org.synthweave.arweave.http.TxStatus;
import org.synthweave.arweave.tx.Tag;
import org.synthweave.arweave.tx.Transaction;
import org.synthweave.arweave.wallet.Wallet;

/**
 * Uploads data as one transaction: inline when it fits one chunk (as arweave-js does), otherwise
 * header first and then every chunk with its proof, in parallel on a bounded pool. Heap use is
 * fixed: the merkle tree keeps only hashes, and each worker reads its chunk from the source when it
 * sends it.
 */
public final class Uploader {
  private final Gateway gateway;
  private volatile int concurrency;

  /**
   * @param concurrency chunks in flight, or {@link ArweaveConfig#AUTO_CHUNK_CONCURRENCY} to choose
   *     by the gateway at the first upload
   */
  public Uploader(Gateway gateway, int concurrency) {
    if (gateway == null) {
      throw new IllegalArgumentException("gateway must not be null");
    }
    if (concurrency < 0) {
      throw new IllegalArgumentException("concurrency must be >= 0, got " + concurrency);
    }
    this.gateway = gateway;
    this.concurrency = concurrency;
  }

  /**
   * Chunks in flight for this gateway. arlocal (its {@code GET /info} network is {@code arlocal.*})
   * ignores a chunk's offset and stores a transaction's chunks in arrival order, so chunks sent
   * side by side can come back swapped: it gets one at a time. Real nodes place each chunk by its
   * offset and get {@link ArweaveConfig#DEFAULT_CHUNK_CONCURRENCY}.
   */
  public int concurrency() {
    if (concurrency == ArweaveConfig.AUTO_CHUNK_CONCURRENCY) {
      String network = gateway.info().path("network").asText("");
      concurrency = network.startsWith("arlocal") ? 1 : ArweaveConfig.DEFAULT_CHUNK_CONCURRENCY;
    }
    return concurrency;
  }

  /**
   * Uploads {@code source} signed by {@code wallet} with {@code tags}. With a state file in {@code
   * options}, an earlier interrupted upload of the same data is resumed instead of started anew.
   */
  public UploadResult upload(
      Wallet wallet, DataSource source, List<Tag> tags, UploadOptions options) {
    if (wallet == null || source == null || tags == null || options == null) {
      throw new IllegalArgumentException("wallet, source, tags and options must not be null");
    }
    MerkleTree tree;
    try {
      tree = MerkleTree.build(source);
    } catch (IOException | UncheckedIOException e) {
      throw ArweaveErrors.dataUnreadable(source.description(), e);
    }
    String sha = Bytes.hex(tree.sha256());
    if (tree.chunkCount() <= 1) {
      return uploadInline(wallet, source, tags, options, tree, sha);
    }

    UploadState state = null;
    boolean resumed = false;
    if (options.stateFile() != null && Files.exists(options.stateFile())) {
      state = loadMatching(options, tree, source);
      resumed = true;
    }
    if (state == null) {
      Transaction header =
          Transaction.builder()
              .tags(tags)
              .chunkedData(tree)
              .lastTx(gateway.txAnchor())
              .reward(gateway.price(tree.dataSize()))
              .build()
              .sign(wallet);
      state =
          new UploadState(
              header.id(),
              header.dataRoot(),
              header.dataSize(),
              tree.chunkCount(),
              header.toJson(),
              false,
              new java.util.BitSet());
      // A chunk log without its state file is left from another upload: it says nothing here.
      if (options.stateFile() != null) {
        ChunkLog.discard(options.stateFile());
      }
      // Persist before posting: if we crash right after the POST, the resumed run finds the id
      // and asks the gateway instead of signing (and paying for) a second transaction.
      save(state, options);
    }

    boolean postedNow = postHeaderOnce(state, resumed, options);
    int sent = uploadChunks(state, tree, source, options);
    UploadResult result =
        new UploadResult(
            state.txId(),
            tree.dataSize(),
            state.dataRoot(),
            sha,
            tree.chunkCount(),
            sent,
            postedNow);
    if (options.verifyAfterUpload()) {
      verify(state.txId(), tree.sha256());
    }
    return result;
  }

  private UploadResult uploadInline(
      Wallet wallet,
      DataSource source,
      List<Tag> tags,
      UploadOptions options,
      MerkleTree tree,
      String sha) {
    byte[] data = source.read(0, Math.toIntExact(tree.dataSize()));
    UploadState state = null;
    boolean resumed = false;
    if (options.stateFile() != null && Files.exists(options.stateFile())) {
      state = loadMatching(options, tree, source);
      resumed = true;
    }
    if (state == null) {
      Transaction tx =
          Transaction.builder()
              .tags(tags)
              .data(data)
              .lastTx(gateway.txAnchor())
              .reward(gateway.price(data.length))
              .build()
              .sign(wallet);
      // The state holds the whole signed transaction (data included, at most one chunk), so a
      // re-run posts this one instead of signing and paying for a second.
      state =
          new UploadState(
              tx.id(), tx.dataRoot(), tx.dataSize(), 0, tx.toJson(), false, new java.util.BitSet());
      save(state, options);
    }
    boolean postedNow = postHeaderOnce(state, resumed, options);
    if (postedNow) {
      options
          .listener()
          .onProgress(new UploadProgress(state.txId(), data.length, data.length, 0, 0, -1));
    }
    if (options.verifyAfterUpload() && data.length > 0) {
      verify(state.txId(), tree.sha256());
    }
    return new UploadResult(state.txId(), data.length, state.dataRoot(), sha, 0, 0, postedNow);
  }

  /** Loads the state file and checks that it records an upload of exactly this data. */
  private static UploadState loadMatching(
      UploadOptions options, MerkleTree tree, DataSource source) {
    UploadState state = UploadState.load(options.stateFile());
    String root = Base64Url.encode(tree.dataRoot());
    if (!state.dataRoot().equals(root) || state.dataSize() != tree.dataSize()) {
      throw ArweaveErrors.stateMismatch(
          options.stateFile(),
          "it records data_root "
              + state.dataRoot()
              + " ("
              + state.dataSize()
              + " bytes) but "
              + source.description()
              + " has "
              + root
              + " ("
              + tree.dataSize()
              + " bytes)");
    }
    return state;
  }

  /**
   * Posts the transaction in {@code state} unless it was posted before: by this state (recorded) or
   * by a run that crashed between the POST and recording it (the gateway knows the id). Returns
   * whether this call posted it.
   */
  private boolean postHeaderOnce(UploadState state, boolean resumed, UploadOptions options) {
    if (state.headerPosted()) {
      return false;
    }
    Transaction header = Transaction.fromJson(state.headerJson());
    boolean postedNow = false;
    if (!resumed || gateway.status(header.id()).state() == TxStatus.State.NOT_FOUND) {
      gateway.postTx(header);
      postedNow = true;
    }
    state.markHeaderPosted();
    save(state, options);
    return postedNow;
  }

  private int uploadChunks(
      UploadState state, MerkleTree tree, DataSource source, UploadOptions options) {
    int total = tree.chunkCount();
    AtomicInteger done = new AtomicInteger(state.confirmedCount());
    AtomicLong bytesDone = new AtomicLong();
    for (int i = 0; i < total; i++) {
      if (state.isConfirmed(i)) {
        bytesDone.addAndGet(tree.chunkLength(i));
      }
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            concurrency(),
            r -> {
              Thread t = new Thread(r, "arweave-chunk-upload");
              t.setDaemon(true);
              return t;
            });
    ExecutorCompletionService<Integer> ecs = new ExecutorCompletionService<>(pool);
    int submitted = 0;
    ChunkLog log = options.stateFile() == null ? null : ChunkLog.open(options.stateFile());
    AtomicBoolean stop = new AtomicBoolean();
    try {
      for (int i = 0; i < total; i++) {
        if (state.isConfirmed(i)) {
          continue;
        }
        int index = i;
        ecs.submit(
            () -> {
              if (stop.get()) {
                return index;
              }
              try {
                long start = tree.chunkStart(index);
                byte[] chunk = source.read(start, tree.chunkLength(index));
                // Guards against the file changing between the tree pass and the upload.
                if (!MessageDigest.isEqual(
                    org.synthweave.arweave.crypto.Hashes.sha256(chunk), tree.dataHash(index))) {
                  throw ArweaveErrors.dataUnreadable(
                      source.description(),
                      new IOException(
                          "chunk " + index + " changed since the data_root was computed"));
                }
                gateway.postChunk(
                    state.txId(),
                    state.dataRoot(),
                    tree.dataSize(),
                    tree.chunkEnd(index) - 1,
                    tree.dataPath(index),
                    chunk);
                // Durable before anything else: a kill from here on must not re-send this chunk.
                if (log != null) {
                  log.append(index);
                }
                state.confirm(index);
                options
                    .listener()
                    .onProgress(
                        new UploadProgress(
                            state.txId(),
                            bytesDone.addAndGet(chunk.length),
                            tree.dataSize(),
                            done.incrementAndGet(),
                            total,
                            tree.chunkEnd(index) - 1));
              } catch (RuntimeException | Error e) {
                // Stop the chunks not yet started at once, before the caller hears of it.
                stop.set(true);
                throw e;
              }
              return index;
            });
        submitted++;
      }
      for (int k = 0; k < submitted; k++) {
        Future<Integer> f = ecs.take();
        f.get();
      }
      return submitted;
    } catch (InterruptedException e) {
      stop.set(true);
      throw ArweaveErrors.interrupted("upload of " + state.txId(), e);
    } catch (ExecutionException e) {
      stop.set(true);
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      if (cause instanceof Error) {
        throw (Error) cause;
      }
      throw ArweaveErrors.dataUnreadable(source.description(), cause);
    } finally {
      // No interrupts: a chunk in flight may be accepted, and its worker must live to record it.
      // Workers that have not started yet see the stop flag and send nothing.
      stop.set(true);
      pool.shutdown();
      awaitQuiet(pool);
      if (log != null) {
        log.close();
      }
    }
  }

  /** Lets in-flight chunk posts settle so the state file is final when we return or throw. */
  private static void awaitQuiet(ExecutorService pool) {
    try {
      if (!pool.awaitTermination(2, java.util.concurrent.TimeUnit.MINUTES)) {
        assert false : "chunk workers did not stop";
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void verify(String txId, byte[] expected) {
    byte[] actual = gateway.sha256(txId);
    if (!MessageDigest.isEqual(expected, actual)) {
      throw ArweaveErrors.hashMismatch(
          txId, gateway.url() + "/" + txId, Bytes.hex(expected), Bytes.hex(actual));
    }
  }

  private static void save(UploadState state, UploadOptions options) {
    if (options.stateFile() != null) {
      state.save(options.stateFile());
    }
  }
}
