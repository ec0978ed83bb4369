/**
 * Declarative data checks of a dataset ({@code verify.dataset.<name>.*}): row count bounds, schema,
 * completeness, uniqueness, value ranges and categorical domains. The checks and their pass rules
 * are Spark-free; {@link org.synthweave.verification.checks.SparkChecks} turns every metric of a
 * table into one aggregate expression and computes them all in one scan.
 */
package org.synthweave.verification.checks;
