package org.synthweave.vectors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;

/**
 * Writes one shard: a Lucene index directory holding each vector in an HNSW graph, with its id and
 * metadata as stored, filterable keyword fields. Not thread-safe; one writer per shard (per Spark
 * partition). {@link #close()} commits and merges the shard to one segment, so a search walks one
 * graph per shard.
 */
public final class HnswShardWriter implements AutoCloseable {
  public static final String VECTOR = "vector";
  public static final String ID = "id";

  private final IndexWriter writer;
  private final int dimensions;
  private final HnswParams params;
  private long count;

  public HnswShardWriter(Path dir, int dimensions, HnswParams params) {
    if (dimensions < 1) {
      throw new IllegalArgumentException("dimensions must be >= 1, got " + dimensions);
    }
    this.dimensions = dimensions;
    this.params = params;
    IndexWriterConfig config = config(params, IndexWriterConfig.OpenMode.CREATE);
    try {
      this.writer = new IndexWriter(FSDirectory.open(dir), config);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the shard " + dir, e);
    }
  }

  /**
   * Writer settings for a shard: Lucene's codec with {@code params}' vector format. Also used to
   * open an existing shard for deletions and merges, so new segments keep the same format.
   */
  static IndexWriterConfig config(HnswParams params, IndexWriterConfig.OpenMode mode) {
    KnnVectorsFormat format = params.format();
    return new IndexWriterConfig()
        .setOpenMode(mode)
        .setRAMBufferSizeMB(256)
        .setCodec(
            new Lucene912Codec() {
              @Override
              public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return format;
              }
            });
  }

  /** Adds one vector with its id and metadata (field name → value, each filterable). */
  public void add(String id, float[] vector, Map<String, String> metadata) {
    add(id, vector, metadata, Map.of());
  }

  /**
   * Adds one vector with its id, filterable metadata, and {@code stored} fields that come back with
   * a hit but cannot be filtered on (titles, snippets).
   */
  public void add(
      String id, float[] vector, Map<String, String> metadata, Map<String, String> stored) {
    if (vector.length != dimensions) {
      throw VectorStoreErrors.dimensionMismatch(dimensions, vector.length);
    }
    Document doc = new Document();
    doc.add(new StringField(ID, id, Field.Store.YES));
    doc.add(new KnnFloatVectorField(VECTOR, vector, params.similarity().lucene()));
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      doc.add(new StringField(e.getKey(), e.getValue(), Field.Store.YES));
    }
    for (Map.Entry<String, String> e : stored.entrySet()) {
      doc.add(new StoredField(e.getKey(), e.getValue()));
    }
    try {
      writer.addDocument(doc);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot add " + id + " to the shard", e);
    }
    count++;
  }

  public long count() {
    return count;
  }

  @Override
  public void close() {
    try {
      writer.forceMerge(1);
      writer.commit();
      writer.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot commit the shard", e);
    }
  }
}
