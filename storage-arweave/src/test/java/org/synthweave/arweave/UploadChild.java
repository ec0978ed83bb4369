package org.synthweave.arweave;

import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import org.synthweave.arweave.tx.Tag;
import org.synthweave.arweave.upload.FolderUploader;
import org.synthweave.arweave.upload.UploadOptions;
import org.synthweave.arweave.upload.UploadResult;
import org.synthweave.arweave.wallet.Wallet;

/**
 * The uploading process that {@link FaultInjectionTest} kills: a resumable upload of one file, one
 * chunk at a time, run in a child JVM on the test class path.
 *
 * <pre>
 * java -cp $TEST_CLASSPATH org.synthweave.arweave.UploadChild GATEWAY_URL KEY_FILE DATA_FILE STATE_FILE
 * java -cp $TEST_CLASSPATH org.synthweave.arweave.UploadChild --folder GATEWAY_URL KEY_FILE FOLDER STATE_DIR
 * </pre>
 */
public final class UploadChild {
  private UploadChild() {}

  /** Starts this class's main in a JVM of its own on the test class path, output to {@code log}. */
  static Process start(Path log, String... args) throws java.io.IOException {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                UploadChild.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  public static void main(String[] args) {
    if (args.length == 5 && args[0].equals("--folder")) {
      uploadFolder(args);
      return;
    }
    if (args.length != 4) {
      System.err.println("usage: UploadChild GATEWAY_URL KEY_FILE DATA_FILE STATE_FILE");
      System.exit(2);
    }
    ArweaveClient client =
        new ArweaveClient(
            ArweaveConfig.builder(URI.create(args[0]))
                .chunkConcurrency(1)
                .requestTimeout(Duration.ofSeconds(30))
                .build());
    Path state = Paths.get(args[3]);
    UploadResult r =
        client.upload(
            Wallet.load(Paths.get(args[1])),
            Paths.get(args[2]),
            List.of(Tag.of("Test", "killed-process")),
            UploadOptions.builder()
                .stateFile(state)
                .listener(p -> System.out.println("confirmed " + p.chunkOffset()))
                .build());
    System.out.println("finished " + r.txId());
  }

  /**
   * {@code --folder GATEWAY_URL KEY_FILE FOLDER STATE_DIR}: a folder upload the way publish runs it
   * (the client's automatic chunk concurrency, a bundle of the small files, a state folder).
   */
  private static void uploadFolder(String[] args) {
    ArweaveClient client =
        new ArweaveClient(
            ArweaveConfig.builder(URI.create(args[1]))
                .requestTimeout(Duration.ofSeconds(30))
                .build());
    FolderUploader.Result r =
        client.uploadFolder(
            Wallet.load(Paths.get(args[2])),
            Paths.get(args[3]),
            List.of(Tag.of("Test", "killed-folder")),
            FolderUploader.Options.builder()
                .stateDir(Paths.get(args[4]))
                .index("small-0.bin")
                .build());
    System.out.println("finished " + r.manifestId());
  }
}
