package io.coinbeam.transforms;

import java.io.Serializable;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.joda.time.Duration;

/**
 * How windows fire: the one thing besides the source that differs between batch and streaming. In
 * batch each window fires once, when all input is read. In streaming a window fires early every
 * {@code earlyFiringInterval} of processing time, on time when the watermark passes its end, and
 * once more for each late arrival within {@code allowedLateness}, and a last time when the window
 * closes; panes accumulate, so that final pane holds everything the window received, as the batch
 * row does.
 */
public final class Windowing implements Serializable {
  private static final long serialVersionUID = 1L;

  private final boolean streaming;
  private final Duration earlyFiringInterval;
  private final Duration allowedLateness;

  private Windowing(boolean streaming, Duration earlyFiringInterval, Duration allowedLateness) {
    this.streaming = streaming;
    this.earlyFiringInterval = earlyFiringInterval;
    this.allowedLateness = allowedLateness;
  }

  public static Windowing batch() {
    return new Windowing(false, Duration.ZERO, Duration.ZERO);
  }

  public static Windowing streaming(Duration earlyFiringInterval, Duration allowedLateness) {
    return new Windowing(true, earlyFiringInterval, allowedLateness);
  }

  public boolean isStreaming() {
    return streaming;
  }

  /** Fixed event-time windows of {@code size}, fired as described above. */
  public <T> Window<T> windowInto(Duration size) {
    Window<T> window = Window.into(FixedWindows.of(size));
    if (!streaming) {
      return window;
    }
    AfterWatermark.AfterWatermarkEarlyAndLate trigger =
        AfterWatermark.pastEndOfWindow()
            .withEarlyFirings(
                AfterProcessingTime.pastFirstElementInPane().plusDelayOf(earlyFiringInterval))
            .withLateFirings(AfterPane.elementCountAtLeast(1));
    // FIRE_ALWAYS: when a window closes it emits one last pane even without new data, so every
    // window ends with a pane marked final, which equals the batch row for the same input.
    return window
        .triggering(trigger)
        .withAllowedLateness(allowedLateness, Window.ClosingBehavior.FIRE_ALWAYS)
        .accumulatingFiredPanes();
  }
}
