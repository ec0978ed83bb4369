/**
 * Declarative checks of a dataset ({@code verify.dataset.<name>.*}): row count bounds, schema,
 * completeness, uniqueness, value ranges and categorical domains, plus the fidelity and privacy
 * thresholds of a synthetic table ({@link org.synthweave.verification.checks.SyntheticCheck}) and
 * what an embedding index must hold ({@link org.synthweave.verification.checks.IndexCheck}). The
 * checks and their pass rules are Spark-free; {@link
 * org.synthweave.verification.checks.SparkChecks} turns every data metric of a table into one
 * aggregate expression and computes them all in one scan, and hands synthetic tables to {@code
 * evaluate-synthetic}'s evaluator.
 */
package org.synthweave.verification.checks;
