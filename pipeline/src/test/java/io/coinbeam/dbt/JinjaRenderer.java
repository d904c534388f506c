package io.coinbeam.dbt;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders dbt Jinja with Jinjava: the project's macros are put in front of every template (dbt
 * makes them global), the dbt functions come from {@link DbtFunctions}, and {@code target}, {@code
 * this} and {@code exceptions} are variables. Any error, an unknown name included, fails the render
 * with every message, so a model that uses something the harness lacks cannot pass silently.
 */
final class JinjaRenderer {
  private final Jinjava jinjava;

  JinjaRenderer() {
    jinjava =
        new Jinjava(
            JinjavaConfig.newBuilder()
                .withFailOnUnknownTokens(true)
                .withTrimBlocks(false)
                .withLstripBlocks(false)
                .build());
    register("ref", "ref", String.class);
    register("source", "source", String.class, String.class);
    register("config", "config", Object[].class);
    register("var", "var", Object[].class);
    register("env_var", "env_var", Object[].class);
    register("is_incremental", "is_incremental");
  }

  private void register(String name, String method, Class<?>... parameters) {
    jinjava
        .getGlobalContext()
        .registerFunction(
            new ELFunctionDefinition("", name, DbtFunctions.class, method, parameters));
  }

  /** Renders template (the project's macros before it) in scope; this may be null. */
  String render(String template, RenderScope scope, String macros, String thisRelation) {
    Map<String, Object> bindings = new HashMap<>();
    bindings.put("target", scope.target.asJinja());
    bindings.put("exceptions", new DbtFunctions.Exceptions());
    if (thisRelation != null) {
      bindings.put("this", thisRelation);
    }
    // Line numbers in errors count from the template's own first line.
    long macroLines = macros.chars().filter(c -> c == '\n').count();
    RenderScope.enter(scope);
    try {
      RenderResult result = jinjava.renderForResult(macros + template, bindings);
      List<TemplateError> errors =
          result.getErrors().stream()
              .filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL)
              .toList();
      if (!errors.isEmpty()) {
        throw new IllegalArgumentException(
            errors.stream()
                .map(e -> message(e) + " (line " + (e.getLineno() - macroLines) + ")")
                .collect(Collectors.joining("; ")));
      }
      return result.getOutput().strip();
    } finally {
      RenderScope.leave();
    }
  }

  /** Jinjava's message, and the reason a dbt function gave (e.g. which ref is unknown). */
  private static String message(TemplateError error) {
    Throwable cause = error.getException();
    while (cause != null && cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause == null || cause.getMessage() == null
        ? error.getMessage()
        : error.getMessage() + ": " + cause.getMessage();
  }
}
