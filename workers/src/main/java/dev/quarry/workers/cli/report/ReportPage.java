package dev.quarry.workers.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders a run report as one self-contained HTML page: inline CSS, inline SVG charts, a few lines
 * of script, nothing fetched. Each method's score fields are plotted when its rows have them (δ for
 * QueST, fail rate for ScaleQuest, solve rate, quality and niches for SPARQ).
 */
final class ReportPage {
  /** Numeric candidate fields in [0, 1] worth a histogram per round, with their captions. */
  private static final Map<String, String> SCORES = new LinkedHashMap<>();

  static {
    SCORES.put("delta", "self-consistency δ of valid candidates");
    SCORES.put("solveRate", "solve rate");
    SCORES.put("failRate", "fail rate over solver samples");
    SCORES.put("quality", "quality (1 − solve rate inside the band)");
  }

  private ReportPage() {}

  static String render(ReportData data) {
    StringBuilder body = new StringBuilder();
    body.append("<h1>Quarry run <code>").append(Html.escape(data.runId())).append("</code></h1>");
    body.append(overview(data));
    for (ReportData.Round round : data.rounds()) {
      body.append(roundSection(round));
    }
    body.append(section("Difficulty by concept", conceptChart(data)));
    body.append(section("Invalid candidates by reason", reasonsChart(data)));
    String archive = archiveChart(data);
    if (archive != null) {
      body.append(section("Archive coverage (niches)", archive));
    }
    body.append(section("Token use per role", tokenChart(data)));
    return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Quarry report: %s</title>
        <style>
        body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1100px;color:#1d2430;padding:0 16px}
        h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #dde2ea;padding-bottom:4px}
        .charts{display:flex;flex-wrap:wrap;gap:18px}.chart{background:#fafbfd;border:1px solid #e3e7ee;border-radius:6px}
        .bar{fill:#3f6fd8}.axis{stroke:#8a94a6}.tick,.label,.value{font-size:11px;fill:#3b4455}
        table{border-collapse:collapse}td,th{padding:3px 10px;border-bottom:1px solid #e8ebf0;text-align:left}
        .empty{color:#7a8396;font-style:italic}figure{margin:0}figcaption{font-size:12px;color:#556}
        </style></head><body>
        %s
        <script>
        // Mark the page rendered for headless checks: how many charts laid out with a size.
        document.addEventListener('DOMContentLoaded', function () {
          var charts = Array.prototype.filter.call(document.querySelectorAll('svg.chart'),
              function (svg) { return svg.getBoundingClientRect().width > 0; });
          document.body.setAttribute('data-charts', String(charts.length));
        });
        </script>
        </body></html>
        """
        .formatted(Html.escape(data.runId()), body);
  }

  private static String overview(ReportData data) {
    int candidates = 0;
    int valid = 0;
    int rows = 0;
    Map<String, Integer> failed = new TreeMap<>();
    for (ReportData.Round round : data.rounds()) {
      candidates += round.result().path("candidates").asInt();
      valid += round.result().path("validCandidates").asInt();
      rows += round.rows().size();
      round
          .result()
          .path("failedPrompts")
          .properties()
          .forEach(e -> failed.merge(e.getKey(), e.getValue().asInt(), Integer::sum));
    }
    // Prompts whose workflow failed as a whole: counted with their reasons, never hidden.
    StringBuilder failedCell = new StringBuilder();
    failed.forEach(
        (reason, n) ->
            failedCell
                .append(failedCell.isEmpty() ? "" : "; ")
                .append(n)
                .append(" × ")
                .append(reason));
    return "<table><tr><th>status</th><td>"
        + Html.escape(data.status())
        + "</td></tr>"
        + "<tr><th>rounds reported</th><td>"
        + data.rounds().size()
        + "</td></tr>"
        + "<tr><th>candidates</th><td>"
        + candidates
        + " ("
        + valid
        + " valid)</td></tr>"
        + (failed.isEmpty()
            ? ""
            : "<tr><th>failed prompts</th><td>" + Html.escape(failedCell.toString()) + "</td></tr>")
        + "<tr><th>dataset rows</th><td>"
        + rows
        + "</td></tr></table>";
  }

  private static String roundSection(ReportData.Round round) {
    List<String> figures = new ArrayList<>();
    for (Map.Entry<String, String> score : SCORES.entrySet()) {
      List<Double> values = numbers(round.candidates(), score.getKey());
      if (!values.isEmpty()) {
        figures.add(
            figure(
                Svg.histogram(Histogram.of(values, 0, 1, 10), score.getValue()),
                score.getValue() + " (" + values.size() + " candidates)"));
      }
    }
    String content =
        figures.isEmpty()
            ? "<p class=\"empty\">no scored candidates in this round</p>"
            : "<div class=\"charts\">" + String.join("", figures) + "</div>";
    JsonNode r = round.result();
    String version = r.path("generatorVersion").asText("?");
    return section(
        "Round "
            + round.number()
            + " — generator "
            + version
            + ", "
            + r.path("candidates").asInt()
            + " candidates, "
            + r.path("validCandidates").asInt()
            + " valid, "
            + round.rows().size()
            + " rows",
        content);
  }

  private static String conceptChart(ReportData data) {
    Map<String, double[]> byConcept = new TreeMap<>(); // concept -> {sum δ, count}
    for (ReportData.Round round : data.rounds()) {
      for (JsonNode row : round.candidates()) {
        if (!row.path("delta").isNumber()) {
          continue;
        }
        for (JsonNode concept : row.path("concepts")) {
          double[] acc = byConcept.computeIfAbsent(concept.asText(), k -> new double[2]);
          acc[0] += row.get("delta").asDouble();
          acc[1]++;
        }
      }
    }
    if (byConcept.isEmpty()) {
      return empty("no valid candidate with concepts and δ yet");
    }
    List<Map.Entry<String, double[]>> top = new ArrayList<>(byConcept.entrySet());
    top.sort(
        Comparator.comparingDouble((Map.Entry<String, double[]> e) -> -e.getValue()[1])
            .thenComparing(Map.Entry::getKey));
    top = top.subList(0, Math.min(20, top.size()));
    List<String> labels = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (Map.Entry<String, double[]> e : top) {
      labels.add(e.getKey() + " (n=" + (int) e.getValue()[1] + ")");
      values.add(e.getValue()[0] / e.getValue()[1]);
    }
    return figure(
        Svg.rows(labels, values, "mean δ by concept"),
        "mean δ of valid candidates holding the concept");
  }

  private static String reasonsChart(ReportData data) {
    Map<String, Integer> reasons = new TreeMap<>();
    for (ReportData.Round round : data.rounds()) {
      round
          .result()
          .path("invalidReasons")
          .properties()
          .forEach(e -> reasons.merge(reasonKind(e.getKey()), e.getValue().asInt(), Integer::sum));
    }
    if (reasons.isEmpty()) {
      return empty("no invalid candidates");
    }
    return figure(
        bars(reasons), "invalid candidates by kind of reason (details in the candidates file)");
  }

  /** "too few valid inputs: 0 < 1 (...)" and "...: 1 < 2" are one kind of reason. */
  static String reasonKind(String reason) {
    int colon = reason.indexOf(':');
    return (colon > 0 ? reason.substring(0, colon) : reason).strip();
  }

  private static String archiveChart(ReportData data) {
    Map<String, Integer> niches = new TreeMap<>();
    for (ReportData.Round round : data.rounds()) {
      for (JsonNode row : round.rows()) {
        JsonNode niche = row.path("niche");
        if (!niche.isMissingNode() && !niche.isNull()) {
          niches.merge(niche.isArray() ? join(niche) : niche.asText(), 1, Integer::sum);
        }
      }
    }
    if (niches.isEmpty()) {
      return null; // not a SPARQ run
    }
    return figure(bars(niches), niches.size() + " niches filled");
  }

  private static String tokenChart(ReportData data) {
    Map<String, Integer> tokens = new LinkedHashMap<>();
    data.usage()
        .properties()
        .forEach(
            e -> {
              long n =
                  e.getValue().path("promptTokens").asLong()
                      + e.getValue().path("completionTokens").asLong();
              if (n > 0) {
                tokens.put(e.getKey(), (int) Math.min(Integer.MAX_VALUE, n));
              }
            });
    if (tokens.isEmpty()) {
      return empty("no tokens recorded");
    }
    return figure(bars(tokens), "prompt + completion tokens per role");
  }

  private static String bars(Map<String, Integer> counts) {
    List<String> labels = new ArrayList<>(counts.keySet());
    List<Double> values = counts.values().stream().map(Integer::doubleValue).toList();
    return Svg.rows(labels, values, String.join(", ", labels));
  }

  private static List<Double> numbers(List<JsonNode> rows, String field) {
    List<Double> values = new ArrayList<>();
    for (JsonNode row : rows) {
      if (row.path(field).isNumber()) {
        values.add(row.get(field).asDouble());
      }
    }
    return values;
  }

  private static String join(JsonNode array) {
    List<String> parts = new ArrayList<>();
    array.forEach(p -> parts.add(p.asText()));
    return String.join(" + ", parts);
  }

  private static String section(String title, String content) {
    return "<section><h2>" + Html.escape(title) + "</h2>" + content + "</section>";
  }

  private static String figure(String svg, String caption) {
    return "<figure>" + svg + "<figcaption>" + Html.escape(caption) + "</figcaption></figure>";
  }

  private static String empty(String text) {
    return "<p class=\"empty\">" + Html.escape(text) + "</p>";
  }
}
