/**
 * The synthweave command line: one picocli command per stage, the whole-pipeline {@code run}, and
 * the benchmarks. Commands only resolve configuration and call the stage modules' Spark jobs.
 */
package org.synthweave.jobs;
