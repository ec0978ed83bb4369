package org.synthweave.augmentation.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.synthweave.augmentation.AugmentationErrors;

/**
 * Synonyms from WordNet 3.0's database files ({@code data.noun}, {@code data.verb}, {@code
 * data.adj}, {@code data.adv}; format wndb(5WN)): two words are synonyms when they share a synset.
 * Each data line is {@code offset lex_filenum ss_type w_cnt word lex_id [word lex_id ...] ...},
 * with {@code w_cnt} in hexadecimal; lines starting with spaces are the license header. Multi-word
 * lemmas ({@code ice_cream}) become space-separated, adjective markers ({@code (a)}, {@code (p)},
 * {@code (ip)}) are dropped.
 */
public final class WordNetThesaurus {
  static final List<String> FILES = List.of("data.noun", "data.verb", "data.adj", "data.adv");

  private static final Map<Path, WordNetThesaurus> LOADED = new ConcurrentHashMap<>();

  private final Map<String, String[]> synonyms;

  private WordNetThesaurus(Map<String, String[]> synonyms) {
    this.synonyms = synonyms;
  }

  /** The thesaurus of {@code dir}, read once per JVM (one per executor on a cluster). */
  public static WordNetThesaurus load(Path dir) {
    return LOADED.computeIfAbsent(dir.toAbsolutePath().normalize(), WordNetThesaurus::read);
  }

  private static WordNetThesaurus read(Path dir) {
    for (String f : FILES) {
      if (!Files.isReadable(dir.resolve(f))) {
        throw AugmentationErrors.thesaurusMissing(dir.toString());
      }
    }
    Map<String, TreeSet<String>> sets = new HashMap<>();
    for (String f : FILES) {
      Path file = dir.resolve(f);
      long lineNo = 0;
      try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          lineNo++;
          if (line.isEmpty() || line.charAt(0) == ' ') {
            continue;
          }
          List<String> words = synsetWords(line);
          for (String w : words) {
            TreeSet<String> s = sets.computeIfAbsent(w, k -> new TreeSet<>());
            for (String other : words) {
              if (!other.equals(w)) {
                s.add(other);
              }
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        throw AugmentationErrors.thesaurusUnreadable(file.toString(), lineNo, e.toString());
      }
    }
    Map<String, String[]> out = new HashMap<>(sets.size() * 2);
    sets.forEach(
        (w, s) -> {
          if (!s.isEmpty()) {
            out.put(w, s.toArray(String[]::new));
          }
        });
    return new WordNetThesaurus(out);
  }

  /** The words of one synset line, lower-cased, in file order. */
  static List<String> synsetWords(String line) {
    String[] f = line.split(" ");
    int count = Integer.parseInt(f[3], 16);
    List<String> words = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String w = f[4 + 2 * i];
      int paren = w.indexOf('(');
      if (paren > 0) {
        w = w.substring(0, paren);
      }
      words.add(w.replace('_', ' ').toLowerCase(Locale.ROOT));
    }
    return words;
  }

  /** Synonyms of {@code word} (lower-case), sorted; empty when WordNet does not know it. */
  public String[] synonyms(String word) {
    String[] s = synonyms.get(word.toLowerCase(Locale.ROOT));
    return s == null ? new String[0] : s;
  }

  /** Number of words with at least one synonym. */
  public int size() {
    return synonyms.size();
  }
}
