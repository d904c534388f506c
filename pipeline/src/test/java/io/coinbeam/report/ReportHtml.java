package io.coinbeam.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Reads a written report.html back for tests: its table sections, its chart figures and the shapes
 * inside each chart's SVG, so tests check what a browser would draw, not how the page was built.
 */
final class ReportHtml {
  private static final Pattern SECTION =
      Pattern.compile(
          "<section class=\"table\" id=\"table-([a-z_]+)\" data-table=\"\\1\" data-rows=\"(\\d+)\">"
              + "(.*?)</section>",
          Pattern.DOTALL);
  private static final Pattern FIGURE =
      Pattern.compile(
          "<figure class=\"chart candles\" data-pair=\"([^\"]*)\" data-candles=\"(\\d+)\">"
              + "(.*?)</figure>",
          Pattern.DOTALL);
  private static final Pattern SVG = Pattern.compile("<svg .*?</svg>", Pattern.DOTALL);

  final String html;

  ReportHtml(String html) {
    this.html = html;
  }

  /** A table's section: the row count it states and its inner HTML. */
  record Section(long rows, String body) {}

  Map<String, Section> sections() {
    Map<String, Section> sections = new LinkedHashMap<>();
    Matcher m = SECTION.matcher(html);
    while (m.find()) {
      sections.put(m.group(1), new Section(Long.parseLong(m.group(2)), m.group(3)));
    }
    return sections;
  }

  /** One candlestick figure: the pair id (unescaped), and its chart parsed as XML. */
  record Figure(String pair, int candles, Document svg) {}

  List<Figure> candleFigures() throws Exception {
    List<Figure> figures = new ArrayList<>();
    Matcher m = FIGURE.matcher(html);
    while (m.find()) {
      Matcher svg = SVG.matcher(m.group(3));
      assertTrue(svg.find(), "no <svg> in the figure of " + m.group(1));
      figures.add(
          new Figure(unescape(m.group(1)), Integer.parseInt(m.group(2)), parse(svg.group())));
    }
    return figures;
  }

  /** The SVG of the first figure with this class, parsed. */
  Document svgOf(String figureClass) throws Exception {
    Matcher m =
        Pattern.compile(
                "<figure class=\"chart " + figureClass + "\"[^>]*>(.*?)</figure>", Pattern.DOTALL)
            .matcher(html);
    assertTrue(m.find(), "no figure " + figureClass);
    Matcher svg = SVG.matcher(m.group(1));
    assertTrue(svg.find(), "no <svg> in figure " + figureClass);
    return parse(svg.group());
  }

  static Document parse(String xml) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    return factory
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  /** Every element of the SVG whose style fills it with exactly this colour. */
  static List<Element> filledWith(Document svg, Color colour) {
    String wanted =
        "rgb(" + colour.getRed() + "," + colour.getGreen() + "," + colour.getBlue() + ")";
    List<Element> out = new ArrayList<>();
    NodeList all = svg.getElementsByTagName("*");
    for (int i = 0; i < all.getLength(); i++) {
      Element e = (Element) all.item(i);
      String fill = style(e).get("fill");
      if (fill != null && fill.replace(" ", "").equals(wanted)) {
        out.add(e);
      }
    }
    return out;
  }

  /** Every element whose stroke is this colour (lines). */
  static List<Element> strokedWith(Document svg, Color colour) {
    String wanted =
        "rgb(" + colour.getRed() + "," + colour.getGreen() + "," + colour.getBlue() + ")";
    List<Element> out = new ArrayList<>();
    NodeList all = svg.getElementsByTagName("*");
    for (int i = 0; i < all.getLength(); i++) {
      Element e = (Element) all.item(i);
      String stroke = style(e).get("stroke");
      if (stroke != null && stroke.replace(" ", "").equals(wanted)) {
        out.add(e);
      }
    }
    return out;
  }

  /** The text of every {@code <text>} element, in document order. */
  static List<String> texts(Document svg) {
    List<String> out = new ArrayList<>();
    NodeList texts = svg.getElementsByTagName("text");
    for (int i = 0; i < texts.getLength(); i++) {
      out.add(texts.item(i).getTextContent());
    }
    return out;
  }

  static Map<String, String> style(Element e) {
    Map<String, String> declarations = new HashMap<>();
    for (String part : e.getAttribute("style").split(";")) {
      int colon = part.indexOf(':');
      if (colon > 0) {
        declarations.put(part.substring(0, colon).trim(), part.substring(colon + 1).trim());
      }
    }
    return declarations;
  }

  static double number(Element e, String attribute) {
    return Double.parseDouble(e.getAttribute(attribute));
  }

  static String unescape(String html) {
    return html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
  }
}
