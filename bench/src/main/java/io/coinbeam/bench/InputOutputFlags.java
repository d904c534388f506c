package io.coinbeam.bench;

/**
 * The two flags every single-machine contender takes, {@code --input=GLOB --output=OUT}, read the
 * same way by each: an unknown flag or a missing one is said on stderr and gives null (exit 2).
 */
record InputOutputFlags(String input, String output) {
  static InputOutputFlags parse(String tool, String inputForm, String[] args) {
    String input = null;
    String output = null;
    for (String arg : args) {
      if (arg.startsWith("--input=")) {
        input = arg.substring("--input=".length());
      } else if (arg.startsWith("--output=")) {
        output = arg.substring("--output=".length());
      } else {
        System.err.println(tool + ": unknown flag " + arg);
        return null;
      }
    }
    if (input == null || output == null) {
      System.err.println("usage: " + tool + " --input=" + inputForm + " --output=OUT");
      return null;
    }
    return new InputOutputFlags(input, output);
  }
}
