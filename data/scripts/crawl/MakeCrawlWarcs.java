// Builds the two WARC samples of data/samples/crawl with jwarc (run by make-samples.sh):
//   gzip <in.warc> <out.warc.gz>         re-writes every record of a WARC as its own gzip member
//   fetch <out.warc.gz> <base-url> <path>...  fetches pages over HTTP into request/response records
// Single-file source launch: java -cp jwarc-0.31.1.jar MakeCrawlWarcs.java ...
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.netpreserve.jwarc.WarcCompression;
import org.netpreserve.jwarc.WarcReader;
import org.netpreserve.jwarc.WarcRecord;
import org.netpreserve.jwarc.WarcWriter;
import org.netpreserve.jwarc.Warcinfo;

public class MakeCrawlWarcs {
  public static void main(String[] args) throws Exception {
    if (args.length >= 3 && args[0].equals("gzip")) {
      gzip(Path.of(args[1]), Path.of(args[2]));
    } else if (args.length >= 4 && args[0].equals("fetch")) {
      fetch(Path.of(args[1]), args[2], List.of(args).subList(3, args.length));
    } else {
      System.err.println("usage: gzip IN.warc OUT.warc.gz | fetch OUT.warc.gz BASE_URL PATH...");
      System.exit(2);
    }
  }

  static WarcWriter writer(Path out) throws Exception {
    FileChannel channel =
        FileChannel.open(
            out,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
    return new WarcWriter(channel, WarcCompression.GZIP);
  }

  // jwarc's writer starts a new gzip member per record, which is what makes records seekable.
  static void gzip(Path in, Path out) throws Exception {
    try (WarcReader reader = new WarcReader(in);
        WarcWriter writer = writer(out)) {
      int n = 0;
      for (WarcRecord record : reader) {
        writer.write(record);
        n++;
      }
      System.out.println("wrote " + n + " records to " + out);
    }
  }

  static void fetch(Path out, String base, List<String> paths) throws Exception {
    try (WarcWriter writer = writer(out)) {
      Map<String, List<String>> fields = new LinkedHashMap<>();
      fields.put("software", List.of("jwarc 0.31.1 (synthweave data/scripts/crawl)"));
      fields.put(
          "description",
          List.of("python3.11-doc pages served by python3 -m http.server on localhost"));
      writer.write(
          new Warcinfo.Builder().date(Instant.now()).fields(fields).build());
      for (String path : paths) {
        writer.fetch(URI.create(base + path));
      }
      System.out.println("fetched " + paths.size() + " pages into " + out);
    }
  }
}
