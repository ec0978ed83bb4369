package org.synthweave.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the RAPIDS Accelerator's {@code ExplainPlan.explainPotentialGpuPlan(df, "ALL")} says about
 * one stage's Spark plans: every operator ({@code Exec}) and expression it looked at, whether it
 * would run on the GPU, and if not, RAPIDS' reason. Spark-free: it reads the explain text, so the
 * parsing is tested without Spark and the same report serves the table and the JSON line.
 */
final class GpuPlanReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One explain line: {@code <indent><mark><kind> <Class> [node] <verdict>}, mark {@code *} on the
   * GPU, {@code !} not on the GPU, {@code @}/{@code #} an expression/operator that could run on the
   * GPU but is removed with a parent that cannot.
   */
  private static final Pattern LINE = Pattern.compile("^\\s*([*!@#])(\\S+) <([^>]+)> (.*)$");

  private static final String ON_GPU = "will run on GPU";
  private static final String COULD = "could run on GPU";
  private static final String CANNOT = "cannot run on GPU because ";
  private static final String REMOVED = "could run on GPU but is going to be removed because ";

  /**
   * Reasons that only pass a fallback on: the operator itself is supported, but one of its
   * expressions or its parent is not, and that one is reported on its own line with its cause.
   */
  private static final List<String> KNOCK_ON =
      List.of(
          "not all expressions can be replaced",
          "not all commands can be replaced",
          "not all data writing commands can be replaced",
          "because parent can't run on gpu",
          "child cannot run on gpu",
          "falling back entire",
          "is going to be removed",
          "could run on gpu",
          "columnar exchange without columnar children is inefficient");

  /** One operator or expression of a plan and RAPIDS' verdict on it. */
  record Entry(String kind, String name, boolean onGpu, String reason) {
    /** An operator (Exec), as opposed to an expression, partitioning or scan detail. */
    boolean operator() {
      return kind.equals("Exec") || kind.equals("NOT_FOUND") && name.endsWith("Exec");
    }

    /**
     * Off the GPU for a reason of its own, not only because an expression inside it or its parent
     * is off the GPU (those are reported on their own lines).
     */
    boolean rootCause() {
      return !onGpu && !causes().isEmpty();
    }

    /** RAPIDS' reasons of its own for keeping it off the GPU, knock-on reasons left out. */
    List<String> causes() {
      if (onGpu) {
        return List.of();
      }
      List<String> causes = new ArrayList<>();
      for (String r : reason.split("; ")) {
        String lower = r.toLowerCase(Locale.ROOT);
        if (KNOCK_ON.stream().noneMatch(lower::contains)) {
          causes.add(r);
        }
      }
      return causes;
    }

    /** Off the GPU only for reasons the declared list covers (or only knock-on reasons). */
    boolean declared(GpuFallbacks declared) {
      return causes().stream().allMatch(c -> declared.covering(name, c).isPresent());
    }
  }

  /** Parses the explain text of one plan (several plans' texts may be concatenated). */
  static List<Entry> parse(String explain) {
    List<Entry> entries = new ArrayList<>();
    for (String line : explain.split("\n")) {
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        continue;
      }
      String mark = m.group(1);
      String rest = m.group(4);
      String reason;
      int at;
      if ((at = rest.lastIndexOf(CANNOT)) >= 0) {
        reason = rest.substring(at + CANNOT.length()).trim();
      } else if ((at = rest.lastIndexOf(REMOVED)) >= 0) {
        reason = "is going to be removed because " + rest.substring(at + REMOVED.length()).trim();
      } else if (rest.endsWith(ON_GPU)) {
        reason = "";
      } else if (rest.endsWith(COULD)) {
        // fine on its own; its operator is off the GPU, which has a line of its own
        reason = COULD + " (its operator cannot)";
      } else {
        reason = rest.trim();
      }
      entries.add(new Entry(m.group(2), m.group(3), mark.equals("*"), reason));
    }
    return entries;
  }

  /** A distinct operator or expression with how often it was seen, on and off the GPU. */
  record Tally(
      String kind, String name, int onGpu, int offGpu, int undeclared, List<String> reasons) {}

  /** One stage: every query it ran, explained. */
  record Stage(String name, int queries, List<Entry> entries) {
    int operators() {
      return (int) entries.stream().filter(Entry::operator).count();
    }

    int operatorsOnGpu() {
      return (int) entries.stream().filter(e -> e.operator() && e.onGpu()).count();
    }

    /** The share of operators RAPIDS would run on the GPU, 0 to 1 (1 when there are none). */
    double gpuShare() {
      int n = operators();
      return n == 0 ? 1.0 : (double) operatorsOnGpu() / n;
    }

    /** Distinct operators and expressions by kind and class, in name order. */
    List<Tally> tallies(GpuFallbacks declared) {
      Map<String, int[]> counts = new TreeMap<>();
      Map<String, List<String>> reasons = new LinkedHashMap<>();
      for (Entry e : entries) {
        String key = e.kind() + " " + e.name();
        int[] c = counts.computeIfAbsent(key, k -> new int[3]);
        c[e.onGpu() ? 0 : 1]++;
        if (e.rootCause() && !e.declared(declared)) {
          c[2]++;
        }
        if (!e.onGpu()) {
          List<String> rs = reasons.computeIfAbsent(key, k -> new ArrayList<>());
          if (!rs.contains(e.reason())) {
            rs.add(e.reason());
          }
        }
      }
      List<Tally> out = new ArrayList<>();
      counts.forEach(
          (key, c) -> {
            String[] kn = key.split(" ", 2);
            out.add(
                new Tally(kn[0], kn[1], c[0], c[1], c[2], reasons.getOrDefault(key, List.of())));
          });
      return out;
    }

    /** Root-cause fallbacks whose class the declared list does not name. */
    List<Entry> undeclared(GpuFallbacks declared) {
      return entries.stream()
          .filter(e -> e.rootCause() && !e.declared(declared))
          .distinct()
          .toList();
    }

    /** The stage as one JSON line. */
    String toJson(GpuFallbacks declared) {
      ObjectNode o = JSON.createObjectNode();
      o.put("stage", name);
      o.put("queries", queries);
      o.put("operators", operators());
      o.put("operators_on_gpu", operatorsOnGpu());
      o.put("gpu_share", Math.round(gpuShare() * 1000) / 1000.0);
      ArrayNode on = o.putArray("on_gpu");
      ArrayNode off = o.putArray("not_on_gpu");
      for (Tally t : tallies(declared)) {
        if (t.offGpu() == 0) {
          on.add(t.kind() + " " + t.name());
          continue;
        }
        ObjectNode f = off.addObject();
        f.put("kind", t.kind());
        f.put("name", t.name());
        f.put("on_gpu", t.onGpu());
        f.put("not_on_gpu", t.offGpu());
        f.put("undeclared", t.undeclared());
        ArrayNode rs = f.putArray("reasons");
        t.reasons().forEach(rs::add);
      }
      ArrayNode und = o.putArray("undeclared_fallbacks");
      undeclared(declared).stream()
          .map(e -> e.kind() + " " + e.name() + ": " + e.reason())
          .distinct()
          .forEach(und::add);
      return o.toString();
    }

    /** A readable table: every distinct operator and expression, GPU or not, and why not. */
    String table(GpuFallbacks declared) {
      StringBuilder b = new StringBuilder();
      b.append(
          String.format(
              Locale.ROOT,
              "stage %s: %d queries, %d of %d operators on the GPU (%.0f%%)%n",
              name,
              queries,
              operatorsOnGpu(),
              operators(),
              100 * gpuShare()));
      b.append(
          String.format(
              Locale.ROOT,
              "  %-4s %-11s %-38s %5s %5s  %s%n",
              "",
              "kind",
              "name",
              "gpu",
              "cpu",
              "why not (RAPIDS)"));
      for (Tally t : tallies(declared)) {
        String mark = t.offGpu() == 0 ? "GPU" : t.undeclared() == 0 ? "cpu*" : "CPU";
        String why = String.join("; ", t.reasons());
        b.append(
            String.format(
                Locale.ROOT,
                "  %-4s %-11s %-38s %5d %5d  %s%n",
                mark,
                t.kind(),
                t.name(),
                t.onGpu(),
                t.offGpu(),
                why.length() > 160 ? why.substring(0, 157) + "..." : why));
      }
      b.append(
          "  (cpu* = off the GPU only for reasons declared in gpu-cpu-fallbacks.txt or because"
              + " of another line's fallback; CPU = an undeclared fallback)\n");
      return b.toString();
    }
  }
}
