package org.synthweave.vectors;

import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * How a shard's HNSW graph is built: the similarity, Lucene's {@code M} (neighbours per node) and
 * {@code beamWidth} (candidates while inserting), and optional scalar quantization of the stored
 * vectors (Lucene's quantized HNSW format: int8, or int4 packed two per byte).
 */
public record HnswParams(Similarity similarity, int m, int beamWidth, Quantization quantization)
    implements java.io.Serializable {
  public static final int DEFAULT_M = 16;
  public static final int DEFAULT_BEAM_WIDTH = 100;

  /** Similarity of two vectors; Lucene turns each into a score where higher is closer. */
  public enum Similarity {
    COSINE(VectorSimilarityFunction.COSINE),
    DOT_PRODUCT(VectorSimilarityFunction.DOT_PRODUCT),
    EUCLIDEAN(VectorSimilarityFunction.EUCLIDEAN);

    private final VectorSimilarityFunction lucene;

    Similarity(VectorSimilarityFunction lucene) {
      this.lucene = lucene;
    }

    public VectorSimilarityFunction lucene() {
      return lucene;
    }
  }

  /** How vectors are stored in the graph's format. */
  public enum Quantization {
    NONE,
    INT8,
    INT4
  }

  public HnswParams {
    if (similarity == null || quantization == null) {
      throw new IllegalArgumentException("similarity and quantization must not be null");
    }
    if (m < 2 || m > 512) {
      throw new IllegalArgumentException("m must be in [2, 512], got " + m);
    }
    if (beamWidth < 1 || beamWidth > 3200) {
      throw new IllegalArgumentException("beamWidth must be in [1, 3200], got " + beamWidth);
    }
  }

  public static HnswParams defaults(Similarity similarity) {
    return new HnswParams(similarity, DEFAULT_M, DEFAULT_BEAM_WIDTH, Quantization.NONE);
  }

  /** The Lucene vectors format these parameters describe. */
  KnnVectorsFormat format() {
    return switch (quantization) {
      case NONE -> new Lucene99HnswVectorsFormat(m, beamWidth);
      // 7 bits is Lucene's "int8"; 4 bits packed two per byte is its "int4".
      case INT8 ->
          new Lucene99HnswScalarQuantizedVectorsFormat(m, beamWidth, 1, 7, false, null, null);
      case INT4 ->
          new Lucene99HnswScalarQuantizedVectorsFormat(m, beamWidth, 1, 4, true, null, null);
    };
  }
}
