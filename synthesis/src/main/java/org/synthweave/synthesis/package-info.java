/**
 * Tabular synthesis: the {@link org.synthweave.synthesis.SynthesisModel} interface that CTGAN and
 * the Gaussian copula implement, sampling conditions, the stage's configuration keys and its one
 * error factory. The Spark-free heart lives in the subpackages; Spark adapters in {@code spark}.
 */
package org.synthweave.synthesis;
