package io.coinbeam;

import java.util.List;

/**
 * The JVM flags an in-process Flink ({@code [local]}) or Spark ({@code local[*]}) run needs on Java
 * 17: the packages they reach into (DESIGN.md). The Makefile's ADD_OPENS says the same for users;
 * this is the list for what the project starts itself (the benchmark, the runner-jar tests).
 */
public final class RunnerJvmFlags {
  public static final List<String> ADD_OPENS =
      List.of(
              "java.util",
              "java.lang",
              "java.nio",
              "sun.nio.ch",
              "java.lang.invoke",
              "sun.util.calendar",
              "java.util.concurrent")
          .stream()
          .map(p -> "--add-opens=java.base/" + p + "=ALL-UNNAMED")
          .toList();

  private RunnerJvmFlags() {}
}
