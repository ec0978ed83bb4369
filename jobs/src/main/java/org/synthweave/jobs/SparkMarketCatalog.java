package org.synthweave.jobs;

import io.delta.tables.DeltaTable;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.core.spark.DeltaWrites;
import org.synthweave.embedding.EmbeddingConfig;
import org.synthweave.embedding.text.TextEncoder;
import org.synthweave.market.CatalogSearch;
import org.synthweave.market.Listing;

/**
 * The market catalog as Delta tables: {@code market/catalog} (one row per listing, keyed by id) and
 * {@code market/catalog_sync} (per gateway, the block height the next sync starts from). The
 * listings themselves are read by the Spark-free {@link org.synthweave.market.CatalogSync}; this
 * only loads and stores. Public for the notebooks' {@code Workbench}, which searches the catalog as
 * {@code market search} does, through {@link #search}.
 */
public final class SparkMarketCatalog {
  private final SparkSession spark;
  private final String catalogPath;
  private final String syncPath;
  private final String vectorsPath;

  /**
   * What one search of the catalog found.
   *
   * @param hits the best listings, best first
   * @param catalogSize listings in the catalog
   * @param embedded listings whose vectors were computed by this search (the rest were stored)
   */
  public record Found(List<CatalogSearch.Hit> hits, int catalogSize, int embedded) {}

  public SparkMarketCatalog(SparkSession spark, TableCatalog catalog) {
    this.spark = spark;
    this.catalogPath = catalog.path(TableCatalog.MARKET_CATALOG);
    this.syncPath = catalog.path(TableCatalog.MARKET_SYNC);
    this.vectorsPath = catalog.path(TableCatalog.MARKET_VECTORS);
  }

  /**
   * Searches the catalog as {@code market search} does: the listings' sentence vectors come from
   * {@code market/catalog_vectors} where the model version matches, the others are computed with
   * the configured encoder and stored there for the next search. A warehouse without a catalog
   * fails with one line saying how to make one.
   */
  public Found search(
      EmbeddingConfig embed,
      String query,
      CatalogSearch.Mode mode,
      CatalogSearch.Filters filters,
      CatalogSearch.Sort sort,
      int k) {
    if (!exists()) {
      throw JobErrors.noMarketCatalog(path());
    }
    List<Listing> listings = listings();
    try (TextEncoder encoder = TextEncoder.open(embed.textModel(), embed.encoder())) {
      String version = encoder.modelVersion();
      Map<String, float[]> known = vectors(version);
      try (CatalogSearch search = CatalogSearch.of(listings, encoder::encode, known)) {
        if (search.embedded() > 0) {
          Map<String, float[]> fresh = new java.util.LinkedHashMap<>(search.vectors());
          fresh.keySet().removeAll(known.keySet());
          keepVectors(version, fresh);
        }
        return new Found(
            search.search(query, mode, filters, sort, k), listings.size(), search.embedded());
      }
    }
  }

  /**
   * The filters of {@code market search}: {@code FIELD=VALUE} terms (kind, owner, license, or any
   * license tag), a minimum row count and quality score (each may be null), and whether listings
   * that failed verification are shown too.
   */
  public static CatalogSearch.Filters filters(
      List<String> specs, Long minRows, Double minQuality, boolean includeUnverified) {
    Map<String, String> terms = new java.util.LinkedHashMap<>();
    String license = null;
    Listing.Kind kind = null;
    String owner = null;
    for (String spec : specs) {
      int eq = spec.indexOf('=');
      if (eq <= 0) {
        throw JobErrors.badFilter(spec);
      }
      String field = spec.substring(0, eq).strip();
      String value = spec.substring(eq + 1).strip();
      switch (field.toLowerCase(Locale.ROOT)) {
        case "kind" -> {
          kind = CatalogSearch.kind(value);
          if (kind == null) {
            throw JobErrors.badChoice(
                "--filter kind",
                value,
                java.util.Arrays.stream(Listing.Kind.values()).map(Listing.Kind::label).toList());
          }
        }
        case "owner" -> owner = value;
        case "license" -> license = value;
        default -> terms.put(field, value);
      }
    }
    if (minRows != null && minRows < 0) {
      throw JobErrors.atLeastOne("--min-rows", minRows);
    }
    return new CatalogSearch.Filters(
        terms, license, kind, owner, minRows, minQuality, includeUnverified);
  }

  /** The height the next sync of {@code gateway} starts from: 0 before the first. */
  long fromHeight(String gateway) {
    if (!DeltaTable.isDeltaTable(spark, syncPath)) {
      return 0;
    }
    List<Row> r =
        DeltaTable.forPath(spark, syncPath)
            .toDF()
            .where(functions.col("gateway").equalTo(gateway))
            .select("from_height")
            .collectAsList();
    return r.isEmpty() ? 0 : r.get(0).getLong(0);
  }

  /**
   * The ids in the catalog from blocks at {@code height} or above: the few a sync starting there
   * sees again.
   */
  Set<String> idsFrom(long height) {
    Set<String> ids = new HashSet<>();
    if (!DeltaTable.isDeltaTable(spark, catalogPath)) {
      return ids;
    }
    for (Row r :
        DeltaTable.forPath(spark, catalogPath)
            .toDF()
            .where(functions.col("block_height").geq(height))
            .select("id")
            .collectAsList()) {
      ids.add(r.getString(0));
    }
    return ids;
  }

  /** Whether the catalog table exists (a first {@code market sync} creates it). */
  public boolean exists() {
    return DeltaTable.isDeltaTable(spark, catalogPath);
  }

  /** Where the catalog table is. */
  public String path() {
    return catalogPath;
  }

  /** Every listing in the catalog, read back into {@link Listing}s; empty before the first sync. */
  public List<Listing> listings() {
    if (!exists()) {
      return List.of();
    }
    List<Listing> out = new ArrayList<>();
    for (Row r : DeltaTable.forPath(spark, catalogPath).toDF().collectAsList()) {
      out.add(listing(r));
    }
    return out;
  }

  /** The listing {@code id} in the catalog, or null when it is not there (or no catalog is). */
  public Listing listing(String id) {
    if (!exists()) {
      return null;
    }
    List<Row> r =
        DeltaTable.forPath(spark, catalogPath)
            .toDF()
            .where(functions.col("id").equalTo(id))
            .collectAsList();
    return r.isEmpty() ? null : listing(r.get(0));
  }

  private static Listing listing(Row r) {
    List<Listing.Column> columns = new ArrayList<>();
    for (Row c : r.<Row>getList(r.fieldIndex("columns"))) {
      columns.add(new Listing.Column(c.getString(0), c.getString(1)));
    }
    Timestamp published = r.getAs("published_at");
    return new Listing(
        r.getAs("id"),
        r.getAs("owner"),
        r.getAs("gateway"),
        r.getAs("dataset"),
        r.getAs("version"),
        r.getAs("title"),
        r.getAs("description"),
        r.<String>getList(r.fieldIndex("keywords")),
        r.getAs("license"),
        r.<String, String>getJavaMap(r.fieldIndex("license_terms")),
        columns,
        r.getAs("rows"),
        r.getAs("bytes"),
        r.getAs("files"),
        Listing.Kind.valueOf(r.<String>getAs("kind").toUpperCase(Locale.ROOT)),
        r.<Integer>getAs("checks_passed"),
        r.<Integer>getAs("checks_failed"),
        r.getAs("quality_score"),
        r.<String, Double>getJavaMap(r.fieldIndex("fidelity")),
        r.getAs("provenance"),
        r.getAs("source_table"),
        published == null ? null : published.toInstant(),
        r.<Long>getAs("block_height"),
        Listing.Status.valueOf(r.<String>getAs("status").toUpperCase(Locale.ROOT)),
        r.getAs("reason"));
  }

  /** The passage vectors kept by earlier searches for {@code modelVersion}, by passage SHA-256. */
  Map<String, float[]> vectors(String modelVersion) {
    Map<String, float[]> out = new HashMap<>();
    if (!DeltaTable.isDeltaTable(spark, vectorsPath)) {
      return out;
    }
    for (Row r :
        DeltaTable.forPath(spark, vectorsPath)
            .toDF()
            .where(functions.col("model_version").equalTo(modelVersion))
            .select("passage_sha256", "vector")
            .collectAsList()) {
      List<Float> v = r.getList(1);
      float[] a = new float[v.size()];
      for (int i = 0; i < a.length; i++) {
        a[i] = v.get(i);
      }
      out.put(r.getString(0), a);
    }
    return out;
  }

  /**
   * Keeps the vectors in {@code vectors} not yet stored for {@code modelVersion}; returns how many.
   */
  long keepVectors(String modelVersion, Map<String, float[]> vectors) {
    if (vectors.isEmpty()) {
      return 0;
    }
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, float[]> e : vectors.entrySet()) {
      Float[] boxed = new Float[e.getValue().length];
      for (int i = 0; i < boxed.length; i++) {
        boxed[i] = e.getValue()[i];
      }
      rows.add(RowFactory.create(modelVersion, e.getKey(), java.util.Arrays.asList(boxed)));
    }
    return DeltaWrites.insertNew(
        spark,
        spark.createDataFrame(rows, TableCatalog.MARKET_VECTORS_SCHEMA),
        vectorsPath,
        List.of("model_version", "passage_sha256"),
        List.of());
  }

  /** Adds the listings whose ids are new; returns how many were added. */
  long store(List<Listing> listings, Instant syncedAt) {
    List<Row> rows = listings.stream().map(l -> row(l, syncedAt)).toList();
    return DeltaWrites.insertNew(
        spark,
        spark.createDataFrame(rows, TableCatalog.MARKET_CATALOG_SCHEMA),
        catalogPath,
        List.of("id"),
        List.of());
  }

  /** Remembers where the next sync of {@code gateway} starts. */
  void remember(String gateway, long fromHeight, Instant syncedAt) {
    var update =
        spark.createDataFrame(
            List.of(RowFactory.create(gateway, fromHeight, Timestamp.from(syncedAt))),
            TableCatalog.MARKET_SYNC_SCHEMA);
    if (!DeltaTable.isDeltaTable(spark, syncPath)) {
      update.write().format("delta").save(syncPath);
      return;
    }
    DeltaTable.forPath(spark, syncPath)
        .as("t")
        .merge(update.as("s"), "t.gateway = s.gateway")
        .whenMatched()
        .updateAll()
        .whenNotMatched()
        .insertAll()
        .execute();
  }

  private static Row row(Listing l, Instant syncedAt) {
    return RowFactory.create(
        l.id(),
        l.owner(),
        l.gateway(),
        l.dataset(),
        l.version(),
        l.title(),
        l.description(),
        l.keywords(),
        l.license(),
        l.licenseTerms(),
        l.columns().stream().map(c -> RowFactory.create(c.name(), c.type())).toList(),
        l.rows(),
        l.bytes(),
        l.files(),
        l.kind().label(),
        l.checksPassed(),
        l.checksFailed(),
        l.qualityScore(),
        l.fidelity(),
        l.provenance(),
        l.sourceTable(),
        l.publishedAt() == null ? null : Timestamp.from(l.publishedAt()),
        l.blockHeight(),
        l.status().label(),
        l.reason(),
        Timestamp.from(syncedAt));
  }
}
