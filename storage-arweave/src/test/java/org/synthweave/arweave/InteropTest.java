package org.synthweave.arweave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.synthweave.arweave.crypto.Base64Url;
import org.synthweave.arweave.crypto.RsaPss;
import org.synthweave.arweave.tx.Tag;
import org.synthweave.arweave.tx.Transaction;

/** Signatures cross-checked with arweave-js from the harness's node_modules. */
class InteropTest {
  @BeforeAll
  static void install() throws Exception {
    ArlocalGateway.install();
  }

  private static String node(String script, String stdin, String... args) throws Exception {
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of("node", ArlocalGateway.nodeDir().resolve(script).toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String all = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    // arweave-js logs diagnostics before a failed verification; the answer is the last line.
    String out = all.substring(all.lastIndexOf('\n') + 1);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), script + " timed out");
    assertEquals(0, p.exitValue(), script + " failed: " + all);
    return out;
  }

  @Test
  void arweaveJsVerifiesOurSignature() throws Exception {
    Transaction tx =
        Transaction.builder()
            .reward("777")
            .tag("App-Name", "synthweave")
            .data("signed in java".getBytes(StandardCharsets.UTF_8))
            .build()
            .sign(TestWallets.first());
    assertEquals("true", node("verify-tx.js", tx.toJson()));
    Transaction tampered = tx.toBuilder().reward("778").build();
    assertEquals("false", node("verify-tx.js", tampered.toJson()));
  }

  @Test
  void weVerifyArweaveJsSignatureWithSalt478() throws Exception {
    Transaction tx = Transaction.fromJson(node("sign-tx.js", "", "from node"));
    assertTrue(tx.verify());
    assertEquals(
        List.of(Tag.of("Content-Type", "text/plain"), Tag.of("App-Name", "interop")), tx.tags());
    assertEquals("from node", new String(tx.data(), StandardCharsets.UTF_8));
    byte[] sig = Base64Url.decode(tx.signature(), "signature");
    byte[] owner = tx.ownerBytes();
    assertTrue(RsaPss.verify(owner, tx.signatureData(), sig));
    // Node's default is the maximum salt: a salt-32-only verifier would reject it.
    java.security.Signature s = java.security.Signature.getInstance("RSASSA-PSS");
    s.setParameter(
        new java.security.spec.PSSParameterSpec(
            "SHA-256", "MGF1", java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
    s.initVerify(RsaPss.publicKey(owner));
    s.update(tx.signatureData());
    assertFalse(s.verify(sig));
  }
}
