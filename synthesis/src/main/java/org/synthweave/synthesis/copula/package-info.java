/**
 * The Gaussian-copula baseline (as SDV ships it): per-column marginals (empirical quantiles for
 * numbers, frequency intervals for categories), a correlation matrix of the normal scores, and
 * sampling through a Cholesky factor. Spark-free; the Spark adapter supplies the statistics.
 */
package org.synthweave.synthesis.copula;
