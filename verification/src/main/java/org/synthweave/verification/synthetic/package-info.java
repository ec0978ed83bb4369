/**
 * Fidelity and privacy metrics of synthetic tables, as Spark jobs: SDMetrics-style column shapes
 * and column-pair trends, train-on-synthetic/test-on-real efficacy, detection AUC, distance to the
 * closest record and exact copies ({@link
 * org.synthweave.verification.synthetic.SyntheticEvaluator}), the class-conditional
 * independent-marginals baseline ({@link
 * org.synthweave.verification.synthetic.IndependentMarginalsSampler}) and the HTML report.
 *
 * <p>Unlike its parent package this one needs Spark (and Spark ML) on the classpath. The module
 * declares Spark {@code provided}, which is not transitive: the market and buyers, who only verify
 * manifests, load nothing from here and get no Spark from this module.
 */
package org.synthweave.verification.synthetic;
