/**
 * Spark plumbing shared by all jobs: the SparkSession factory (Delta configured, UTC, few shuffle
 * partitions locally), progress reporting for long work, and Delta reads pinned to a version and
 * idempotent writes that record their lineage in the commit.
 */
package org.synthweave.core.spark;
