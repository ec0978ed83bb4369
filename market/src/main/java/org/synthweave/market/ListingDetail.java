package org.synthweave.market;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.List;
import org.synthweave.verification.DatasetManifest;

/**
 * A listing as its page and {@code market show} present it: the catalog row plus what its signed
 * manifest, certificate and card say, read again from the gateway. All text in it comes from the
 * publisher and is untrusted.
 *
 * @param listing the catalog row
 * @param manifest the manifest as read from the gateway; null when it could not be read (see {@code
 *     problem})
 * @param card the Croissant card ({@code croissant.json}); null when it could not be read
 * @param files every file the manifest names, with its address on the gateway
 * @param plots the fidelity plots of the synthetic report, when the listing publishes one; else
 *     empty
 * @param problem why the detail is incomplete or not verified now; null when everything was read
 *     and checked
 */
public record ListingDetail(
    Listing listing,
    DatasetManifest manifest,
    JsonNode card,
    List<FileLink> files,
    List<FidelityPlot> plots,
    String problem) {

  public ListingDetail {
    if (listing == null) {
      throw new IllegalArgumentException("listing must not be null");
    }
    files = List.copyOf(files);
    plots = List.copyOf(plots);
  }

  /**
   * One file of the listing on the gateway.
   *
   * @param path the manifest's relative path, e.g. {@code data/part-00000.parquet}
   * @param bytes size the manifest states
   * @param rows rows the manifest states
   * @param sha256 hash the manifest states
   * @param url where the gateway serves it ({@code <gateway>/<manifest id>/<path>})
   */
  public record FileLink(String path, long bytes, long rows, String sha256, URI url) {}

  /**
   * One column's distribution, real against synthetic, from the synthetic report.
   *
   * @param column the column
   * @param kind {@code numeric} (labels are bin ranges) or {@code categorical} (labels are values)
   * @param labels one per bar
   * @param real the real share of rows per label (sums to 1)
   * @param synthetic the synthetic share of rows per label (sums to 1)
   */
  public record FidelityPlot(
      String column, String kind, List<String> labels, List<Double> real, List<Double> synthetic) {
    public FidelityPlot {
      labels = List.copyOf(labels);
      real = List.copyOf(real);
      synthetic = List.copyOf(synthetic);
      if (labels.size() != real.size() || labels.size() != synthetic.size()) {
        throw new IllegalArgumentException("one real and one synthetic share per label");
      }
    }
  }
}
