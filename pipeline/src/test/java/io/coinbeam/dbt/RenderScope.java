package io.coinbeam.dbt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one render of a model or test can see and what it records: the dbt functions ({@link
 * DbtFunctions}) are static, as Jinjava wants them, so they read and write the scope of the render
 * in progress on this thread.
 */
final class RenderScope {
  private static final ThreadLocal<RenderScope> CURRENT = new ThreadLocal<>();

  final DbtProject project;
  final DbtTarget target;
  final boolean incremental;
  final List<String> refs = new ArrayList<>();
  final Map<String, Object> config = new LinkedHashMap<>();

  RenderScope(DbtProject project, DbtTarget target, boolean incremental) {
    this.project = project;
    this.target = target;
    this.incremental = incremental;
  }

  static RenderScope current() {
    RenderScope scope = CURRENT.get();
    if (scope == null) {
      throw new IllegalStateException("a dbt function was called outside a render");
    }
    return scope;
  }

  static void enter(RenderScope scope) {
    CURRENT.set(scope);
  }

  static void leave() {
    CURRENT.remove();
  }
}
