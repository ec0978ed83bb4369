package org.synthweave.augmentation;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One configured op of a dataset: the op, its position in the dataset's list (which seeds its
 * randomness) and its parameters (defaults filled in). {@link #describe()} is the form written to
 * every output row's provenance.
 */
public final class OpSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String dataset;
  private final AugmentOp op;
  private final int index;
  private final TreeMap<String, String> params;

  private OpSpec(String dataset, AugmentOp op, int index, Map<String, String> params) {
    this.dataset = dataset;
    this.op = op;
    this.index = index;
    this.params = new TreeMap<>(params);
  }

  /**
   * Checks {@code given} against the op's parameters and fills in defaults.
   *
   * @throws org.synthweave.core.SynthweaveException naming the parameter when one is unknown
   */
  public static OpSpec of(
      String dataset, DatasetKind kind, String opId, int index, Map<String, ?> given) {
    AugmentOp op = AugmentOp.of(dataset, kind, opId);
    Map<String, String> p = new LinkedHashMap<>(op.defaults());
    for (Map.Entry<String, ?> e : given.entrySet()) {
      if (!op.defaults().containsKey(e.getKey())) {
        throw AugmentationErrors.unknownParameter(
            dataset, opId, e.getKey(), op.defaults().keySet());
      }
      Object v = e.getValue();
      p.put(
          e.getKey(),
          v instanceof List<?> l
              ? String.join("|", l.stream().map(String::valueOf).toList())
              : String.valueOf(v));
    }
    OpSpec spec = new OpSpec(dataset, op, index, p);
    String onViolation = spec.string(AugmentOp.ON_VIOLATION);
    if (!onViolation.equals("clamp") && !onViolation.equals("reject")) {
      throw AugmentationErrors.badParameter(
          dataset, opId, AugmentOp.ON_VIOLATION, onViolation, "it must be clamp or reject");
    }
    return spec;
  }

  /**
   * Parses a dataset's op list: a HOCON list of objects ({@code {op = noise, sigma = 0.1}}), a list
   * of strings, or one string; each string is {@code name key=value ...}, several ops separated by
   * ';' (the form {@code --set} takes). List values inside a string are separated by '|'.
   */
  public static List<OpSpec> parseList(String dataset, DatasetKind kind, Object raw) {
    List<Object> items = new ArrayList<>();
    if (raw instanceof List<?> l) {
      items.addAll(l);
    } else if (raw != null) {
      items.add(raw);
    }
    List<OpSpec> out = new ArrayList<>();
    for (Object item : items) {
      if (item instanceof Map<?, ?> m) {
        Map<String, Object> params = new LinkedHashMap<>();
        Object name = null;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          if ("op".equals(e.getKey())) {
            name = e.getValue();
          } else {
            params.put(String.valueOf(e.getKey()), e.getValue());
          }
        }
        if (name == null) {
          throw AugmentationErrors.badOpSyntax(dataset, String.valueOf(m), "it has no `op` field");
        }
        out.add(of(dataset, kind, String.valueOf(name), out.size(), params));
      } else {
        for (String text : String.valueOf(item).split(";")) {
          if (text.isBlank()) {
            continue;
          }
          out.add(parseOne(dataset, kind, text.trim(), out.size()));
        }
      }
    }
    return List.copyOf(out);
  }

  private static OpSpec parseOne(String dataset, DatasetKind kind, String text, int index) {
    String[] parts = text.split("\\s+");
    Map<String, String> params = new LinkedHashMap<>();
    for (String part : Arrays.asList(parts).subList(1, parts.length)) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw AugmentationErrors.badOpSyntax(dataset, text, "'" + part + "' is not key=value");
      }
      params.put(part.substring(0, eq), part.substring(eq + 1));
    }
    return of(dataset, kind, parts[0], index, params);
  }

  public AugmentOp op() {
    return op;
  }

  /** Position in the dataset's op list, from 0: part of every draw's hash. */
  public int index() {
    return index;
  }

  public boolean rejectsViolations() {
    return string(AugmentOp.ON_VIOLATION).equals("reject");
  }

  public String string(String param) {
    String v = params.get(param);
    assert v != null : "no default for " + param;
    return v;
  }

  /** A '|'-separated list parameter; empty when not set. */
  public List<String> list(String param) {
    String v = string(param);
    return v.isBlank()
        ? List.of()
        : Arrays.stream(v.split("\\|")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** A number parameter that must lie in [min, max]. */
  public double number(String param, double min, double max) {
    String v = string(param);
    double d;
    try {
      d = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw AugmentationErrors.badParameter(dataset, op.id(), param, v, "it is not a number");
    }
    if (!(d >= min && d <= max)) {
      throw AugmentationErrors.badParameter(
          dataset,
          op.id(),
          param,
          v,
          String.format(Locale.ROOT, "it must lie in [%s, %s]", fmt(min), fmt(max)));
    }
    return d;
  }

  /** A whole-number parameter that must lie in [min, max]. */
  public int whole(String param, int min, int max) {
    double d = number(param, min, max);
    if (d != Math.rint(d)) {
      throw AugmentationErrors.badParameter(
          dataset, op.id(), param, string(param), "it must be a whole number");
    }
    return (int) d;
  }

  /** {@code {"op":"noise","sigma":"0.1",...}}: the op and every parameter, defaults included. */
  public String describe() {
    StringBuilder sb = new StringBuilder("{\"op\":\"").append(op.id()).append('"');
    params.forEach(
        (k, v) -> sb.append(",\"").append(k).append("\":\"").append(json(v)).append('"'));
    return sb.append('}').toString();
  }

  /** The JSON array of {@link #describe()} of each op, as written to provenance. */
  public static String describe(List<OpSpec> ops) {
    return "[" + String.join(",", ops.stream().map(OpSpec::describe).toList()) + "]";
  }

  private static String json(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static String fmt(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
  }

  @Override
  public String toString() {
    return describe();
  }
}
