package org.synthweave.augmentation;

import java.io.Serializable;
import java.util.List;
import org.synthweave.core.config.ConfigKey;
import org.synthweave.core.config.Settings;

/**
 * Every fixed configuration key of the augment stage, with its documented default, and the typed
 * view the jobs use. Datasets are declared under the free-form prefix {@code augment.dataset.} (see
 * {@link DatasetSpec}).
 *
 * @param seed the run seed every draw derives from
 * @param datasets the datasets {@code synthweave augment} (and {@code run}) augments
 * @param wordnetDir folder with WordNet's data.* files, for the text ops
 * @param rawMaxBytes bytes of a rejected row kept in quarantine
 * @param specs the declared datasets, read from the configuration
 */
public record AugmentationConfig(
    long seed,
    List<String> datasets,
    String wordnetDir,
    int rawMaxBytes,
    java.util.Map<String, DatasetSpec> specs)
    implements Serializable {

  public static final ConfigKey<Long> SEED =
      ConfigKey.longKey(
          "augment.seed",
          20260611L,
          "Run seed: every augmented value derives from (seed, source id, op index, copy, draw),"
              + " so reruns and other partitionings give identical rows.");
  public static final ConfigKey<List<String>> DATASETS =
      ConfigKey.stringList(
          "augment.datasets",
          List.of("telemetry"),
          "Datasets that `synthweave augment` and `run` augment; each is declared under"
              + " augment.dataset.<name> {source, kind, ops, ...}.");
  public static final ConfigKey<String> WORDNET_DIR =
      ConfigKey.string(
          "augment.wordnet-dir",
          "data/bench/wordnet",
          "Folder with WordNet 3.0's data.noun/verb/adj/adv (data/scripts/text/fetch-wordnet.sh"
              + " fetches them), for the synonym ops.");
  public static final ConfigKey<Integer> RAW_MAX_BYTES =
      ConfigKey.integer(
          "augment.quarantine.raw-max-bytes",
          4096,
          "Bytes of a rejected row's JSON kept in quarantine/augment.");

  public static final List<ConfigKey<?>> KEYS = List.of(SEED, DATASETS, WORDNET_DIR, RAW_MAX_BYTES);

  public static AugmentationConfig from(Settings s) {
    java.util.Map<String, DatasetSpec> specs = new java.util.TreeMap<>();
    for (String name : DatasetSpec.declared(s.explicitValues())) {
      specs.put(name, DatasetSpec.from(name, s.explicitValues()));
    }
    if (s.get(RAW_MAX_BYTES) < 0) {
      throw AugmentationErrors.badOption(
          RAW_MAX_BYTES.name(), s.get(RAW_MAX_BYTES), "it must be >= 0");
    }
    return new AugmentationConfig(
        s.get(SEED), s.get(DATASETS), s.get(WORDNET_DIR), s.get(RAW_MAX_BYTES), specs);
  }

  /** The spec of {@code name}, or an error listing the declared ones. */
  public DatasetSpec spec(String name) {
    DatasetSpec spec = specs.get(name);
    if (spec == null) {
      throw AugmentationErrors.unknownDataset(name, specs.keySet());
    }
    return spec;
  }
}
