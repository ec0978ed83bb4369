/**
 * Spark plumbing shared by all jobs: the SparkSession factory (Delta configured, UTC, few shuffle
 * partitions locally) and progress reporting for long work.
 */
package org.synthweave.core.spark;
