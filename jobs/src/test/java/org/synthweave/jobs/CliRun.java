package org.synthweave.jobs;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.spark.sql.SparkSession;

/** Runs the CLI in this JVM as a user would, capturing its exit code, stdout and stderr. */
record CliRun(int code, String out, String err) {
  /**
   * Runs {@code args} on the warehouse {@code warehouse} with the tests' Spark settings (local[2],
   * the driver on loopback); options may precede the command in {@code args}.
   */
  static CliRun inWarehouse(java.nio.file.Path warehouse, String... args) {
    java.util.List<String> all =
        new java.util.ArrayList<>(
            java.util.List.of(
                "--set",
                "warehouse=" + warehouse,
                "--set",
                "spark.master=local[2]",
                "--set",
                "spark.conf.spark.driver.host=127.0.0.1"));
    all.addAll(java.util.List.of(args));
    return of(all.toArray(String[]::new));
  }

  /**
   * A small local SparkSession with Delta, for reading what a command wrote; stop it (and {@link
   * SparkSession#clearDefaultSession()}) when done.
   */
  static SparkSession deltaSession() {
    return SparkSession.builder()
        .master("local[1]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config(
            "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .getOrCreate();
  }

  static CliRun of(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Main.execute(args);
      return new CliRun(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
      // A job stops its SparkSession; the next command in this JVM must start a fresh one.
      SparkSession.clearDefaultSession();
    }
  }
}
