package org.synthweave.arweave.tx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.synthweave.arweave.ArweaveErrors;
import org.synthweave.arweave.chunk.MerkleTree;
import org.synthweave.arweave.crypto.Base64Url;
import org.synthweave.arweave.crypto.DeepHash;
import org.synthweave.arweave.crypto.Hashes;
import org.synthweave.arweave.crypto.RsaPss;
import org.synthweave.arweave.wallet.Wallet;

/**
 * An immutable Arweave format-2 transaction. Build one with {@link #builder()}, sign it with {@link
 * #sign(Wallet)}; the signature covers {@code data_root}, not the data, so {@link #data()} may be
 * empty while {@link #dataSize()} is not (the data then goes up as chunks).
 */
public final class Transaction {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final byte[] lastTx;
  private final byte[] owner;
  private final byte[] target;
  private final String quantity;
  private final List<Tag> tags;
  private final byte[] data;
  private final long dataSize;
  private final byte[] dataRoot;
  private final String reward;
  private final byte[] signature;

  private Transaction(Builder b) {
    this.lastTx = b.lastTx;
    this.owner = b.owner;
    this.target = b.target;
    this.quantity = b.quantity;
    this.tags = Collections.unmodifiableList(new ArrayList<>(b.tags));
    this.data = b.data;
    this.dataSize = b.dataSize;
    this.dataRoot = b.dataRoot;
    this.reward = b.reward;
    this.signature = b.signature;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.lastTx = lastTx;
    b.owner = owner;
    b.target = target;
    b.quantity = quantity;
    b.tags.addAll(tags);
    b.data = data;
    b.dataSize = dataSize;
    b.dataRoot = dataRoot;
    b.reward = reward;
    b.signature = signature;
    return b;
  }

  /** The 48-byte deep hash that the owner signs. */
  public byte[] signatureData() {
    List<Object> tagList = new ArrayList<>(tags.size());
    for (Tag t : tags) {
      tagList.add(List.of(t.nameBytes(), t.valueBytes()));
    }
    return DeepHash.hash(
        List.of(
            "2".getBytes(StandardCharsets.UTF_8),
            owner,
            target,
            quantity.getBytes(StandardCharsets.UTF_8),
            reward.getBytes(StandardCharsets.UTF_8),
            lastTx,
            tagList,
            Long.toString(dataSize).getBytes(StandardCharsets.UTF_8),
            dataRoot));
  }

  /** Returns this transaction with {@code wallet}'s owner and signature (and so its id). */
  public Transaction sign(Wallet wallet) {
    if (wallet == null) {
      throw new IllegalArgumentException("wallet must not be null");
    }
    Builder b = toBuilder();
    b.owner = wallet.owner();
    Transaction unsigned = new Transaction(b);
    b.signature = wallet.sign(unsigned.signatureData());
    return new Transaction(b);
  }

  /**
   * Checks the signature (salt 32 or 478), that the id matches it, and that inline data matches
   * {@code data_root} and {@code data_size}.
   */
  public boolean verify() {
    if (signature.length == 0 || owner.length == 0) {
      return false;
    }
    if (data.length > 0) {
      if (data.length != dataSize
          || !MessageDigest.isEqual(MerkleTree.build(data).dataRoot(), dataRoot)) {
        return false;
      }
    }
    return RsaPss.verify(owner, signatureData(), signature);
  }

  /** The id (base64url SHA-256 of the signature); fails if the transaction is not signed. */
  public String id() {
    if (signature.length == 0) {
      throw new IllegalStateException("transaction is not signed yet, so it has no id");
    }
    return Base64Url.encode(Hashes.sha256(signature));
  }

  public boolean isSigned() {
    return signature.length > 0;
  }

  /** The JSON body for {@code POST /tx}. */
  public String toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("format", 2);
    o.put("id", signature.length == 0 ? "" : id());
    o.put("last_tx", Base64Url.encode(lastTx));
    o.put("owner", Base64Url.encode(owner));
    ArrayNode ts = o.putArray("tags");
    for (Tag t : tags) {
      ObjectNode tn = ts.addObject();
      tn.put("name", Base64Url.encode(t.nameBytes()));
      tn.put("value", Base64Url.encode(t.valueBytes()));
    }
    o.put("target", Base64Url.encode(target));
    o.put("quantity", quantity);
    o.put("data", Base64Url.encode(data));
    o.put("data_size", Long.toString(dataSize));
    o.put("data_root", Base64Url.encode(dataRoot));
    o.put("reward", reward);
    o.put("signature", Base64Url.encode(signature));
    return o.toString();
  }

  /** Parses a format-2 transaction as returned by {@code GET /tx/{id}} or {@link #toJson()}. */
  public static Transaction fromJson(String json) {
    if (json == null) {
      throw new IllegalArgumentException("json must not be null");
    }
    JsonNode n;
    try {
      n = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw ArweaveErrors.badTxJson("not JSON: " + e.getOriginalMessage(), e);
    }
    if (n == null || !n.isObject()) {
      throw ArweaveErrors.badTxJson("not a JSON object", null);
    }
    if (n.path("format").asInt(0) != 2) {
      throw ArweaveErrors.badTxJson(
          "format is " + n.path("format") + ", only 2 is supported", null);
    }
    Builder b = builder();
    b.lastTx = Base64Url.decode(n.path("last_tx").asText(""), "last_tx");
    b.owner = Base64Url.decode(n.path("owner").asText(""), "owner");
    b.target = Base64Url.decode(n.path("target").asText(""), "target");
    b.quantity = n.path("quantity").asText("0");
    for (JsonNode t : n.path("tags")) {
      b.tags.add(
          Tag.ofBytes(
              Base64Url.decode(t.path("name").asText(""), "tags.name"),
              Base64Url.decode(t.path("value").asText(""), "tags.value")));
    }
    b.data = Base64Url.decode(n.path("data").asText(""), "data");
    b.dataSize = Long.parseLong(n.path("data_size").asText("0"));
    b.dataRoot = Base64Url.decode(n.path("data_root").asText(""), "data_root");
    b.reward = n.path("reward").asText("0");
    b.signature = Base64Url.decode(n.path("signature").asText(""), "signature");
    Transaction tx = new Transaction(b);
    String id = n.path("id").asText("");
    if (tx.isSigned() && !id.isEmpty() && !id.equals(tx.id())) {
      throw ArweaveErrors.badTxJson("id " + id + " is not SHA-256 of the signature", null);
    }
    return tx;
  }

  public String lastTx() {
    return Base64Url.encode(lastTx);
  }

  byte[] lastTxBytes() {
    return lastTx;
  }

  public String owner() {
    return Base64Url.encode(owner);
  }

  public byte[] ownerBytes() {
    return owner.clone();
  }

  /** The owner's wallet address. */
  public String ownerAddress() {
    return Base64Url.encode(Hashes.sha256(owner));
  }

  public String target() {
    return Base64Url.encode(target);
  }

  byte[] targetBytes() {
    return target;
  }

  public String quantity() {
    return quantity;
  }

  public List<Tag> tags() {
    return tags;
  }

  /** The inline data; empty when the data is uploaded as chunks. */
  public byte[] data() {
    return data.clone();
  }

  public long dataSize() {
    return dataSize;
  }

  public String dataRoot() {
    return Base64Url.encode(dataRoot);
  }

  public byte[] dataRootBytes() {
    return dataRoot.clone();
  }

  public String reward() {
    return reward;
  }

  public String signature() {
    return Base64Url.encode(signature);
  }

  @Override
  public String toString() {
    return "Transaction[id="
        + (isSigned() ? id() : "(unsigned)")
        + ", data_size="
        + dataSize
        + ", tags="
        + tags
        + "]";
  }

  /** Collects the fields of a transaction; unset fields take their empty protocol values. */
  public static final class Builder {
    private byte[] lastTx = new byte[0];
    private byte[] owner = new byte[0];
    private byte[] target = new byte[0];
    private String quantity = "0";
    private final List<Tag> tags = new ArrayList<>();
    private byte[] data = new byte[0];
    private long dataSize;
    private byte[] dataRoot = new byte[0];
    private String reward = "0";
    private byte[] signature = new byte[0];

    private Builder() {}

    /** The anchor from {@code GET /tx_anchor}, base64url, or "" for none. */
    public Builder lastTx(String anchor) {
      this.lastTx = Base64Url.decode(requireNonNull(anchor, "anchor"), "last_tx");
      return this;
    }

    /** The owner (raw modulus, base64url); {@link Transaction#sign} sets it from the wallet. */
    public Builder owner(String ownerB64) {
      this.owner = Base64Url.decode(requireNonNull(ownerB64, "ownerB64"), "owner");
      return this;
    }

    /** The recipient address for a transfer, or "" for none. */
    public Builder target(String address) {
      this.target = Base64Url.decode(requireNonNull(address, "address"), "target");
      return this;
    }

    /** Winston to transfer, as a decimal string. */
    public Builder quantity(String winston) {
      this.quantity = requireWinston(winston, "winston");
      return this;
    }

    /** The fee in winston, as a decimal string (from {@code GET /price}). */
    public Builder reward(String winston) {
      this.reward = requireWinston(winston, "winston");
      return this;
    }

    public Builder tag(String name, String value) {
      tags.add(Tag.of(name, value));
      return this;
    }

    public Builder tags(List<Tag> more) {
      for (Tag t : requireNonNull(more, "tags")) {
        tags.add(requireNonNull(t, "tag"));
      }
      return this;
    }

    /** Inline data; computes data_size and data_root from it. */
    public Builder data(byte[] bytes) {
      requireNonNull(bytes, "bytes");
      this.data = bytes.clone();
      this.dataSize = bytes.length;
      this.dataRoot = bytes.length == 0 ? new byte[0] : MerkleTree.build(bytes).dataRoot();
      return this;
    }

    /** Commits to data uploaded as chunks: sets data_root and data_size, and no inline data. */
    public Builder chunkedData(MerkleTree tree) {
      requireNonNull(tree, "tree");
      this.data = new byte[0];
      this.dataSize = tree.dataSize();
      this.dataRoot = tree.dataRoot();
      return this;
    }

    /** Drops inline data while keeping data_root and data_size (and so the signature). */
    public Builder withoutData() {
      this.data = new byte[0];
      return this;
    }

    public Transaction build() {
      return new Transaction(this);
    }

    private static <T> T requireNonNull(T v, String name) {
      if (v == null) {
        throw new IllegalArgumentException(name + " must not be null");
      }
      return v;
    }

    private static String requireWinston(String v, String name) {
      requireNonNull(v, name);
      if (!v.matches("0|[1-9][0-9]*")) {
        throw new IllegalArgumentException(
            name + " must be a non-negative decimal integer string, got \"" + v + "\"");
      }
      return v;
    }
  }
}
