package org.synthweave.augmentation;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every augmentation op, the dataset kind it applies to and its parameters with their defaults.
 * Every op also takes {@code on-violation} ({@code clamp}, the default, or {@code reject}): what
 * happens to a value that breaks a declared constraint after the op.
 */
public enum AugmentOp {
  // Tabular: Spark SQL expressions (no UDF).
  NOISE(
      "noise",
      DatasetKind.TABULAR,
      "adds sigma x (the column's standard deviation) x N(0,1) to each numeric column",
      "sigma",
      "0.1",
      "columns",
      ""),
  SCALE(
      "scale",
      DatasetKind.TABULAR,
      "multiplies each numeric column by a factor drawn uniformly from [1-range, 1+range]",
      "range",
      "0.1",
      "columns",
      ""),
  MIXUP(
      "mixup",
      DatasetKind.TABULAR,
      "lambda x row + (1-lambda) x partner, lambda uniform in [lambda-min, 1]; categoricals and"
          + " the label are the row's own (the larger weight). labels = keep: the partner is from"
          + " the same class; labels = mix: from any class (class drawn by its share of rows),"
          + " and aug_label_weight = lambda (1 for a same-class partner) with aug_mix_label ="
          + " the partner's label give the soft label",
      "lambda-min",
      "0.6",
      "labels",
      "keep",
      "columns",
      ""),
  SMOTE(
      "smote",
      DatasetKind.TABULAR,
      "row + u x (neighbour - row), the neighbour one of the k nearest rows of the same class"
          + " (Euclidean on standardized numeric columns), u uniform in [0,1]; neighbours are"
          + " searched within blocks of `block` rows along `projections` random projections"
          + " (exact when the class has at most projections x block rows)",
      "k",
      "5",
      "block",
      "256",
      "projections",
      "4",
      "columns",
      ""),
  CATEGORICAL_RESAMPLE(
      "categorical-resample",
      DatasetKind.TABULAR,
      "with probability p, replaces a categorical value by a draw from its frequencies within the"
          + " row's class",
      "p",
      "0.2",
      "columns",
      ""),
  // Time series: Spark SQL expressions and window functions (no UDF).
  JITTER(
      "jitter",
      DatasetKind.TIME_SERIES,
      "adds sigma x (the column's standard deviation) x N(0,1) to each reading",
      "sigma",
      "0.05"),
  MAGNITUDE_SCALE(
      "magnitude-scale",
      DatasetKind.TIME_SERIES,
      "multiplies a whole series copy by one factor drawn from N(1, sigma)",
      "sigma",
      "0.1"),
  MAGNITUDE_WARP(
      "magnitude-warp",
      DatasetKind.TIME_SERIES,
      "multiplies each reading by a smooth random curve: knots evenly spaced over the series'"
          + " time span with values N(1, sigma), cosine-interpolated between knots",
      "sigma",
      "0.2",
      "knots",
      "4"),
  TIME_WARP(
      "time-warp",
      DatasetKind.TIME_SERIES,
      "stretches the gaps between readings by a smooth positive random curve (knots as in"
          + " magnitude-warp, values exp(sigma x N(0,1))), rescaled so the series keeps its start"
          + " and end; timestamps stay strictly ordered",
      "sigma",
      "0.2",
      "knots",
      "4"),
  SLICE(
      "slice",
      DatasetKind.TIME_SERIES,
      "keeps a random window holding a fraction of the series' time span and stretches its"
          + " timestamps back over the whole span (window slicing)",
      "fraction",
      "0.9"),
  CROP(
      "crop",
      DatasetKind.TIME_SERIES,
      "keeps a random window holding a fraction of the series' time span, timestamps unchanged",
      "fraction",
      "0.9"),
  GPS_PERTURB(
      "gps-perturb",
      DatasetKind.TIME_SERIES,
      "moves every position of a track (the dataset's lat and lon columns) by a smooth random"
          + " offset of at most radius metres, so that the speed implied between consecutive"
          + " fixes never exceeds max(its original speed, max-speed m/s); timestamps and order"
          + " unchanged",
      "radius",
      "25",
      "max-speed",
      "40",
      "knots",
      "8"),
  // Text: a Java UDF (string manipulation with a thesaurus has no SQL equivalent).
  SYNONYM_REPLACE(
      "synonym-replace",
      DatasetKind.TEXT,
      "replaces a fraction p of the words (at least one) that WordNet knows by a random synonym",
      "p",
      "0.1"),
  RANDOM_INSERT(
      "random-insert",
      DatasetKind.TEXT,
      "inserts a random synonym of a random word at a random position, p x words times (at least"
          + " once)",
      "p",
      "0.1"),
  RANDOM_SWAP(
      "random-swap",
      DatasetKind.TEXT,
      "swaps two random words, p x words times (at least once)",
      "p",
      "0.1"),
  RANDOM_DELETE(
      "random-delete",
      DatasetKind.TEXT,
      "deletes each word with probability p (one word is always kept)",
      "p",
      "0.1"),
  SENTENCE_SHUFFLE(
      "sentence-shuffle", DatasetKind.TEXT, "shuffles the order of the text's sentences"),
  // Images: a Java UDF (pixel resampling has no SQL equivalent).
  ROTATE(
      "rotate",
      DatasetKind.IMAGE,
      "rotates by an angle uniform in [-degrees, degrees] about the centre (bilinear, background"
          + " 0)",
      "degrees",
      "15"),
  REFLECT("reflect", DatasetKind.IMAGE, "mirrors left-right with probability p", "p", "0.5"),
  CROP_IMAGE(
      "crop-image",
      DatasetKind.IMAGE,
      "crops a random size x size window and scales it back to the full size (bilinear)",
      "size",
      "24"),
  TRANSLATE(
      "translate",
      DatasetKind.IMAGE,
      "shifts by whole pixels uniform in [-pixels, pixels] on each axis (background 0)",
      "pixels",
      "3"),
  IMAGE_NOISE(
      "image-noise",
      DatasetKind.IMAGE,
      "adds sigma x N(0,1) grey levels to every pixel",
      "sigma",
      "8"),
  BRIGHTNESS(
      "brightness",
      DatasetKind.IMAGE,
      "adds one offset uniform in [-delta, delta] grey levels to every pixel",
      "delta",
      "25"),
  CONTRAST(
      "contrast",
      DatasetKind.IMAGE,
      "scales the distance of every pixel from the image mean by a factor uniform in [1-range,"
          + " 1+range]",
      "range",
      "0.2");

  /** The parameter every op takes: clamp or reject on a constraint violation. */
  public static final String ON_VIOLATION = "on-violation";

  private final String id;
  private final DatasetKind kind;
  private final String doc;
  private final Map<String, String> defaults;

  AugmentOp(String id, DatasetKind kind, String doc, String... paramsAndDefaults) {
    this.id = id;
    this.kind = kind;
    this.doc = doc;
    Map<String, String> d = new LinkedHashMap<>();
    for (int i = 0; i < paramsAndDefaults.length; i += 2) {
      d.put(paramsAndDefaults[i], paramsAndDefaults[i + 1]);
    }
    d.put(ON_VIOLATION, "clamp");
    this.defaults = Map.copyOf(d);
  }

  /** The name used in configuration, e.g. {@code magnitude-warp}. */
  public String id() {
    return id;
  }

  public DatasetKind kind() {
    return kind;
  }

  /** One sentence on what the op does. */
  public String doc() {
    return doc;
  }

  /** Parameter names with their default values (as strings). */
  public Map<String, String> defaults() {
    return defaults;
  }

  /** The ops that apply to datasets of {@code kind}. */
  public static List<String> idsOf(DatasetKind kind) {
    return Arrays.stream(values()).filter(o -> o.kind == kind).map(AugmentOp::id).toList();
  }

  /** The op named {@code id} for a dataset of {@code kind}. */
  public static AugmentOp of(String dataset, DatasetKind kind, String id) {
    for (AugmentOp o : values()) {
      if (o.id.equals(id)) {
        if (o.kind != kind) {
          throw AugmentationErrors.wrongKind(dataset, id, kind.id(), o.kind.id());
        }
        return o;
      }
    }
    throw AugmentationErrors.unknownOp(dataset, id, idsOf(kind));
  }
}
