package io.coinbeam.report;

/**
 * Escaping for text that goes into the report's HTML. Every value read from the tables passes
 * through here: exchange ids, asset names and error messages come from the input, which anyone can
 * write.
 */
final class Html {
  private Html() {}

  /** {@code text} safe inside an element or a double-quoted attribute; null becomes "". */
  static String escape(Object text) {
    if (text == null) {
      return "";
    }
    String s = text.toString();
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          // Control characters other than tab and newlines are not allowed in HTML text.
          if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            out.append('\uFFFD');
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
