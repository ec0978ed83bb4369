package org.synthweave.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.synthweave.embedding.EmbeddingConfig;
import org.synthweave.embedding.bench.EmbeddingBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code synthweave bench embed}: see {@link EmbeddingBench}. */
@Command(
    name = "embed",
    mixinStandardHelpOptions = true,
    description = {
      "Embedding throughput of the Spark job, the encoder alone and langchain4j's embedAll on the"
          + " same sentences in one run, for the fp32 and the int8 model, and recall@10 of int8"
          + " neighbours against fp32 ones. Prints one JSON line; progress goes to stderr.",
      "Sentences come from the \"text\" fields of a JSONL file (default: the State of the Union"
          + " speeches in the crawl sample), split at sentence ends; those of 4+ words and at"
          + " most 128 tokens are used."
    })
final class BenchEmbedCommand implements Runnable {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Option(
      names = "--input",
      defaultValue = "data/samples/crawl/sotu-and-spam.jsonl",
      description =
          "JSONL file whose \"text\" fields are split into sentences (default ${DEFAULT-VALUE}).")
  Path input;

  @Option(
      names = "--sentences",
      defaultValue = "3000",
      description = "Most sentences to embed (default ${DEFAULT-VALUE}).")
  int sentences;

  @Override
  public void run() {
    ConfigOptions o = Main.options(spec);
    List<String> sets = BenchCommand.benchSets(o, BenchCommand.workDir("embed"));
    try (JobContext job = new JobContext("bench embed", o.confFile, sets, System.err)) {
      EmbeddingBench bench =
          new EmbeddingBench(
              job.spark(),
              job.catalog,
              EmbeddingConfig.from(job.settings),
              line -> System.err.println("[bench embed] " + line));
      Map<String, Object> fig = bench.run(sentences(input), sentences);
      PrintWriter out = spec.commandLine().getOut();
      out.println(JSON.writeValueAsString(fig));
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> sentences(Path jsonl) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
      JsonNode n = JSON.readTree(line);
      if (n.hasNonNull("text")) {
        for (String s : n.get("text").asText().split("(?<=[.!?])\\s+")) {
          out.add(s);
        }
      }
    }
    return out;
  }
}
