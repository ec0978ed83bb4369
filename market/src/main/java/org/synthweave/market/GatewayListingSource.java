package org.synthweave.market;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.synthweave.arweave.ArweaveClient;
import org.synthweave.arweave.ArweaveConfig;
import org.synthweave.arweave.ArweaveException;
import org.synthweave.arweave.Gateways;
import org.synthweave.arweave.manifest.PathManifest;
import org.synthweave.core.SynthweaveException;
import org.synthweave.verification.DatasetManifest;
import org.synthweave.verification.synthetic.SyntheticReport;

/**
 * A {@link ListingSource} that reads each listing again from the gateway it was found on, with the
 * same checks as {@link ListingReader} (path manifest as its owner signed it, manifest.json signed
 * by the transaction's owner, card as the manifest signed it), so a page shows what is on the
 * gateway now, not what a sync once saw. Every byte is size-limited and held in memory only; what
 * the publisher got wrong is a {@link ListingDetail#problem()} or a {@link ListingDataException},
 * never an unchecked exception. Safe for concurrent use.
 */
public final class GatewayListingSource implements ListingSource {
  /** Bytes of the data file a preview downloads at most, when no other limit is given. */
  public static final long DEFAULT_MAX_PREVIEW_FILE_BYTES = 64L << 20;

  /** Rows a preview returns at most. */
  public static final int MAX_PREVIEW_ROWS = 10_000;

  /** Columns of the fidelity plots read at most, and bars per column. */
  static final int MAX_PLOTS = 1_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final long maxManifestBytes;
  private final long maxPreviewFileBytes;
  private final Map<String, ListingReader> readers = new ConcurrentHashMap<>();

  /** A source with the default limits. */
  public GatewayListingSource() {
    this(ListingReader.DEFAULT_MAX_MANIFEST_BYTES, DEFAULT_MAX_PREVIEW_FILE_BYTES);
  }

  /**
   * @param maxManifestBytes bytes of manifest.json, the card and the fidelity plots read at most
   * @param maxPreviewFileBytes bytes of the data file a preview downloads at most
   */
  public GatewayListingSource(long maxManifestBytes, long maxPreviewFileBytes) {
    if (maxManifestBytes < 1) {
      throw new IllegalArgumentException("maxManifestBytes must be >= 1, got " + maxManifestBytes);
    }
    if (maxPreviewFileBytes < 1) {
      throw new IllegalArgumentException(
          "maxPreviewFileBytes must be >= 1, got " + maxPreviewFileBytes);
    }
    this.maxManifestBytes = maxManifestBytes;
    this.maxPreviewFileBytes = maxPreviewFileBytes;
  }

  /**
   * {@inheritDoc}
   *
   * <p>What the listing's publisher got wrong (a signature, a hash, an unsafe path, unreadable
   * plots) is the detail's {@code problem}, with whatever could be read.
   *
   * @throws IOException when the gateway cannot serve the listing now (unreachable, an error
   *     answer, not found yet); trying again later may help
   */
  @Override
  public ListingDetail detail(Listing listing) throws IOException {
    Read r = read(listing);
    List<String> problems = new ArrayList<>(r.contents.problems);
    DatasetManifest m = r.contents.signed == null ? null : r.contents.signed.manifest();
    List<ListingDetail.FileLink> files = m == null ? List.of() : links(listing, m);
    List<ListingDetail.FidelityPlot> plots = List.of();
    if (m != null && r.contents.paths != null) {
      plots = plots(r.reader, listing, r.contents.paths, m, problems);
    }
    return new ListingDetail(
        listing,
        m,
        r.contents.card,
        files,
        plots,
        problems.isEmpty() ? null : String.join("; ", problems));
  }

  /**
   * {@inheritDoc}
   *
   * <p>The file is the first data file in path order within the size limit, downloaded into memory
   * and checked against the size and SHA-256 the manifest signed before a byte of it is parsed.
   *
   * @throws IllegalArgumentException when {@code maxRows} is not 1 to {@link #MAX_PREVIEW_ROWS}
   * @throws ListingDataException when the listing does not verify now, has no data file within the
   *     limit, or the file is not the one signed or not readable Parquet
   * @throws IOException when the gateway cannot serve the listing or the file now
   */
  @Override
  public Preview preview(Listing listing, int maxRows) throws IOException {
    if (maxRows < 1 || maxRows > MAX_PREVIEW_ROWS) {
      throw new IllegalArgumentException(
          "maxRows must be 1 to " + MAX_PREVIEW_ROWS + ", got " + maxRows);
    }
    Read r = read(listing);
    ListingReader.Contents c = r.contents;
    if (!c.problems.isEmpty() || c.signed == null || c.paths == null) {
      throw new ListingDataException(
          "listing "
              + listing.id()
              + " does not verify now, so none of its data is shown: "
              + (c.problems.isEmpty() ? "it could not be read" : String.join("; ", c.problems)));
    }
    DatasetManifest m = c.signed.manifest();
    List<DatasetManifest.FileEntry> data = m.dataFiles();
    if (data.isEmpty()) {
      throw new ListingDataException("listing " + listing.id() + " lists no Parquet data file");
    }
    DatasetManifest.FileEntry file =
        data.stream().filter(f -> f.bytes() <= maxPreviewFileBytes).findFirst().orElse(null);
    if (file == null) {
      DatasetManifest.FileEntry smallest =
          data.stream().min(Comparator.comparingLong(DatasetManifest.FileEntry::bytes)).get();
      throw new ListingDataException(
          "listing "
              + listing.id()
              + " has no data file a preview may download: the smallest, "
              + smallest.path()
              + ", is "
              + smallest.bytes()
              + " bytes, over the preview limit of "
              + maxPreviewFileBytes
              + "; download the dataset instead");
    }
    byte[] bytes;
    try {
      bytes = r.reader.signedFile(c.paths, file, listing.id(), maxPreviewFileBytes);
    } catch (ArweaveException e) {
      throw fromGateway(listing, e);
    }
    return ParquetRows.read(listing.id(), file.path(), bytes, maxRows);
  }

  /** A listing's contents with the reader of its gateway. */
  private record Read(ListingReader reader, ListingReader.Contents contents) {}

  private Read read(Listing listing) throws IOException {
    if (listing == null) {
      throw new IllegalArgumentException("listing must not be null");
    }
    ListingReader reader = reader(listing);
    ListingReader.Contents c = new ListingReader.Contents();
    try {
      reader.readContents(listing.id(), listing.owner(), c);
    } catch (ArweaveException e) {
      if (ListingReader.transientFailure(e)) {
        throw new IOException(
            "the gateway "
                + listing.gateway()
                + " cannot serve listing "
                + listing.id()
                + " now: "
                + e.getMessage(),
            e);
      }
      c.problem(e.getMessage());
    } catch (SynthweaveException e) {
      c.problem(e.getMessage());
    } catch (RuntimeException e) {
      // Hostile input may break a parser in ways nobody listed; it is a reason, not a crash.
      c.problem("cannot read the listing: " + e);
    }
    return new Read(reader, c);
  }

  private ListingReader reader(Listing listing) throws IOException {
    String gateway = listing.gateway();
    URI url;
    try {
      url = gateway == null ? null : new URI(gateway);
    } catch (URISyntaxException e) {
      url = null;
    }
    if (!Gateways.isHttp(url)) {
      throw new IOException(
          "listing "
              + listing.id()
              + " names no http(s) gateway: "
              + ListingReader.quoted(gateway));
    }
    URI u = url;
    return readers.computeIfAbsent(
        gateway,
        g ->
            new ListingReader(
                new ArweaveClient(ArweaveConfig.builder(u).build()), maxManifestBytes));
  }

  private static IOException fromGateway(Listing listing, ArweaveException e) {
    if (ListingReader.transientFailure(e)) {
      return new IOException(
          "the gateway "
              + listing.gateway()
              + " cannot serve listing "
              + listing.id()
              + " now: "
              + e.getMessage(),
          e);
    }
    return new ListingDataException("listing " + listing.id() + ": " + e.getMessage(), e);
  }

  /**
   * A link for each file the manifest lists with a safe path; {@link ListingReader} reports an
   * unsafe one as a problem.
   */
  static List<ListingDetail.FileLink> links(Listing listing, DatasetManifest m) {
    String base = listing.gateway().replaceAll("/+$", "") + "/" + listing.id() + "/";
    List<ListingDetail.FileLink> out = new ArrayList<>();
    for (DatasetManifest.FileEntry f : m.files()) {
      if (f == null) {
        continue; // SignedManifest reported it
      }
      if (f.path() == null || PathManifest.pathProblem(f.path()) != null) {
        continue;
      }
      out.add(
          new ListingDetail.FileLink(
              f.path(), f.bytes(), f.rows(), f.sha256(), URI.create(base + encodePath(f.path()))));
    }
    return out;
  }

  /** {@code path} with every byte but unreserved characters and '/' percent-encoded (RFC 3986). */
  static String encodePath(String path) {
    StringBuilder s = new StringBuilder();
    for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 'a' && c <= 'z'
          || c >= 'A' && c <= 'Z'
          || c >= '0' && c <= '9'
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~'
          || c == '/') {
        s.append((char) c);
      } else {
        s.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        s.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return s.toString();
  }

  /**
   * The fidelity plots of {@link SyntheticReport#FIDELITY_PATH}, when the manifest lists it: read
   * through the path manifest, checked against the signed SHA-256, and parsed; any failure is a
   * problem and no plots.
   */
  private List<ListingDetail.FidelityPlot> plots(
      ListingReader reader,
      Listing listing,
      PathManifest paths,
      DatasetManifest m,
      List<String> problems)
      throws IOException {
    DatasetManifest.FileEntry entry =
        m.files().stream()
            .filter(f -> f != null && SyntheticReport.FIDELITY_PATH.equals(f.path()))
            .findFirst()
            .orElse(null);
    if (entry == null) {
      return List.of();
    }
    try {
      byte[] bytes = reader.signedFile(paths, entry, listing.id(), maxManifestBytes);
      return parsePlots(JSON.readTree(bytes));
    } catch (ArweaveException e) {
      if (ListingReader.transientFailure(e)) {
        throw fromGateway(listing, e);
      }
      problems.add(e.getMessage());
    } catch (ListingDataException e) {
      problems.add(e.getMessage());
    } catch (IOException | IllegalArgumentException e) {
      problems.add(SyntheticReport.FIDELITY_PATH + " cannot be read: " + e.getMessage());
    }
    return List.of();
  }

  /**
   * The plots of a {@link SyntheticReport#fidelityJson()} document.
   *
   * @throws IllegalArgumentException naming what is wrong with it
   */
  static List<ListingDetail.FidelityPlot> parsePlots(JsonNode doc) {
    if (doc == null
        || !doc.isObject()
        || !SyntheticReport.FIDELITY_FORMAT.equals(doc.path("format").asText())) {
      throw new IllegalArgumentException(
          "it is not a " + SyntheticReport.FIDELITY_FORMAT + " document");
    }
    JsonNode columns = doc.path("columns");
    if (!columns.isArray() || columns.size() > MAX_PLOTS) {
      throw new IllegalArgumentException(
          "its columns are not an array of at most " + MAX_PLOTS + " plots");
    }
    List<ListingDetail.FidelityPlot> out = new ArrayList<>();
    for (JsonNode c : columns) {
      String column = c.path("column").asText("");
      String kind = c.path("kind").asText("");
      if (column.isEmpty() || !(kind.equals("numeric") || kind.equals("categorical"))) {
        throw new IllegalArgumentException(
            "a plot has no column or a kind other than numeric or categorical");
      }
      JsonNode labels = c.path("labels");
      if (!labels.isArray() || labels.size() > MAX_PLOTS) {
        throw new IllegalArgumentException(
            "the labels of " + column + " are not an array of at most " + MAX_PLOTS);
      }
      List<String> l = new ArrayList<>();
      labels.forEach(x -> l.add(x.asText()));
      out.add(
          new ListingDetail.FidelityPlot(
              column,
              kind,
              l,
              shares(c.path("real"), column),
              shares(c.path("synthetic"), column)));
    }
    return out;
  }

  private static List<Double> shares(JsonNode a, String column) {
    if (!a.isArray() || a.size() > MAX_PLOTS) {
      throw new IllegalArgumentException("the shares of " + column + " are not an array");
    }
    List<Double> out = new ArrayList<>();
    for (JsonNode x : a) {
      double v = x.asDouble(Double.NaN);
      if (!x.isNumber() || !(v >= 0 && v <= 1)) {
        throw new IllegalArgumentException("a share of " + column + " is not a number from 0 to 1");
      }
      out.add(v);
    }
    return out;
  }
}
