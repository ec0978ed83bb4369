package org.synthweave.market;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * Hybrid search over the market catalog, without Spark: an in-memory Lucene index of the listings
 * with BM25 over their text and an HNSW graph of their sentence vectors, the two rankings fused by
 * reciprocal rank fusion.
 *
 * <ul>
 *   <li>Lexical: BM25 (Lucene's defaults, k1=1.2, b=0.75) over four fields analyzed by the standard
 *       analyzer (Unicode word breaks, lower case, a short English stop list, no stemming): title
 *       (boost 3), keywords (2), column names (1.5; {@code fixed_acidity} and {@code fixedAcidity}
 *       are also indexed as {@code fixed acidity}) and description (1). Any query word may match
 *       (OR).
 *   <li>Semantic: the {@link Encoder}'s vector of {@code "title. description. keywords. columns"}
 *       (the project's all-MiniLM-L6-v2, unit length) in a {@link KnnFloatVectorField} with cosine
 *       similarity; the query text is embedded by the same encoder.
 *   <li>Fusion: each list is cut at {@code max(k, }{@value #DEPTH}{@code )}, its scores are scaled
 *       to [0, 1] by the list's lowest and highest score (min-max; 0 for a listing not in the
 *       list), and a listing scores {@value #VECTOR_WEIGHT} × scaled cosine + (1 − {@value
 *       #VECTOR_WEIGHT}) × scaled BM25: the convex combination that Bruch, Gai and Ingber (ACM TOIS
 *       2023) found ahead of reciprocal rank fusion. It beat RRF (k=60) in the known-item
 *       evaluation ({@code bench market-ranking}, docs/BENCHMARKS.md), where RRF ranked below the
 *       vectors alone on Debian package descriptions; the weight was chosen on the R data sets.
 *   <li>Filters are exact and apply inside both searches (the graph search is filtered, not its
 *       result), so k hits come back whenever k listings pass: license term values (e.g. {@code
 *       Data-Model-Training=Allowed}), SPDX license, kind, owner, minimum rows, minimum quality
 *       score (a listing without the figure does not pass a minimum), and verified only unless
 *       {@link Filters#includeUnverified()}.
 *   <li>Sort: by relevance, or the k most relevant shown newest first ({@link Sort#DATE}) or
 *       largest first ({@link Sort#SIZE}, bytes, else rows).
 * </ul>
 *
 * <p>Every listing text is untrusted: it is only analyzed and embedded here, never interpreted.
 */
public final class CatalogSearch implements AutoCloseable {
  /** The weight of the scaled cosine in the hybrid score; the scaled BM25 score has the rest. */
  public static final double VECTOR_WEIGHT = 0.6;

  /** Each ranking is cut at no fewer than this many hits before fusion. */
  public static final int DEPTH = 50;

  private static final String ORD = "ord";
  private static final String VECTOR = "vector";
  private static final String TERM_PREFIX = "term.";
  private static final Map<String, Float> TEXT_FIELDS =
      Map.of("title", 3f, "keywords", 2f, "columns", 1.5f, "description", 1f);
  private static final CharArraySet STOP_WORDS =
      CharArraySet.unmodifiableSet(
          new CharArraySet(
              List.of(
                  "a",
                  "an",
                  "and",
                  "are",
                  "as",
                  "at",
                  "be",
                  "but",
                  "by",
                  "for",
                  "if",
                  "in",
                  "into",
                  "is",
                  "it",
                  "no",
                  "not",
                  "of",
                  "on",
                  "or",
                  "such",
                  "that",
                  "the",
                  "their",
                  "then",
                  "there",
                  "these",
                  "they",
                  "this",
                  "to",
                  "was",
                  "will",
                  "with",
                  "about",
                  "from",
                  "some",
                  "any",
                  "all",
                  "data",
                  "dataset",
                  "datasets"),
              true));
  private static final Pattern CAMEL = Pattern.compile("(?<=[a-z0-9])(?=[A-Z])");
  private static final Pattern SEPARATORS = Pattern.compile("[_\\-.]+");

  /** Sentence vectors of texts, one per text, in order; unit length. */
  @FunctionalInterface
  public interface Encoder {
    float[][] encode(List<String> texts);
  }

  /** Which rankings a search uses. */
  public enum Mode {
    HYBRID,
    BM25,
    VECTOR
  }

  /** The order of the hits. */
  public enum Sort {
    RELEVANCE,
    DATE,
    SIZE
  }

  /**
   * Exact filters; null or empty means no constraint.
   *
   * @param licenseTerms license tag values that must match, e.g. {@code Data-Model-Training ->
   *     Allowed}
   * @param license SPDX license id
   * @param kind what the rows are
   * @param owner the publisher's address
   * @param minRows at least this many rows
   * @param minQuality at least this quality score
   * @param includeUnverified whether unverified listings may be hits (they are always marked)
   */
  public record Filters(
      Map<String, String> licenseTerms,
      String license,
      Listing.Kind kind,
      String owner,
      Long minRows,
      Double minQuality,
      boolean includeUnverified) {
    public Filters {
      licenseTerms = licenseTerms == null ? Map.of() : Map.copyOf(licenseTerms);
    }

    /** Verified listings only, nothing else. */
    public static Filters none() {
      return new Filters(Map.of(), null, null, null, null, null, false);
    }
  }

  /**
   * One hit.
   *
   * @param listing the listing
   * @param score the fused score in [0, 1] (hybrid), BM25 score or cosine similarity
   * @param bm25Rank rank in the BM25 list, 0 when not in it
   * @param vectorRank rank in the vector list, 0 when not in it
   */
  public record Hit(Listing listing, double score, int bm25Rank, int vectorRank) {}

  private final List<Listing> listings;
  private final Encoder encoder;
  private final Analyzer analyzer;
  private final ByteBuffersDirectory dir;
  private final DirectoryReader reader;
  private final IndexSearcher searcher;
  private final Map<String, float[]> vectors;
  private final int embedded;
  private final int[] ords;
  private final boolean allVerified;

  private CatalogSearch(List<Listing> listings, Encoder encoder, Map<String, float[]> known)
      throws IOException {
    this.listings = List.copyOf(listings);
    this.encoder = encoder;
    this.analyzer = new StandardAnalyzer(STOP_WORDS);
    this.dir = new ByteBuffersDirectory();
    this.vectors = new LinkedHashMap<>();
    List<String> keys = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    List<String> missingKeys = new ArrayList<>();
    for (Listing l : this.listings) {
      String passage = passage(l);
      String key = passageKey(passage);
      keys.add(key);
      float[] v = known.get(key);
      if (v != null) {
        vectors.put(key, v);
      } else if (!vectors.containsKey(key) && !missingKeys.contains(key)) {
        missing.add(passage);
        missingKeys.add(key);
      }
    }
    float[][] computed = missing.isEmpty() ? new float[0][] : encoder.encode(missing);
    if (computed.length != missing.size()) {
      throw new IllegalStateException(
          "the encoder gave " + computed.length + " vectors for " + missing.size() + " texts");
    }
    for (int i = 0; i < computed.length; i++) {
      vectors.put(missingKeys.get(i), computed[i]);
    }
    this.embedded = computed.length;
    try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(analyzer))) {
      for (int i = 0; i < this.listings.size(); i++) {
        w.addDocument(document(i, this.listings.get(i), vectors.get(keys.get(i))));
      }
    }
    this.reader = DirectoryReader.open(dir);
    this.searcher = new IndexSearcher(reader);
    // The index never changes after this, so a doc id names the same listing for its lifetime:
    // a hit's listing is an array read, not a stored-fields lookup (a block decompressed per hit).
    this.ords = new int[reader.maxDoc()];
    StoredFields stored = searcher.storedFields();
    for (int doc = 0; doc < ords.length; doc++) {
      ords[doc] = stored.document(doc).getField(ORD).numericValue().intValue();
    }
    this.allVerified = this.listings.stream().allMatch(l -> l.status() == Listing.Status.VERIFIED);
  }

  /** Indexes {@code listings}, embedding each with {@code encoder}. */
  public static CatalogSearch of(List<Listing> listings, Encoder encoder) {
    return of(listings, encoder, Map.of());
  }

  /**
   * Indexes {@code listings}, taking the vector of a listing whose {@link #passageKey} is in {@code
   * known} from there (vectors of the same encoder, kept from an earlier search) and embedding the
   * rest with {@code encoder}.
   */
  public static CatalogSearch of(
      List<Listing> listings, Encoder encoder, Map<String, float[]> known) {
    try {
      return new CatalogSearch(listings, encoder, known);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The vector of every indexed passage, by {@link #passageKey}. */
  public Map<String, float[]> vectors() {
    return java.util.Collections.unmodifiableMap(vectors);
  }

  /** How many passages this index embedded (the rest came from the known vectors). */
  public int embedded() {
    return embedded;
  }

  /** The key of a passage's vector: the hex SHA-256 of its UTF-8 text. */
  public static String passageKey(String passage) {
    return java.util.HexFormat.of()
        .formatHex(
            org.synthweave.arweave.crypto.Hashes.sha256(
                passage.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  /** Listings indexed. */
  public int size() {
    return listings.size();
  }

  /**
   * The text embedded for a listing: {@code "title. description. keywords. columns"}, the parts it
   * has.
   */
  public static String passage(Listing l) {
    List<String> parts = new ArrayList<>();
    add(parts, l.title());
    add(parts, l.description());
    add(parts, String.join(", ", l.keywords()));
    add(parts, String.join(", ", l.columns().stream().map(c -> words(c.name())).toList()));
    return String.join(". ", parts);
  }

  private static void add(List<String> parts, String s) {
    if (s != null && !s.isBlank()) {
      String t = s.strip();
      parts.add(t.endsWith(".") ? t.substring(0, t.length() - 1) : t);
    }
  }

  /** {@code fixed_acidity}, {@code fixedAcidity} -> {@code fixed acidity}. */
  static String words(String name) {
    return SEPARATORS.matcher(CAMEL.matcher(name).replaceAll(" ")).replaceAll(" ").strip();
  }

  private static Document document(int ord, Listing l, float[] vector) {
    Document d = new Document();
    d.add(new StoredField(ORD, ord));
    text(d, "title", l.title());
    text(d, "description", l.description());
    text(d, "keywords", String.join(" ; ", l.keywords()));
    StringBuilder cols = new StringBuilder();
    for (Listing.Column c : l.columns()) {
      String w = words(c.name());
      cols.append(c.name()).append(" ; ");
      if (!w.equalsIgnoreCase(c.name())) {
        cols.append(w).append(" ; ");
      }
    }
    text(d, "columns", cols.toString());
    d.add(new StringField("kind", l.kind().label(), Field.Store.NO));
    d.add(new StringField("owner", l.owner(), Field.Store.NO));
    d.add(new StringField("status", l.status().label(), Field.Store.NO));
    if (l.license() != null) {
      d.add(new StringField("license", l.license(), Field.Store.NO));
    }
    for (Map.Entry<String, String> t : l.licenseTerms().entrySet()) {
      d.add(new StringField(TERM_PREFIX + t.getKey(), t.getValue(), Field.Store.NO));
    }
    if (l.rows() != null) {
      d.add(new LongPoint("rows", l.rows()));
    }
    if (l.qualityScore() != null && !l.qualityScore().isNaN()) {
      d.add(new DoublePoint("quality", l.qualityScore()));
    }
    d.add(new KnnFloatVectorField(VECTOR, vector, VectorSimilarityFunction.COSINE));
    return d;
  }

  private static void text(Document d, String field, String value) {
    if (value != null && !value.isBlank()) {
      d.add(new TextField(field, value, Field.Store.NO));
    }
  }

  /**
   * The best {@code k} listings for {@code text} that pass {@code filters}, in {@code sort} order.
   * A blank {@code text} browses instead: the listings that pass, newest first ({@link Sort#SIZE}:
   * largest first), each with score 0 and no ranks.
   */
  public List<Hit> search(String text, Mode mode, Filters filters, Sort sort, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1: " + k);
    }
    if (listings.isEmpty()) {
      return List.of();
    }
    try {
      if (text.isBlank()) {
        return browse(filter(filters), sort, k);
      }
      // null when every listing passes: the same hits without a filter bit set built per query
      Query filter = passesAll(filters) ? null : filter(filters);
      int depth = Math.max(k, DEPTH);
      List<Integer> bm25 = new ArrayList<>();
      Map<Integer, Float> bm25Scores = new HashMap<>();
      if (mode != Mode.VECTOR) {
        Query lexical = lexical(text);
        if (lexical != null) {
          Query q =
              filter == null
                  ? lexical
                  : new BooleanQuery.Builder()
                      .add(lexical, Occur.MUST)
                      .add(filter, Occur.FILTER)
                      .build();
          for (ScoreDoc sd : searcher.search(q, depth).scoreDocs) {
            bm25.add(sd.doc);
            bm25Scores.put(sd.doc, sd.score);
          }
        }
      }
      List<Integer> vec = new ArrayList<>();
      Map<Integer, Float> vecScores = new HashMap<>();
      if (mode != Mode.BM25 && !text.isBlank()) {
        float[] v = encoder.encode(List.of(text))[0];
        for (ScoreDoc sd :
            searcher.search(new KnnFloatVectorQuery(VECTOR, v, depth, filter), depth).scoreDocs) {
          vec.add(sd.doc);
          // Lucene's cosine score is (1 + cos) / 2
          vecScores.put(sd.doc, 2 * sd.score - 1);
        }
      }
      Set<Integer> docs = new LinkedHashSet<>(bm25);
      docs.addAll(vec);
      Scale bm25Scale = Scale.of(bm25Scores.values());
      Scale vecScale = Scale.of(vecScores.values());
      List<Hit> hits = new ArrayList<>();
      for (int doc : docs) {
        int br = bm25.indexOf(doc) + 1;
        int vr = vec.indexOf(doc) + 1;
        double score =
            switch (mode) {
              case BM25 -> bm25Scores.get(doc);
              case VECTOR -> vecScores.get(doc);
              case HYBRID ->
                  VECTOR_WEIGHT * vecScale.apply(vecScores.get(doc))
                      + (1 - VECTOR_WEIGHT) * bm25Scale.apply(bm25Scores.get(doc));
            };
        hits.add(new Hit(listing(doc), score, br, vr));
      }
      hits.sort(
          Comparator.comparingDouble(Hit::score).reversed().thenComparing(h -> h.listing().id()));
      List<Hit> top = new ArrayList<>(hits.subList(0, Math.min(k, hits.size())));
      if (sort == Sort.DATE) {
        top.sort(
            Comparator.comparing(
                (Hit h) -> h.listing().publishedAt(),
                Comparator.nullsLast(Comparator.<java.time.Instant>reverseOrder())));
      } else if (sort == Sort.SIZE) {
        top.sort(
            Comparator.comparing(
                (Hit h) -> size(h.listing()), Comparator.nullsLast(Comparator.reverseOrder())));
      }
      return top;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<Hit> browse(Query filter, Sort sort, int k) throws IOException {
    List<Hit> all = new ArrayList<>();
    for (ScoreDoc sd : searcher.search(filter, listings.size()).scoreDocs) {
      all.add(new Hit(listing(sd.doc), 0, 0, 0));
    }
    Comparator<Hit> order =
        sort == Sort.SIZE
            ? Comparator.comparing(
                (Hit h) -> size(h.listing()), Comparator.nullsLast(Comparator.reverseOrder()))
            : Comparator.comparing(
                (Hit h) -> h.listing().publishedAt(),
                Comparator.nullsLast(Comparator.<java.time.Instant>reverseOrder()));
    all.sort(order.thenComparing(h -> h.listing().id()));
    return all.subList(0, Math.min(k, all.size()));
  }

  /** Min-max scaling of one list's scores to [0, 1]. */
  record Scale(double min, double max) {
    static Scale of(java.util.Collection<Float> scores) {
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (float s : scores) {
        min = Math.min(min, s);
        max = Math.max(max, s);
      }
      return new Scale(min, max);
    }

    /** 0 for a listing not in the list (null); 1 for every one when all scores are equal. */
    double apply(Float score) {
      if (score == null) {
        return 0;
      }
      return max > min ? (score - min) / (max - min) : 1;
    }
  }

  private static Long size(Listing l) {
    return l.bytes() != null ? l.bytes() : l.rows();
  }

  private Listing listing(int doc) {
    return listings.get(ords[doc]);
  }

  /** Whether {@code f} lets every indexed listing through. */
  private boolean passesAll(Filters f) {
    return (f.includeUnverified() || allVerified)
        && f.kind() == null
        && f.owner() == null
        && f.license() == null
        && f.licenseTerms().isEmpty()
        && f.minRows() == null
        && f.minQuality() == null;
  }

  /** OR of every query word in every text field, boosted per field; null when no word is left. */
  private Query lexical(String text) throws IOException {
    List<String> terms = new ArrayList<>();
    try (TokenStream ts = analyzer.tokenStream("title", text)) {
      CharTermAttribute a = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        terms.add(a.toString());
      }
      ts.end();
    }
    if (terms.isEmpty()) {
      return null;
    }
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    for (String t : new LinkedHashSet<>(terms)) {
      for (Map.Entry<String, Float> f : TEXT_FIELDS.entrySet()) {
        b.add(new BoostQuery(new TermQuery(new Term(f.getKey(), t)), f.getValue()), Occur.SHOULD);
      }
    }
    return b.build();
  }

  private static Query filter(Filters f) {
    BooleanQuery.Builder b = new BooleanQuery.Builder().add(new MatchAllDocsQuery(), Occur.MUST);
    if (!f.includeUnverified()) {
      b.add(term("status", Listing.Status.VERIFIED.label()), Occur.FILTER);
    }
    if (f.kind() != null) {
      b.add(term("kind", f.kind().label()), Occur.FILTER);
    }
    if (f.owner() != null) {
      b.add(term("owner", f.owner()), Occur.FILTER);
    }
    if (f.license() != null) {
      b.add(term("license", f.license()), Occur.FILTER);
    }
    for (Map.Entry<String, String> t : f.licenseTerms().entrySet()) {
      b.add(term(TERM_PREFIX + t.getKey(), t.getValue()), Occur.FILTER);
    }
    if (f.minRows() != null) {
      b.add(LongPoint.newRangeQuery("rows", f.minRows(), Long.MAX_VALUE), Occur.FILTER);
    }
    if (f.minQuality() != null) {
      b.add(
          DoublePoint.newRangeQuery("quality", f.minQuality(), Double.POSITIVE_INFINITY),
          Occur.FILTER);
    }
    return b.build();
  }

  private static Query term(String field, String value) {
    return new TermQuery(new Term(field, value));
  }

  /** The kind named {@code label} (case-insensitive), or null when there is none. */
  public static Listing.Kind kind(String label) {
    for (Listing.Kind k : Listing.Kind.values()) {
      if (k.label().equals(label.toLowerCase(Locale.ROOT))) {
        return k;
      }
    }
    return null;
  }

  @Override
  public void close() {
    try {
      reader.close();
      dir.close();
      analyzer.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
