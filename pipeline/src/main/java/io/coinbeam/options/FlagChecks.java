package io.coinbeam.options;

import io.coinbeam.options.WindowOptions.Mode;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Checks of flag values that Beam's option parser either accepts although no run can use them (a
 * window of zero) or refuses in its own words ({@code --mode=fast} answered by Jackson's internal
 * message): here each gets a sentence that says what to type instead.
 */
public final class FlagChecks {
  private FlagChecks() {}

  /**
   * The arguments with {@code --mode} in any case accepted ({@code --mode=streaming}); an unknown
   * mode is refused with the modes there are.
   */
  public static String[] normalized(String[] args) {
    String[] out = args.clone();
    for (int i = 0; i < out.length; i++) {
      if (out[i].startsWith("--mode=")) {
        String value = out[i].substring("--mode=".length()).trim().toUpperCase(Locale.ROOT);
        if (Arrays.stream(Mode.values()).noneMatch(m -> m.name().equals(value))) {
          throw new IllegalArgumentException(
              out[i]
                  + " is not a mode; use "
                  + Arrays.stream(Mode.values())
                      .map(Enum::name)
                      .collect(Collectors.joining(" or ")));
        }
        out[i] = "--mode=" + value;
      }
    }
    return out;
  }

  /** Durations that must be longer than zero, and in streaming the ones a trigger needs. */
  public static void checkDurations(CoinbeamOptions options) {
    if (options.getWindow() != null) {
      positive("window", options.getWindow(), "a window must be longer than zero");
    }
    if (options.getMode() == Mode.STREAMING) {
      positive(
          "earlyFiringInterval",
          options.getEarlyFiringInterval(),
          "early panes need an interval longer than zero");
      JodaDurations.parse("allowedLateness", options.getAllowedLateness());
      positive(
          "progressInterval",
          options.getProgressInterval(),
          "progress lines need an interval longer than zero");
      if (options.getRunFor() != null && !options.getRunFor().isBlank()) {
        positive("runFor", options.getRunFor(), "a run must last longer than zero");
      }
    }
  }

  private static void positive(String flag, String text, String why) {
    if (JodaDurations.parse(flag, text).getMillis() <= 0) {
      throw new IllegalArgumentException("--" + flag + "=" + text + ": " + why);
    }
  }
}
