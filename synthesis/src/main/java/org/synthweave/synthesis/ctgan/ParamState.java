package org.synthweave.synthesis.ctgan;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named float tensors in a fixed order: the weights, batch-norm buffers and Adam moments of a
 * training run, plus two counters. It is what executors send to the driver, what the driver
 * averages and broadcasts, and what checkpoints and model files hold.
 */
public final class ParamState implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int MAGIC = 0x53574731; // "SWG1"

  private final LinkedHashMap<String, long[]> shapes = new LinkedHashMap<>();
  private final LinkedHashMap<String, float[]> values = new LinkedHashMap<>();
  private final LinkedHashMap<String, Long> counters = new LinkedHashMap<>();

  public void put(String name, long[] shape, float[] data) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    if (n != data.length) {
      throw new IllegalArgumentException(
          name + ": shape " + Arrays.toString(shape) + " does not hold " + data.length);
    }
    shapes.put(name, shape.clone());
    values.put(name, data);
  }

  public void counter(String name, long value) {
    counters.put(name, value);
  }

  public long counter(String name) {
    Long v = counters.get(name);
    if (v == null) {
      throw new IllegalArgumentException("no counter " + name);
    }
    return v;
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  public float[] values(String name) {
    float[] v = values.get(name);
    if (v == null) {
      throw new IllegalArgumentException("no tensor " + name);
    }
    return v;
  }

  public long[] shape(String name) {
    return shapes.get(name).clone();
  }

  public List<String> names() {
    return Collections.unmodifiableList(new ArrayList<>(values.keySet()));
  }

  /** Only the tensors whose names start with one of {@code prefixes}. */
  public ParamState select(String... prefixes) {
    ParamState s = new ParamState();
    for (Map.Entry<String, float[]> e : values.entrySet()) {
      for (String p : prefixes) {
        if (e.getKey().startsWith(p)) {
          s.put(e.getKey(), shapes.get(e.getKey()), e.getValue());
          break;
        }
      }
    }
    return s;
  }

  /**
   * The element-wise mean of {@code states} weighted by {@code weights} (rows each copy trained
   * on); counters take the maximum. This is the driver's combine step of data-parallel training.
   */
  public static ParamState average(List<ParamState> states, double[] weights) {
    if (states.isEmpty() || states.size() != weights.length) {
      throw new IllegalArgumentException("states and weights must match and not be empty");
    }
    double total = Arrays.stream(weights).sum();
    ParamState first = states.get(0);
    ParamState out = new ParamState();
    for (String name : first.names()) {
      float[] acc = new float[first.values(name).length];
      for (int s = 0; s < states.size(); s++) {
        float[] v = states.get(s).values(name);
        float w = (float) (weights[s] / total);
        for (int i = 0; i < acc.length; i++) {
          acc[i] += w * v[i];
        }
      }
      out.put(name, first.shape(name), acc);
    }
    for (String c : first.counters.keySet()) {
      long max = Long.MIN_VALUE;
      for (ParamState s : states) {
        max = Math.max(max, s.counter(c));
      }
      out.counter(c, max);
    }
    return out;
  }

  public void write(DataOutputStream out) throws IOException {
    out.writeInt(MAGIC);
    out.writeInt(values.size());
    for (Map.Entry<String, float[]> e : values.entrySet()) {
      out.writeUTF(e.getKey());
      long[] shape = shapes.get(e.getKey());
      out.writeInt(shape.length);
      for (long d : shape) {
        out.writeLong(d);
      }
      float[] v = e.getValue();
      out.writeInt(v.length);
      for (float f : v) {
        out.writeFloat(f);
      }
    }
    out.writeInt(counters.size());
    for (Map.Entry<String, Long> e : counters.entrySet()) {
      out.writeUTF(e.getKey());
      out.writeLong(e.getValue());
    }
  }

  public static ParamState read(DataInputStream in) throws IOException {
    if (in.readInt() != MAGIC) {
      throw new IOException("not a synthweave parameter file (bad magic number)");
    }
    ParamState s = new ParamState();
    int n = in.readInt();
    for (int i = 0; i < n; i++) {
      String name = in.readUTF();
      long[] shape = new long[in.readInt()];
      for (int d = 0; d < shape.length; d++) {
        shape[d] = in.readLong();
      }
      float[] v = new float[in.readInt()];
      for (int j = 0; j < v.length; j++) {
        v[j] = in.readFloat();
      }
      s.put(name, shape, v);
    }
    int c = in.readInt();
    for (int i = 0; i < c; i++) {
      s.counter(in.readUTF(), in.readLong());
    }
    return s;
  }
}
