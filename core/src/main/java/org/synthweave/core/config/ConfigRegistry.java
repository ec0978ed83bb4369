package org.synthweave.core.config;

import com.typesafe.config.ConfigUtil;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every key the running program knows, gathered from each stage's key class. Also knows the
 * pass-through prefixes whose sub-keys are free-form (e.g. {@code
 * spark.conf."spark.executor.memory"}).
 */
public final class ConfigRegistry {
  private final Map<String, ConfigKey<?>> keys = new LinkedHashMap<>();
  private final List<String> passThroughPrefixes = new ArrayList<>();
  private final List<ConfigKey<?>> familyKeys = new ArrayList<>();

  /** Registers keys; a name registered twice is a programming error. */
  public ConfigRegistry register(Collection<? extends ConfigKey<?>> stageKeys) {
    for (ConfigKey<?> k : stageKeys) {
      ConfigKey<?> previous = keys.putIfAbsent(k.name(), k);
      assert previous == null || previous == k : "duplicate config key " + k.name();
      if (previous != null && previous != k) {
        throw new IllegalStateException("config key registered twice: " + k.name());
      }
    }
    return this;
  }

  /** Registers a prefix (ending in '.') under which any sub-key is accepted unchecked. */
  public ConfigRegistry passThrough(String prefix) {
    if (!prefix.endsWith(".")) {
      throw new IllegalArgumentException("prefix must end with '.': " + prefix);
    }
    passThroughPrefixes.add(prefix);
    return this;
  }

  /**
   * Registers a family of per-name keys under {@code prefix} (e.g. {@code verify.dataset.}): the
   * sub-keys are accepted like a pass-through prefix's and checked by the stage that reads them;
   * {@code documented} are their templates (names holding a placeholder such as {@code <name>}),
   * listed by {@code config --keys} but never matched against a real key.
   */
  public ConfigRegistry family(String prefix, Collection<? extends ConfigKey<?>> documented) {
    passThrough(prefix);
    familyKeys.addAll(documented);
    return this;
  }

  /** The documented templates of every {@link #family}. */
  public List<ConfigKey<?>> familyKeys() {
    return List.copyOf(familyKeys);
  }

  public Optional<ConfigKey<?>> find(String name) {
    return Optional.ofNullable(keys.get(name));
  }

  public boolean isPassThrough(String name) {
    return passThroughPrefixes.stream().anyMatch(name::startsWith);
  }

  /**
   * {@code name} as it is written in a file or after --set: a free-form sub-key holding dots is
   * quoted, e.g. {@code spark.conf."spark.master"}, so that the line can be copied back.
   */
  public String displayName(String name) {
    for (String p : passThroughPrefixes) {
      String rest = name.startsWith(p) ? name.substring(p.length()) : null;
      if (rest != null && rest.contains(".")) {
        return p + ConfigUtil.quoteString(rest);
      }
    }
    return name;
  }

  public Collection<ConfigKey<?>> keys() {
    return keys.values();
  }

  public List<String> passThroughPrefixes() {
    return List.copyOf(passThroughPrefixes);
  }

  /** Up to two known keys closest to {@code name} by edit distance, when reasonably close. */
  public List<String> nearest(String name) {
    int limit = Math.max(3, name.length() / 3);
    return keys.keySet().stream()
        .map(k -> Map.entry(k, editDistance(name, k)))
        .filter(e -> e.getValue() <= limit || lastSegment(e.getKey()).equals(lastSegment(name)))
        .sorted(Comparator.comparingInt(Map.Entry<String, Integer>::getValue))
        .limit(2)
        .map(Map.Entry::getKey)
        .toList();
  }

  private static String lastSegment(String key) {
    int dot = key.lastIndexOf('.');
    return dot < 0 ? key : key.substring(dot + 1);
  }

  /** Levenshtein distance of {@code a} and {@code b}, for "did you mean" suggestions. */
  public static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
