package io.coinbeam.dbt;

import com.hubspot.jinjava.el.ext.NamedParameter;
import java.util.Map;

/**
 * The dbt functions the harness implements, as static methods Jinjava can call: {@code ref}, {@code
 * source}, {@code config}, {@code var}, {@code env_var}, {@code is_incremental}. Anything else a
 * model calls is an unknown token, and the render fails.
 */
public final class DbtFunctions {
  private DbtFunctions() {}

  /** The relation of a model in the target schema; records the dependency. */
  public static String ref(String model) {
    RenderScope scope = RenderScope.current();
    if (!scope.project.models().containsKey(model)) {
      throw new IllegalArgumentException(
          "ref('" + model + "'): no model of that name in dbt/models");
    }
    scope.refs.add(model);
    return scope.target.relation(scope.target.schema(), model);
  }

  /** The relation of one of the pipeline's tables, declared in a sources YAML file. */
  public static String source(String sourceName, String table) {
    RenderScope scope = RenderScope.current();
    String schema = scope.project.sources().get(sourceName + "." + table);
    if (schema == null) {
      throw new IllegalArgumentException(
          "source('" + sourceName + "', '" + table + "') is not declared in a sources YAML file");
    }
    return scope.target.relation(schema, table);
  }

  /** Keyword arguments only, as dbt's config(); later calls add to and override earlier ones. */
  public static String config(Object... arguments) {
    RenderScope scope = RenderScope.current();
    for (Object argument : arguments) {
      if (!(argument instanceof NamedParameter named)) {
        throw new IllegalArgumentException(
            "config() takes keyword arguments only, got " + argument);
      }
      scope.config.put(named.getName(), named.getValue());
    }
    return "";
  }

  /** var(name) or var(name, default): dbt_project.yml's vars, then the default. */
  public static Object var(Object... arguments) {
    RenderScope scope = RenderScope.current();
    if (arguments.length < 1 || arguments.length > 2) {
      throw new IllegalArgumentException("var() takes a name and an optional default");
    }
    String name = String.valueOf(arguments[0]);
    Map<String, Object> vars = scope.project.vars();
    if (vars.containsKey(name)) {
      return vars.get(name);
    }
    if (arguments.length == 2) {
      return arguments[1];
    }
    throw new IllegalArgumentException("var('" + name + "') is not set in dbt_project.yml");
  }

  /** env_var(name) or env_var(name, default), as dbt: a missing variable without default fails. */
  public static String env_var(Object... arguments) {
    if (arguments.length < 1 || arguments.length > 2) {
      throw new IllegalArgumentException("env_var() takes a name and an optional default");
    }
    String value = System.getenv(String.valueOf(arguments[0]));
    if (value != null) {
      return value;
    }
    if (arguments.length == 2) {
      return String.valueOf(arguments[1]);
    }
    throw new IllegalArgumentException("env_var('" + arguments[0] + "') is not set");
  }

  /** True when the model is incremental, its table exists and this is not a full refresh. */
  public static boolean is_incremental() {
    return RenderScope.current().incremental;
  }

  /** dbt's {@code exceptions} namespace, as far as macros use it. */
  public static final class Exceptions {
    public String raise_compiler_error(String message) {
      throw new IllegalArgumentException("compiler error: " + message);
    }
  }
}
