package org.synthweave.jobs;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.synthweave.arweave.wallet.Wallet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code synthweave wallet}: create an Arweave wallet key file, or show a key file's address. */
@Command(
    name = "wallet",
    mixinStandardHelpOptions = true,
    description = "Arweave wallets (JWK RSA-4096 key files) for publishing datasets.",
    subcommands = {WalletCommand.New.class, WalletCommand.Address.class})
final class WalletCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "new",
      mixinStandardHelpOptions = true,
      description =
          "Generate a new RSA-4096 key, write it as JWK readable by its owner only (0600) and"
              + " print its address. The key is never printed.")
  static final class New implements Runnable {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "Where to write the key file.")
    Path file;

    @Override
    public void run() {
      if (Files.exists(file)) {
        throw JobErrors.walletFileExists(file);
      }
      Wallet wallet = Wallet.generate(new SecureRandom());
      wallet.save(file);
      PrintWriter out = spec.commandLine().getOut();
      out.println(wallet.address());
      out.flush();
    }
  }

  @Command(
      name = "address",
      mixinStandardHelpOptions = true,
      description = "Print the address of a key file (refuses a file others can read).")
  static final class Address implements Runnable {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "A JWK key file.")
    Path file;

    @Override
    public void run() {
      PrintWriter out = spec.commandLine().getOut();
      out.println(Wallet.load(file).address());
      out.flush();
    }
  }
}
