package io.coinbeam.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Marks a test class that starts the runner fat jars as users run them ({@link RunnerJars}): they
 * are built by {@code make test} (target {@code jars}) and passed in as {@code
 * coinbeam.runner.jars}; a bare {@code mvn test} reports such a test as skipped, with the reason.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@EnabledIfSystemProperty(
    named = "coinbeam.runner.jars",
    matches = ".+",
    disabledReason = "needs the runner jars: run `make test`, which builds them first")
public @interface NeedsRunnerJars {}
