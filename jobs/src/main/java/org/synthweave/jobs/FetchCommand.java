package org.synthweave.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;
import org.synthweave.arweave.ArweaveClient;
import org.synthweave.arweave.ArweaveConfig;
import org.synthweave.arweave.crypto.Base64Url;
import org.synthweave.core.SynthweaveException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code synthweave fetch <manifest-id>}: downloads a published dataset folder. */
@Command(
    name = "fetch",
    mixinStandardHelpOptions = true,
    description = {
      "Download every file of a published dataset (an arweave/paths manifest id, as printed by"
          + " publish and listed in market/listings) into an empty folder.",
      "Then run 'synthweave verify DIR' to check it."
    })
final class FetchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MANIFEST_ID", description = "Path manifest id.")
  String manifestId;

  @Option(
      names = "--gateway",
      paramLabel = "URL",
      defaultValue = "http://127.0.0.1:1984",
      description = "Arweave gateway. Default: ${DEFAULT-VALUE}.")
  URI gateway;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Empty or new folder to download into.")
  Path out;

  @Override
  public void run() {
    try {
      if (Files.isDirectory(out)) {
        try (Stream<Path> s = Files.list(out)) {
          if (s.findAny().isPresent()) {
            throw new SynthweaveException(
                "--out "
                    + out
                    + " is not empty; files left there would fail verification. Choose a new"
                    + " or empty folder.");
          }
        }
      }
      Files.createDirectories(out);
      ArweaveClient client = new ArweaveClient(ArweaveConfig.builder(gateway).build());
      // GET /{id} would serve the manifest's index; /tx/{id}/data is the manifest itself.
      JsonNode m =
          new ObjectMapper()
              .readTree(
                  Base64Url.decode(
                      client.gateway().getText("GET manifest", "/tx/" + manifestId + "/data"),
                      "data"));
      if (!"arweave/paths".equals(m.path("manifest").asText())) {
        throw new SynthweaveException(
            manifestId
                + " is not an arweave/paths manifest. Pass the manifest id printed by publish"
                + " (market/listings.manifest_tx).");
      }
      Path root = out.toAbsolutePath().normalize();
      PrintWriter err = spec.commandLine().getErr();
      int n = 0;
      for (Iterator<Map.Entry<String, JsonNode>> it = m.path("paths").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        Path target = root.resolve(e.getKey()).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
          throw new SynthweaveException(
              "The manifest "
                  + manifestId
                  + " has the path "
                  + e.getKey()
                  + ", which points outside the download folder; refusing to write it.");
        }
        Files.createDirectories(target.getParent());
        String id = e.getValue().path("id").asText();
        client.download(id, target, null);
        err.println("fetched " + e.getKey() + " (" + id + ")");
        n++;
      }
      err.flush();
      PrintWriter o = spec.commandLine().getOut();
      o.println(
          "fetched " + n + " files into " + out + "; check them with: synthweave verify " + out);
      o.flush();
    } catch (IOException e) {
      throw new SynthweaveException(
          "Cannot fetch " + manifestId + " into " + out + ": " + e + ".", e, 1);
    }
  }
}
