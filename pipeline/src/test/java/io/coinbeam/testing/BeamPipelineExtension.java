package io.coinbeam.testing;

import java.lang.reflect.Method;
import org.apache.beam.sdk.testing.TestPipeline;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.runner.Description;
import org.junit.runners.model.Statement;

/**
 * Runs each Jupiter test inside Beam's {@link TestPipeline} rule, which Beam 2.62 ships for JUnit 4
 * only. The rule's checks stay in force: a pipeline that was built but never run, or a {@code
 * PAssert} that never executed, fails the test.
 *
 * <pre>{@code
 * @RegisterExtension final BeamPipelineExtension beam = new BeamPipelineExtension();
 * ... beam.pipeline().apply(...); PAssert.that(...); beam.pipeline().run();
 * }</pre>
 */
public final class BeamPipelineExtension implements InvocationInterceptor {
  private TestPipeline pipeline = TestPipeline.create();

  public TestPipeline pipeline() {
    return pipeline;
  }

  @Override
  public void interceptTestMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext extensionContext)
      throws Throwable {
    Method method = invocationContext.getExecutable();
    Statement body =
        new Statement() {
          @Override
          public void evaluate() throws Throwable {
            invocation.proceed();
          }
        };
    Description description =
        Description.createTestDescription(method.getDeclaringClass(), method.getName());
    pipeline.apply(body, description).evaluate();
  }
}
