package org.synthweave.augmentation;

import java.util.Locale;

/** What an augmentation dataset holds, which decides the ops it takes. */
public enum DatasetKind {
  /** Rows with numeric and categorical columns and optionally a class label. */
  TABULAR,
  /** Readings per series (e.g. device), ordered by a time column. */
  TIME_SERIES,
  /** A text column with a label kept as is. */
  TEXT,
  /** A grayscale image as bytes (row-major) with its width and height. */
  IMAGE;

  /** The name used in configuration: tabular, time-series, text, image. */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static DatasetKind of(String dataset, String id) {
    for (DatasetKind k : values()) {
      if (k.id().equals(id)) {
        return k;
      }
    }
    throw AugmentationErrors.badOption(
        "augment.dataset." + dataset + ".kind",
        id,
        "it must be tabular, time-series, text or image");
  }
}
