package dev.quarry.workers.cli.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Small, dependency-free SVG charts: the report must open offline and render the same anywhere. */
final class Svg {
  private static final int WIDTH = 520;
  private static final int HEIGHT = 220;
  private static final int LEFT = 44;
  private static final int BOTTOM = 36;
  private static final int TOP = 14;

  private Svg() {}

  /** Vertical bars, one per bin, labelled with the bin starts. */
  static String histogram(Histogram h, String caption) {
    List<String> labels = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < h.bins(); i++) {
      labels.add(String.format(Locale.ROOT, "%.1f", h.binStart(i)));
      values.add((double) h.counts()[i]);
    }
    return columns(labels, values, caption);
  }

  static String columns(List<String> labels, List<Double> values, String caption) {
    double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    double scale = max <= 0 ? 0 : (HEIGHT - TOP - BOTTOM) / max;
    int plotWidth = WIDTH - LEFT - 8;
    double slot = values.isEmpty() ? plotWidth : (double) plotWidth / values.size();
    StringBuilder svg = open(caption);
    axis(svg, max);
    for (int i = 0; i < values.size(); i++) {
      double height = values.get(i) * scale;
      double x = LEFT + i * slot + slot * 0.1;
      double y = HEIGHT - BOTTOM - height;
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>%s: %s</title></rect>",
              x,
              y,
              slot * 0.8,
              height,
              Html.escape(labels.get(i)),
              number(values.get(i))));
      if (values.size() <= 12 || i % Math.ceil(values.size() / 12.0) == 0) {
        svg.append(
            String.format(
                Locale.ROOT,
                "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                x + slot * 0.4,
                HEIGHT - BOTTOM + 14,
                Html.escape(shorten(labels.get(i), 10))));
      }
    }
    return svg.append("</svg>").toString();
  }

  /** Horizontal bars: for long labels (concepts, reasons, roles). */
  static String rows(List<String> labels, List<Double> values, String caption) {
    int rowHeight = 20;
    int height = TOP + rowHeight * Math.max(1, labels.size()) + 10;
    int labelWidth = 220;
    double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    double scale = max <= 0 ? 0 : (WIDTH - labelWidth - 60) / max;
    StringBuilder svg =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\"><desc>%s</desc>",
                WIDTH,
                height,
                WIDTH,
                height,
                Html.escape(caption)));
    for (int i = 0; i < labels.size(); i++) {
      int y = TOP + i * rowHeight;
      double width = values.get(i) * scale;
      svg.append(
          String.format(
              Locale.ROOT,
              "<text class=\"label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s<title>%s</title></text>",
              labelWidth - 6,
              y + 13,
              Html.escape(shorten(labels.get(i), 34)),
              Html.escape(labels.get(i))));
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\"></rect>",
              labelWidth,
              y + 2,
              width,
              rowHeight - 6));
      svg.append(
          String.format(
              Locale.ROOT,
              "<text class=\"value\" x=\"%.1f\" y=\"%d\">%s</text>",
              labelWidth + width + 4,
              y + 13,
              number(values.get(i))));
    }
    return svg.append("</svg>").toString();
  }

  private static StringBuilder open(String caption) {
    return new StringBuilder(
        String.format(
            Locale.ROOT,
            "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\"><desc>%s</desc>",
            WIDTH,
            HEIGHT,
            WIDTH,
            HEIGHT,
            Html.escape(caption)));
  }

  private static void axis(StringBuilder svg, double max) {
    int base = HEIGHT - BOTTOM;
    svg.append(
        String.format(
            Locale.ROOT,
            "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"></line>",
            LEFT,
            base,
            WIDTH - 8,
            base));
    svg.append(
        String.format(
            Locale.ROOT,
            "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"></line>",
            LEFT,
            TOP,
            LEFT,
            base));
    svg.append(
        String.format(
            Locale.ROOT,
            "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>",
            LEFT - 4,
            TOP + 4,
            number(max)));
    svg.append(
        String.format(
            Locale.ROOT,
            "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>",
            LEFT - 4,
            base));
  }

  static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15
        ? Long.toString((long) v)
        : String.format(Locale.ROOT, "%.3f", v);
  }

  private static String shorten(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}
