import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Writes spam-ham.tsv from the spam-assassin corpus: 500 ham (easy-ham-1, hard-ham-1) and 500 spam
 * (spam-1, spam-2) messages picked with a fixed seed, single-part and not base64-encoded, as
 * "subject body" with HTML reduced to its text (jsoup), whitespace folded, cut at 1,000 chars; the
 * first 350 of each class are split=train, the other 150 split=test.
 *
 * <p>java -cp jsoup.jar MakeSpamHam.java DATA_DIR OUT.tsv
 */
public class MakeSpamHam {
  public static void main(String[] args) throws IOException {
    Path data = Path.of(args[0]);
    Random random = new Random(42);
    List<String> out = new ArrayList<>();
    out.add("split\tlabel\tsource\ttext");
    String[][] classes = {{"ham", "easy-ham-1", "hard-ham-1"}, {"spam", "spam-1", "spam-2"}};
    for (String[] cls : classes) {
      List<Path> files = new ArrayList<>();
      for (int i = 1; i < cls.length; i++) {
        try (Stream<Path> s = Files.list(data.resolve(cls[i]))) {
          s.filter(p -> p.getFileName().toString().endsWith(".txt")).sorted().forEach(files::add);
        }
      }
      Collections.shuffle(files, random);
      int n = 0;
      for (Path p : files) {
        String raw = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
        int split = raw.indexOf("\n\n");
        if (split < 0) {
          continue;
        }
        String head = raw.substring(0, split).toLowerCase(Locale.ROOT);
        String body = raw.substring(split + 2);
        if (head.contains("multipart") || head.contains("base64")) {
          continue;
        }
        String subject = "";
        for (String line : raw.substring(0, split).split("\n")) {
          if (line.toLowerCase(Locale.ROOT).startsWith("subject:")) {
            subject = line.substring(8).trim();
          }
        }
        String lower = body.toLowerCase(Locale.ROOT);
        String text =
            lower.contains("<html") || lower.contains("<body")
                ? org.jsoup.Jsoup.parse(body).text()
                : body;
        text = (subject + " " + text).replaceAll("\\s+", " ").trim();
        if (text.length() < 40) {
          continue;
        }
        if (text.length() > 1000) {
          text = text.substring(0, 1000);
        }
        String source = p.getParent().getFileName() + "/" + p.getFileName();
        out.add((n < 350 ? "train" : "test") + "\t" + cls[0] + "\t" + source + "\t" + text);
        if (++n == 500) {
          break;
        }
      }
    }
    Files.write(Path.of(args[1]), out, StandardCharsets.UTF_8);
  }
}
