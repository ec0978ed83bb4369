package org.synthweave.synthesis.ctgan;

/**
 * Trains one epoch from a state and returns the state after it: on one JVM ({@link
 * CtganTrainer#localRunner}) or data-parallel on Spark ({@code SparkCtganTraining}).
 */
@FunctionalInterface
public interface EpochRunner {
  LocalTrainer.Result runEpoch(ParamState state, int epoch);
}
