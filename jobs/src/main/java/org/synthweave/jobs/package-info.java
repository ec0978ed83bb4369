/**
 * The synthweave command line: one picocli command per stage, the whole-pipeline {@code run}, and
 * the benchmarks. Commands only resolve configuration and call the stage modules' Spark jobs. The
 * export that publish signs ({@code DatasetExport}) lives here too, with what checks it afterwards:
 * the certificate's lineage ({@code DatasetCertification}) and {@code reproduce}'s rebuild of an
 * export from that lineage ({@code DatasetReproduction}). {@code notebook} starts Jupyter with the
 * Java kernel over the warehouse ({@code Notebooks}, {@code KernelSpec}, {@code
 * NotebookKernelLauncher}). {@code explain-gpu} ({@code SparkGpuPlans}, {@code GpuPlanReport}) asks
 * the RAPIDS Accelerator which operators of each stage would run on a GPU, against the declared CPU
 * fallbacks ({@code GpuFallbacks}).
 */
package org.synthweave.jobs;
