package org.synthweave.synthesis.model;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.synthweave.synthesis.SynthesisErrors;
import org.synthweave.synthesis.SynthesisModel;
import org.synthweave.synthesis.copula.GaussianCopula;
import org.synthweave.synthesis.copula.Marginal;
import org.synthweave.synthesis.ctgan.CtganModel;
import org.synthweave.synthesis.ctgan.CtganOptions;
import org.synthweave.synthesis.ctgan.ParamState;
import org.synthweave.synthesis.data.ColumnModel;
import org.synthweave.synthesis.data.ColumnSpec;
import org.synthweave.synthesis.data.DataTransformer;
import org.synthweave.synthesis.tvae.TvaeModel;
import org.synthweave.synthesis.tvae.TvaeOptions;

/**
 * Encodes a trained model as named files and back. {@code model.json} holds the format number,
 * kind, dataset, seed, epochs, the columns, the transformer's metadata (or the copula's marginals
 * and correlation) and the hyperparameters; {@code weights.bin} the generator's (CTGAN) or
 * decoder's (TVAE) tensors. The version is the SHA-256 (first 16 hex digits) of both files' content
 * without the version itself, so one training gives one id however often it is sampled, and a
 * retraining with other data or settings gives another.
 */
public final class ModelFiles {
  public static final int FORMAT = 1;
  public static final String MODEL_JSON = "model.json";
  public static final String WEIGHTS = "weights.bin";

  static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private ModelFiles() {}

  /** Facts about a model besides its parameters; {@code label} is null without a target. */
  public record Info(
      String kind, String dataset, long seed, int epochs, String version, Label label) {
    /** The model id used in provenance columns, e.g. {@code ctgan-3f2a...}. */
    public String id() {
      return kind + "-" + version;
    }
  }

  /**
   * The label column a model was trained for and each of its values' share of the real training
   * rows (null values under the key {@code null} are not kept: only values a condition can name);
   * unconditioned sampling draws each value's share of the rows.
   */
  public record Label(String column, Map<String, Double> shares) implements java.io.Serializable {
    public Label {
      shares = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(shares));
    }
  }

  /** A model read back with its facts. */
  public record Loaded(SynthesisModel model, Info info) {}

  public static Map<String, byte[]> encode(
      SynthesisModel model, String dataset, long seed, int epochs) {
    return encode(model, dataset, seed, epochs, null);
  }

  /** As {@link #encode(SynthesisModel, String, long, int)}, with the label (may be null). */
  public static Map<String, byte[]> encode(
      SynthesisModel model, String dataset, long seed, int epochs, Label label) {
    try {
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("format", FORMAT);
      meta.put("kind", model.kind());
      meta.put("dataset", dataset);
      meta.put("seed", seed);
      meta.put("epochs", epochs);
      meta.put("columns", model.columns());
      if (label != null) {
        meta.put("label", label);
      }
      byte[] weights = null;
      if (model instanceof CtganModel c) {
        meta.put("transformer", c.transformer().columns());
        meta.put("options", c.options());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
          c.generator().write(out);
        }
        weights = bytes.toByteArray();
      } else if (model instanceof TvaeModel v) {
        meta.put("transformer", v.transformer().columns());
        meta.put("options", v.options());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
          v.decoder().write(out);
        }
        weights = bytes.toByteArray();
      } else if (model instanceof GaussianCopula g) {
        meta.put("marginals", g.marginals());
        meta.put("correlation", g.correlation());
      } else {
        throw new IllegalArgumentException("unknown model type " + model.getClass());
      }
      byte[] unversioned = JSON.writeValueAsBytes(meta);
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(unversioned);
      if (weights != null) {
        sha.update(weights);
      }
      meta.put("version", HexFormat.of().formatHex(sha.digest()).substring(0, 16));
      Map<String, byte[]> files = new LinkedHashMap<>();
      files.put(MODEL_JSON, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(meta));
      if (weights != null) {
        files.put(WEIGHTS, weights);
      }
      return files;
    } catch (IOException | java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot encode the model", e);
    }
  }

  public static Loaded decode(Map<String, byte[]> files, String where, int threads) {
    byte[] json = files.get(MODEL_JSON);
    if (json == null) {
      throw SynthesisErrors.noModel(where);
    }
    try {
      Map<String, Object> meta = JSON.readValue(json, new TypeReference<Map<String, Object>>() {});
      Object format = meta.get("format");
      if (!(format instanceof Number n) || n.intValue() != FORMAT) {
        throw SynthesisErrors.badModelFile(
            where, "its format is " + format + ", this synthweave reads format " + FORMAT, null);
      }
      String kind = (String) meta.get("kind");
      Info info =
          new Info(
              kind,
              (String) meta.get("dataset"),
              ((Number) meta.get("seed")).longValue(),
              ((Number) meta.get("epochs")).intValue(),
              (String) meta.get("version"),
              meta.get("label") == null ? null : JSON.convertValue(meta.get("label"), Label.class));
      SynthesisModel model;
      if ("ctgan".equals(kind)) {
        List<ColumnModel> cols =
            JSON.convertValue(meta.get("transformer"), new TypeReference<List<ColumnModel>>() {});
        CtganOptions options = JSON.convertValue(meta.get("options"), CtganOptions.class);
        model = new CtganModel(new DataTransformer(cols), options, weights(files, where), threads);
      } else if ("tvae".equals(kind)) {
        List<ColumnModel> cols =
            JSON.convertValue(meta.get("transformer"), new TypeReference<List<ColumnModel>>() {});
        TvaeOptions options = JSON.convertValue(meta.get("options"), TvaeOptions.class);
        model = new TvaeModel(new DataTransformer(cols), options, weights(files, where), threads);
      } else if ("copula".equals(kind)) {
        List<Marginal> ms =
            JSON.convertValue(meta.get("marginals"), new TypeReference<List<Marginal>>() {});
        double[][] corr = JSON.convertValue(meta.get("correlation"), double[][].class);
        model = new GaussianCopula(ms, corr);
      } else {
        throw SynthesisErrors.badModelFile(where, "unknown model kind '" + kind + "'", null);
      }
      return new Loaded(model, info);
    } catch (IOException | IllegalArgumentException | ClassCastException e) {
      throw SynthesisErrors.badModelFile(where, e.getMessage(), e);
    }
  }

  private static ParamState weights(Map<String, byte[]> files, String where) throws IOException {
    byte[] w = files.get(WEIGHTS);
    if (w == null) {
      throw SynthesisErrors.badModelFile(where, WEIGHTS + " is missing", null);
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(w))) {
      return ParamState.read(in);
    }
  }

  /**
   * Fails with a clear message unless {@code table} has exactly the model's columns with the same
   * types (order does not matter).
   */
  public static void checkSchema(
      SynthesisModel model, String modelId, String tableName, List<ColumnSpec> table) {
    Map<String, ColumnSpec> want = new LinkedHashMap<>();
    for (ColumnSpec c : model.columns()) {
      want.put(c.name(), c);
    }
    Map<String, ColumnSpec> have = new LinkedHashMap<>();
    for (ColumnSpec c : table) {
      have.put(c.name(), c);
    }
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, ColumnSpec> e : want.entrySet()) {
      ColumnSpec t = have.get(e.getKey());
      ColumnSpec m = e.getValue();
      if (t == null) {
        problems.add("column " + e.getKey() + " is missing");
      } else if (!t.sqlType().equals(m.sqlType())) {
        problems.add(
            "column " + e.getKey() + " is " + t.sqlType() + ", the model has " + m.sqlType());
      } else if (!t.ratioOf().equals(m.ratioOf())) {
        problems.add(
            "column "
                + e.getKey()
                + (t.ratioOf().isEmpty()
                    ? " has no relation (synth.relations)"
                    : " is declared the product of " + String.join(" * ", t.ratioOf()))
                + ", the model "
                + (m.ratioOf().isEmpty()
                    ? "has none"
                    : "has it as the product of " + String.join(" * ", m.ratioOf())));
      }
    }
    for (String name : have.keySet()) {
      if (!want.containsKey(name)) {
        problems.add("column " + name + " is not in the model");
      }
    }
    if (!problems.isEmpty()) {
      throw SynthesisErrors.schemaMismatch(modelId, tableName, String.join("; ", problems));
    }
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
