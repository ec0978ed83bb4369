package org.synthweave.augmentation;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.synthweave.core.catalog.TableCatalog;

/**
 * How one dataset is augmented, read from {@code augment.dataset.<name>.*}: its source table, kind,
 * roles of columns, multiplication factor per class, declared constraints and the ordered op list.
 *
 * @param name the dataset name; output goes to {@code gold/<name>_augmented}
 * @param source the table read, e.g. {@code silver/telemetry}
 * @param kind which ops apply
 * @param id the column identifying a source row (part of every draw's hash); empty = {@code
 *     _row_id} if present, else {@code id}
 * @param label the class column, or empty (needed by mixup, smote, categorical-resample, balance)
 * @param series time series: the column whose value is one series (e.g. device_id)
 * @param time time series: the timestamp column
 * @param lat time series: the latitude column in degrees (gps-perturb; every op keeps it in [-90,
 *     90]), or empty
 * @param lon time series: the longitude column in degrees (gps-perturb; every op keeps it in [-180,
 *     180]), or empty
 * @param column text: the text column; image: the binary image column
 * @param width image: width in pixels (all images the same size)
 * @param height image: height in pixels
 * @param columns numeric columns the numeric ops change (empty = every numeric column but id and
 *     label)
 * @param categorical categorical columns for categorical-resample and domain checks (empty = every
 *     string column but id and label)
 * @param drop source columns left out of the output (besides the id, which becomes {@code
 *     aug_source_id}); columns starting with '_' are always left out
 * @param copies augmented copies of every source row (or series)
 * @param copiesPerClass copies for specific classes, overriding {@code copies}
 * @param balance if true, each class gets enough copies that its real + augmented rows reach the
 *     largest class's count (overrides copies for classes not in copiesPerClass)
 * @param constraints declared min/max per numeric column ({@code NaN} = none)
 * @param ops the ordered op list
 */
public record DatasetSpec(
    String name,
    String source,
    DatasetKind kind,
    String id,
    String label,
    String series,
    String time,
    String lat,
    String lon,
    String column,
    int width,
    int height,
    List<String> columns,
    List<String> categorical,
    List<String> drop,
    int copies,
    Map<String, Integer> copiesPerClass,
    boolean balance,
    Map<String, double[]> constraints,
    List<OpSpec> ops)
    implements Serializable {

  /** Prefix of the free-form per-dataset keys. */
  public static final String PREFIX = "augment.dataset.";

  private static final Set<String> FIELDS =
      Set.of(
          "source",
          "kind",
          "id",
          "label",
          "series",
          "time",
          "lat",
          "lon",
          "column",
          "width",
          "height",
          "columns",
          "categorical",
          "drop",
          "copies",
          "copies-per-class",
          "balance",
          "constraints",
          "ops");

  /** The output table of this dataset. */
  public String target() {
    return TableCatalog.gold(name + "_augmented");
  }

  /** This dataset with another op list (e.g. the one an output row records, to redo its run). */
  public DatasetSpec withOps(List<OpSpec> newOps) {
    if (newOps == null || newOps.isEmpty()) {
      throw new IllegalArgumentException("newOps must hold at least one op");
    }
    return new DatasetSpec(
        name,
        source,
        kind,
        id,
        label,
        series,
        time,
        lat,
        lon,
        column,
        width,
        height,
        columns,
        categorical,
        drop,
        copies,
        copiesPerClass,
        balance,
        constraints,
        List.copyOf(newOps));
  }

  /** Dataset names declared under {@code augment.dataset.}. */
  public static Set<String> declared(Map<String, Object> explicitValues) {
    Set<String> names = new TreeSet<>();
    for (String key : explicitValues.keySet()) {
      if (key.startsWith(PREFIX)) {
        String rest = key.substring(PREFIX.length());
        int dot = rest.indexOf('.');
        names.add(dot < 0 ? rest : rest.substring(0, dot));
      }
    }
    return names;
  }

  /** Reads dataset {@code name} from the explicit configuration values. */
  public static DatasetSpec from(String name, Map<String, Object> explicitValues) {
    if (!declared(explicitValues).contains(name)) {
      throw AugmentationErrors.unknownDataset(name, declared(explicitValues));
    }
    String prefix = PREFIX + name + ".";
    Map<String, Object> v = new TreeMap<>();
    Map<String, Integer> perClass = new LinkedHashMap<>();
    Map<String, double[]> constraints = new TreeMap<>();
    for (Map.Entry<String, Object> e : explicitValues.entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        continue;
      }
      String sub = e.getKey().substring(prefix.length());
      String field = sub.contains(".") ? sub.substring(0, sub.indexOf('.')) : sub;
      if (!FIELDS.contains(field)) {
        throw AugmentationErrors.badOption(
            e.getKey(),
            e.getValue(),
            "datasets have no field '" + field + "'; they have " + FIELDS);
      }
      if (field.equals("copies-per-class")) {
        String cls = sub.substring(field.length() + 1);
        perClass.put(cls, nonNegative(e.getKey(), e.getValue()));
      } else if (field.equals("constraints")) {
        String[] parts = sub.split("\\.");
        if (parts.length != 3 || !(parts[2].equals("min") || parts[2].equals("max"))) {
          throw AugmentationErrors.badOption(
              e.getKey(), e.getValue(), "constraints are written constraints.<column>.min|max");
        }
        double[] mm =
            constraints.computeIfAbsent(parts[1], c -> new double[] {Double.NaN, Double.NaN});
        mm[parts[2].equals("min") ? 0 : 1] = number(e.getKey(), e.getValue());
      } else {
        v.put(field, e.getValue());
      }
    }
    DatasetKind kind = DatasetKind.of(name, str(v, "kind", "tabular"));
    List<OpSpec> ops = OpSpec.parseList(name, kind, v.get("ops"));
    if (ops.isEmpty()) {
      throw AugmentationErrors.badOption(
          prefix + "ops", v.get("ops"), "a dataset needs at least one op");
    }
    String seriesCol = str(v, "series", "");
    String timeCol = str(v, "time", "");
    if (kind == DatasetKind.TIME_SERIES && (seriesCol.isEmpty() || timeCol.isEmpty())) {
      throw AugmentationErrors.badOption(
          prefix + (seriesCol.isEmpty() ? "series" : "time"),
          "",
          "a time-series dataset needs a series column (e.g. device_id) and a time column");
    }
    String column = str(v, "column", "");
    if ((kind == DatasetKind.TEXT || kind == DatasetKind.IMAGE) && column.isEmpty()) {
      throw AugmentationErrors.badOption(
          prefix + "column", "", "a " + kind.id() + " dataset needs the column to augment");
    }
    int width = (int) number(prefix + "width", v.getOrDefault("width", 0));
    int height = (int) number(prefix + "height", v.getOrDefault("height", 0));
    if (kind == DatasetKind.IMAGE && (width < 1 || height < 1)) {
      throw AugmentationErrors.badOption(
          prefix + "width", width + "x" + height, "an image dataset needs width and height >= 1");
    }
    return new DatasetSpec(
        name,
        str(v, "source", TableCatalog.silver(name)),
        kind,
        str(v, "id", ""),
        str(v, "label", ""),
        seriesCol,
        timeCol,
        str(v, "lat", ""),
        str(v, "lon", ""),
        column,
        width,
        height,
        list(v.get("columns")),
        list(v.get("categorical")),
        list(v.get("drop")),
        nonNegative(prefix + "copies", v.getOrDefault("copies", 1)),
        Map.copyOf(perClass),
        Boolean.parseBoolean(str(v, "balance", "false")),
        Map.copyOf(constraints),
        ops);
  }

  private static String str(Map<String, Object> v, String field, String dflt) {
    Object o = v.get(field);
    return o == null ? dflt : String.valueOf(o).trim();
  }

  private static List<String> list(Object raw) {
    List<String> out = new ArrayList<>();
    if (raw instanceof List<?> l) {
      l.forEach(x -> out.add(String.valueOf(x).trim()));
    } else if (raw != null) {
      for (String s : String.valueOf(raw).split(",")) {
        if (!s.isBlank()) {
          out.add(s.trim());
        }
      }
    }
    return List.copyOf(out);
  }

  private static double number(String key, Object raw) {
    try {
      return raw instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(raw));
    } catch (NumberFormatException e) {
      throw AugmentationErrors.badOption(key, raw, "it must be a number");
    }
  }

  private static int nonNegative(String key, Object raw) {
    double d = number(key, raw);
    if (d < 0 || d != Math.rint(d) || d > 1000) {
      throw AugmentationErrors.badOption(key, raw, "it must be a whole number in [0, 1000]");
    }
    return (int) d;
  }
}
