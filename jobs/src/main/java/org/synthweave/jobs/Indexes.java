package org.synthweave.jobs;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.embedding.EmbeddingConfig;
import org.synthweave.embedding.text.TextEncoder;
import org.synthweave.vectors.IndexDescriptor;
import org.synthweave.vectors.SparkEmbeddingIndex;
import org.synthweave.vectors.VectorIndex;
import org.synthweave.vectors.VectorStoreErrors;

/**
 * What the search commands and the notebooks' {@code Workbench} share: finding an index, and
 * turning query text into its vector.
 */
public final class Indexes {
  private Indexes() {}

  /** The index named {@code name}, or the text index of the configured model when null. */
  public static Path dir(TableCatalog catalog, EmbeddingConfig embed, String name) {
    String n = name != null ? name : SparkEmbeddingIndex.textIndexName(embed.textModel().id());
    String path = catalog.path("index/" + n);
    URI uri = URI.create(path.replace(" ", "%20"));
    if (uri.getScheme() == null) {
      return Path.of(path).toAbsolutePath();
    }
    if ("file".equals(uri.getScheme())) {
      return Path.of(uri);
    }
    throw JobErrors.indexNotLocal(path);
  }

  /**
   * Embeds {@code text} with the configured sentence model after checking that it is the model,
   * version and dimensions {@code index} was built from.
   */
  public static float[] embedQuery(VectorIndex index, EmbeddingConfig embed, String text) {
    IndexDescriptor d = index.descriptor();
    if (!"text".equals(d.kind())) {
      throw JobErrors.notATextIndex(d.name(), d.kind(), d.model());
    }
    try (TextEncoder encoder = TextEncoder.open(embed.textModel(), embed.encoder())) {
      if (!encoder.model().id().equals(d.model())
          || !encoder.modelVersion().equals(d.modelVersion())) {
        throw VectorStoreErrors.modelMismatch(
            d.name(), d.model(), d.modelVersion(), encoder.model().id(), encoder.modelVersion());
      }
      float[] v = encoder.encode(text);
      if (v.length != d.dimensions()) {
        throw VectorStoreErrors.dimensionMismatch(d.dimensions(), v.length);
      }
      return v;
    }
  }

  /** {@code key=value} filters as a map; a malformed one is a clear error. */
  public static Map<String, String> filters(java.util.List<String> specs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String f : specs) {
      int eq = f.indexOf('=');
      if (eq <= 0) {
        throw JobErrors.badFilter(f);
      }
      m.put(f.substring(0, eq).trim(), f.substring(eq + 1).trim());
    }
    return m;
  }
}
