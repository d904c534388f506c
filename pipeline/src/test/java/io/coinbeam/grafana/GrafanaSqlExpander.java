package io.coinbeam.grafana;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns a dashboard's rawSql into the SQL Grafana sends to PostgreSQL, so a test can run exactly
 * that. Two steps, as in Grafana: the dashboard first interpolates template variables ({@code
 * $var}, {@code ${var}}, {@code $__interval}, {@code $__interval_ms}), formatting them the way its
 * SQL datasources do (a multi-value or include-all variable becomes a list of quoted literals, a
 * single-value one its raw text with quotes doubled); then the PostgreSQL datasource expands its
 * macros ({@code $__timeFilter}, {@code $__timeFrom}, {@code $__timeTo}, {@code $__time}, {@code
 * $__timeGroup}, {@code $__timeGroupAlias}) as its documentation gives them. Anything else that
 * looks like a macro or variable is left in place, for the caller to reject.
 */
final class GrafanaSqlExpander {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)");
  private static final Pattern MACRO = Pattern.compile("\\$__(\\w+)\\(([^)]*)\\)");
  private static final Pattern LEFTOVER = Pattern.compile("\\$\\{?\\w+|\\[\\[\\w+");

  /** A template variable's selected values; {@code quoted}: multi-value or include-all. */
  record Variable(List<String> values, boolean quoted) {
    String format() {
      if (quoted) {
        return values.stream()
            .map(v -> "'" + v.replace("'", "''") + "'")
            .collect(Collectors.joining(","));
      }
      if (values.size() != 1) {
        throw new IllegalArgumentException("a single-value variable has one value: " + values);
      }
      return values.get(0).replace("'", "''");
    }
  }

  /** The dashboard time range, the panel's interval and the variables in scope. */
  record Context(Instant from, Instant to, Duration interval, Map<String, Variable> variables) {}

  private GrafanaSqlExpander() {}

  static String expand(String sql, Context context) {
    return expandMacros(interpolateVariables(sql, context), context);
  }

  /** Every {@code $name}, {@code ${name}} or {@code [[name]]} still in the SQL. */
  static List<String> leftovers(String sql) {
    return LEFTOVER.matcher(sql).results().map(r -> r.group()).toList();
  }

  static String interpolateVariables(String sql, Context context) {
    Matcher m = VARIABLE.matcher(sql);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2);
      String replacement;
      if (name.equals("__interval")) {
        replacement = intervalText(context.interval());
      } else if (name.equals("__interval_ms")) {
        replacement = String.valueOf(context.interval().toMillis());
      } else if (context.variables().containsKey(name)) {
        replacement = context.variables().get(name).format();
      } else {
        replacement = m.group(); // a datasource macro, or unknown: left for later
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  static String expandMacros(String sql, Context context) {
    Matcher m = MACRO.matcher(sql);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      List<String> args =
          m.group(2).isBlank()
              ? List.of()
              : List.of(m.group(2).split(",")).stream().map(String::trim).toList();
      m.appendReplacement(out, Matcher.quoteReplacement(macro(m.group(1), args, context)));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String macro(String name, List<String> args, Context context) {
    String from = "'" + context.from() + "'";
    String to = "'" + context.to() + "'";
    return switch (name) {
      case "timeFilter" -> arg(args, 0, name) + " BETWEEN " + from + " AND " + to;
      case "timeFrom" -> from;
      case "timeTo" -> to;
      case "time" -> arg(args, 0, name) + " AS \"time\"";
      case "timeGroup" -> timeGroup(args);
      case "timeGroupAlias" -> timeGroup(args) + " AS \"time\"";
      default -> throw new IllegalArgumentException("macro $__" + name + " is not supported");
    };
  }

  private static String timeGroup(List<String> args) {
    long seconds = parseInterval(arg(args, 1, "timeGroup")).toSeconds();
    return "floor(extract(epoch from " + args.get(0) + ")/" + seconds + ")*" + seconds;
  }

  private static String arg(List<String> args, int index, String macro) {
    if (args.size() <= index || args.get(index).isEmpty()) {
      throw new IllegalArgumentException("$__" + macro + " needs argument " + (index + 1));
    }
    return args.get(index);
  }

  /** Grafana's interval text: 10s, 1m, 5m, 1h, 1d (optionally quoted). */
  static Duration parseInterval(String text) {
    Matcher m = Pattern.compile("['\"]?(\\d+)(ms|s|m|h|d)['\"]?").matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("not an interval: " + text);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  static String intervalText(Duration interval) {
    long s = interval.toSeconds();
    if (s > 0 && s % 86400 == 0) return s / 86400 + "d";
    if (s > 0 && s % 3600 == 0) return s / 3600 + "h";
    if (s > 0 && s % 60 == 0) return s / 60 + "m";
    if (interval.toMillis() % 1000 == 0) return s + "s";
    return interval.toMillis() + "ms";
  }
}
