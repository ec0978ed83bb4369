package org.synthweave.synthesis.ctgan;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import org.synthweave.synthesis.SynthesisErrors;

/**
 * Loads DJL's PyTorch engine once per JVM in offline mode (the natives come from the
 * pytorch-native-cpu jar, nothing is downloaded) with a fixed number of intra-op threads, so that
 * Spark's task slots, not PyTorch's thread pool, are the parallelism of data-parallel training.
 */
public final class Torch {
  private static volatile Engine engine;

  private Torch() {}

  /** The engine; {@code threads} applies to the first call in a JVM only (PyTorch's rule). */
  public static Engine engine(int threads) {
    Engine e = engine;
    if (e == null) {
      synchronized (Torch.class) {
        if (engine == null) {
          System.setProperty("offline", "true");
          if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
          }
          if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
          }
          try {
            engine = Engine.getEngine("PyTorch");
          } catch (RuntimeException | UnsatisfiedLinkError err) {
            throw SynthesisErrors.engine("loading the PyTorch engine", err);
          }
        }
        e = engine;
      }
    }
    return e;
  }

  /**
   * Switches autograd recording for the calling thread (PyTorch's grad mode is thread-local). DJL's
   * GradientCollector allows one collector per JVM, which would serialize Spark tasks that train
   * side by side; the trainers therefore call this and {@code JniUtils.backward} directly.
   */
  public static void gradMode(boolean on) {
    if (engine == null) {
      throw new IllegalStateException("load the engine with Torch.engine(threads) first");
    }
    JniUtils.setGradMode(on);
  }
}
