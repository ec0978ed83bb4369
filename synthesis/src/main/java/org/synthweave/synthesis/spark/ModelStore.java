package org.synthweave.synthesis.spark;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.synthweave.synthesis.SynthesisErrors;
import org.synthweave.synthesis.ctgan.Checkpoint;
import org.synthweave.synthesis.ctgan.ParamState;

/**
 * Model folders and checkpoints on Hadoop's file system (local disk, HDFS or an object store,
 * whatever the warehouse is on). Files are written beside their final name and renamed, so a crash
 * leaves either the old or the new version.
 */
public final class ModelStore {
  private final Configuration conf;

  public ModelStore(Configuration conf) {
    this.conf = conf;
  }

  private FileSystem fs(Path p) throws IOException {
    return p.getFileSystem(conf);
  }

  public boolean exists(String dir) {
    try {
      Path p = new Path(dir, "model.json");
      return fs(p).exists(p);
    } catch (IOException e) {
      throw SynthesisErrors.io("check", dir, e);
    }
  }

  /** Every regular file directly in {@code dir}, which must hold a model.json. */
  public Map<String, byte[]> read(String dir) {
    if (!exists(dir)) {
      throw SynthesisErrors.noModel(dir);
    }
    return readIfExists(dir);
  }

  /** Every regular file directly in {@code dir}; empty when the folder does not exist. */
  public Map<String, byte[]> readIfExists(String dir) {
    Path d = new Path(dir);
    try {
      FileSystem fs = fs(d);
      Map<String, byte[]> files = new LinkedHashMap<>();
      if (!fs.exists(d)) {
        return files;
      }
      for (FileStatus st : fs.listStatus(d)) {
        if (st.isFile()) {
          try (InputStream in = fs.open(st.getPath())) {
            files.put(st.getPath().getName(), in.readAllBytes());
          }
        }
      }
      return files;
    } catch (IOException e) {
      throw SynthesisErrors.io("read the folder", dir, e);
    }
  }

  /** Writes {@code files} into {@code dir}, each through a temporary name. */
  public void write(String dir, Map<String, byte[]> files) {
    Path d = new Path(dir);
    try {
      FileSystem fs = fs(d);
      fs.mkdirs(d);
      for (Map.Entry<String, byte[]> e : files.entrySet()) {
        writeAtomically(fs, new Path(d, e.getKey()), e.getValue());
      }
    } catch (IOException e) {
      throw SynthesisErrors.io("write the model folder", dir, e);
    }
  }

  private static void writeAtomically(FileSystem fs, Path target, byte[] bytes) throws IOException {
    Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
    try (OutputStream out = fs.create(tmp, true)) {
      out.write(bytes);
    }
    fs.delete(target, false);
    if (!fs.rename(tmp, target)) {
      throw new IOException("cannot rename " + tmp + " to " + target);
    }
  }

  public void delete(String dir) {
    Path d = new Path(dir);
    try {
      fs(d).delete(d, true);
    } catch (IOException e) {
      throw SynthesisErrors.io("delete", dir, e);
    }
  }

  /**
   * The checkpoint of a training run in {@code dir}. A checkpoint written for another fingerprint
   * (other data, transformer or settings) is ignored, so a changed table never resumes from a stale
   * state.
   */
  public Checkpoint checkpoint(String dir, String fingerprint) {
    Path state = new Path(dir, "state.bin");
    Path meta = new Path(dir, "checkpoint.txt");
    return new Checkpoint() {
      @Override
      public Optional<Saved> latest() {
        try {
          FileSystem fs = fs(meta);
          if (!fs.exists(meta) || !fs.exists(state)) {
            return Optional.empty();
          }
          String[] lines;
          try (InputStream in = fs.open(meta)) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
          }
          if (lines.length < 2 || !lines[0].equals(fingerprint)) {
            return Optional.empty();
          }
          int epochs = Integer.parseInt(lines[1].trim());
          try (DataInputStream in = new DataInputStream(fs.open(state))) {
            return Optional.of(new Saved(ParamState.read(in), epochs));
          }
        } catch (IOException | NumberFormatException e) {
          throw SynthesisErrors.io("read the checkpoint", dir, e);
        }
      }

      @Override
      public void save(ParamState s, int epochsDone) {
        try {
          FileSystem fs = fs(meta);
          fs.mkdirs(new Path(dir));
          ByteArrayOutputStream bytes = new ByteArrayOutputStream();
          try (DataOutputStream out = new DataOutputStream(bytes)) {
            s.write(out);
          }
          // State first, then the line that names its epoch: a crash in between leaves the old
          // epoch number with a newer state, which only repeats work.
          writeAtomically(fs, state, bytes.toByteArray());
          writeAtomically(
              fs, meta, (fingerprint + "\n" + epochsDone + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
          throw SynthesisErrors.io("write the checkpoint", dir, e);
        }
      }
    };
  }
}
