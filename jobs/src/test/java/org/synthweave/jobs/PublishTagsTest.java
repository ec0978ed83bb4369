package org.synthweave.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.synthweave.arweave.manifest.PathManifest;
import org.synthweave.arweave.tx.Tag;
import org.synthweave.arweave.tx.TxLimits;
import org.synthweave.arweave.upload.FolderUploader;
import org.synthweave.core.SynthweaveException;
import org.synthweave.core.config.Settings;

/**
 * The Arweave tags of a published dataset: ANS-110 discoverability on the path manifest, the UDL
 * per ANS-105 on everything, within Arweave's tag limits, and the publish.dataset.* keys they come
 * from.
 */
class PublishTagsTest {
  private static final String HASH = "ab".repeat(32);

  private static PublishDatasetConfig config(Settings s, String license) {
    return PublishDatasetConfig.from(
        s, "silver_wine", "silver/wine", 0, null, license, "publisher-address");
  }

  private static PublishTags tags(PublishDatasetConfig c) {
    return PublishTags.of(
        "silver_wine",
        "0",
        HASH,
        HASH,
        c.card("silver_wine", "0", "silver/wine", "2026-12-05"),
        c.udl());
  }

  private static Map<String, String> byName(List<Tag> tags) {
    Map<String, String> m = new LinkedHashMap<>();
    for (Tag t : tags) {
      assertEquals(null, m.put(t.name(), t.value()), "tag " + t.name() + " twice");
    }
    return m;
  }

  @Test
  void theManifestCarriesAns110AndTheUdlWithTermsFromTheSpdxLicense() {
    Settings s =
        Settings.defaults()
            .with("publish.dataset.silver_wine.title", "Wine recognition")
            .with("publish.dataset.silver_wine.keywords", List.of("wine", "chemistry"))
            .with("publish.dataset.silver_wine.udl.license-fee", "One-Time-0.5");
    PublishTags t = tags(config(s, "CC-BY-4.0"));
    Map<String, String> m = byName(t.manifest());
    assertEquals("Wine recognition", m.get("Title"));
    assertEquals("dataset", m.get("Type"));
    assertEquals("ANS-110", m.get("Implements"));
    assertTrue(m.get("Description").contains("silver/wine"), m.toString());
    assertEquals("wine", m.get("Topic:wine"));
    assertEquals("chemistry", m.get("Topic:chemistry"));
    assertEquals(UdlTerms.UDL_TX_ID, m.get("License"));
    assertEquals("yRj4a5KMctX_uOmKWCFJIjmY8DeJcusVk6-HzLiM_t8", m.get("License"));
    assertEquals("Allowed-With-Credit", m.get("Commercial-Use"));
    assertEquals("Allowed-With-Credit", m.get("Derivation"));
    assertEquals("Allowed", m.get("Data-Model-Training"));
    assertEquals("One-Time-0.5", m.get("License-Fee"));
    assertEquals("AR", m.get("Currency"));
    assertEquals(HASH, m.get("Merkle-Root"));
    // Every file carries the license too, but not the discoverability tags.
    Map<String, String> c = byName(t.common());
    assertEquals(UdlTerms.UDL_TX_ID, c.get("License"));
    assertEquals("Allowed-With-Credit", c.get("Commercial-Use"));
    assertFalse(c.containsKey("Title") || c.containsKey("Type"), c.toString());
    t.checkLimits("silver_wine");
  }

  @Test
  void licensesMapToTermsThatGrantNoMore() {
    assertEquals(
        Map.of(
            "Derivation",
            "Allowed-With-License-Passthrough",
            "Commercial-Use",
            "Allowed-With-Credit"),
        terms("ODbL-1.0", "Derivation", "Commercial-Use"));
    Map<String, String> nc = byName(tags(config(Settings.defaults(), "CC-BY-NC-4.0")).manifest());
    assertFalse(nc.containsKey("Commercial-Use"), nc.toString());
    assertFalse(nc.containsKey("Data-Model-Training"), nc.toString());
    Map<String, String> closed = byName(tags(config(Settings.defaults(), "UNLICENSED")).manifest());
    assertEquals(UdlTerms.UDL_TX_ID, closed.get("License"));
    for (String term :
        List.of("Commercial-Use", "Derivation", "Data-Model-Training", "License-Fee", "Currency")) {
      assertFalse(closed.containsKey(term), term + " in " + closed);
    }
    // An explicit term wins over the license's; none takes it away.
    Settings s =
        Settings.defaults()
            .with("publish.dataset.silver_wine.udl.commercial-use", "Allowed")
            .with("publish.dataset.silver_wine.udl.derivation", "none");
    Map<String, String> set = byName(tags(config(s, "CC-BY-4.0")).manifest());
    assertEquals("Allowed", set.get("Commercial-Use"));
    assertFalse(set.containsKey("Derivation"));
  }

  private static Map<String, String> terms(String license, String... names) {
    Map<String, String> all = byName(tags(config(Settings.defaults(), license)).manifest());
    Map<String, String> out = new LinkedHashMap<>();
    for (String n : names) {
      out.put(n, all.get(n));
    }
    return Map.copyOf(out);
  }

  @Test
  void aLongDescriptionIsCutTo300CharactersAndTheWholeSetFitsTheLimits() {
    String description = "Chemical analysis of wines grown in one region of Italy. ".repeat(20);
    List<String> keywords = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      keywords.add("keyword-" + i);
    }
    Settings s =
        Settings.defaults()
            .with("publish.dataset.silver_wine.title", "W".repeat(150))
            .with("publish.dataset.silver_wine.description", description)
            .with("publish.dataset.silver_wine.keywords", keywords);
    PublishDatasetConfig c = config(s, "CC-BY-SA-4.0");
    assertEquals(description.strip(), c.description(), "the card keeps the whole text");
    PublishTags t = tags(c);
    String tag = byName(t.manifest()).get("Description");
    assertTrue(tag.codePointCount(0, tag.length()) <= 300, tag.length() + ": " + tag);
    assertTrue(tag.endsWith("…"), tag);
    t.checkLimits("silver_wine");
    List<Tag> sent = new ArrayList<>(t.manifest());
    sent.add(PathManifest.CONTENT_TYPE_TAG);
    sent.add(Tag.of(FolderUploader.BUNDLED_IN_TAG, "x".repeat(43)));
    int bytes = TxLimits.checkTags(sent);
    assertTrue(bytes <= TxLimits.MAX_TAG_BYTES, "bytes " + bytes);
  }

  @Test
  void tagsOverTheLimitFailBeforeAnyUploadAndSayWhatToShorten() {
    List<String> keywords = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      keywords.add("a-rather-long-keyword-" + i);
    }
    Settings s = Settings.defaults().with("publish.dataset.silver_wine.keywords", keywords);
    PublishTags t = tags(config(s, "MIT"));
    SynthweaveException e =
        assertThrows(SynthweaveException.class, () -> t.checkLimits("silver_wine"));
    assertTrue(e.getMessage().contains("2048"), e.getMessage());
    assertTrue(e.getMessage().contains("publish.dataset.silver_wine.keywords"), e.getMessage());
  }

  @Test
  void badValuesAreConfigurationErrorsNamingTheKey() {
    SynthweaveException title =
        assertThrows(
            SynthweaveException.class,
            () ->
                config(
                    Settings.defaults().with("publish.dataset.silver_wine.title", "T".repeat(151)),
                    "MIT"));
    assertTrue(
        title.getMessage().contains("publish.dataset.silver_wine.title"), title.getMessage());
    assertTrue(title.getMessage().contains("150"), title.getMessage());
    SynthweaveException term =
        assertThrows(
            SynthweaveException.class,
            () ->
                config(
                    Settings.defaults()
                        .with("publish.dataset.silver_wine.udl.derivation", "Allowed"),
                    "MIT"));
    assertTrue(
        term.getMessage().contains("publish.dataset.silver_wine.udl.derivation"),
        term.getMessage());
    SynthweaveException typo =
        assertThrows(
            SynthweaveException.class,
            () ->
                config(Settings.defaults().with("publish.dataset.silver_wine.titel", "x"), "MIT"));
    assertTrue(
        typo.getMessage().contains("Did you mean 'publish.dataset.silver_wine.title'"),
        typo.getMessage());
    SynthweaveException license =
        assertThrows(
            SynthweaveException.class, () -> config(Settings.defaults(), "Creative Commons BY"));
    assertTrue(license.getMessage().contains("SPDX"), license.getMessage());
  }

  @Test
  void configKeysListsTheDatasetKeys() {
    CliRun r = CliRun.of("config", "--keys");
    assertEquals(0, r.code(), r.err());
    for (String k :
        List.of(
            "publish.dataset.<name>.title",
            "publish.dataset.<name>.keywords",
            "publish.dataset.<name>.udl.commercial-use",
            "publish.dataset.<name>.udl.currency")) {
      assertTrue(r.out().contains(k), k + " in " + r.out());
    }
  }
}
