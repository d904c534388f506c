package io.coinbeam.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.coinbeam.schema.ColumnType;
import org.junit.jupiter.api.Test;

/** How values read from the tables are written into the report, and how they are escaped. */
class FormatsTest {
  @Test
  void escapesEveryCharacterThatMeansSomethingInHtml() {
    assertEquals(
        "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Q&amp;A&lt;/a&gt;",
        Html.escape("<a href=\"x\" title='y'>Q&A</a>"));
    assertEquals("a\uFFFDb\tc\nd", Html.escape("a\u0000b\tc\nd"));
    assertEquals("", Html.escape(null));
  }

  @Test
  void numbersKeepWhatMattersAtEveryScale() {
    assertEquals("61,234.57", Formats.number(61234.5678));
    assertEquals("1.23 M", Formats.number(1_234_567));
    assertEquals("1.26 T", Formats.number(1.2589e12));
    assertEquals("-4.50 B", Formats.number(-4.5e9));
    assertEquals("1.00031", Formats.number(1.00031234));
    assertEquals("0.0000123457", Formats.number(0.000012345678));
    assertEquals("0", Formats.number(0));
    assertEquals("$999.5", Formats.usd(999.5));
  }

  @Test
  void percentagesHaveThreeSignificantDigits() {
    assertEquals("42.1 %", Formats.percent(42.0939));
    assertEquals("-0.445 %", Formats.percent(-0.444982));
    assertEquals("0.00648 %", Formats.percent(0.00647915));
    assertEquals("120 %", Formats.percent(120.4));
    assertEquals("0 %", Formats.percent(0));
  }

  @Test
  void timesAreUtcToTheMinuteWithSecondsOnlyWhenThereAreAny() {
    long noon = 1_715_083_200_000L; // 2024-05-07T12:00:00Z
    assertEquals("2024-05-07 12:00", Formats.time(noon));
    assertEquals("2024-05-07 12:00:30", Formats.time(noon + 30_500));
    assertEquals("2024-05-07 12:00", Formats.cell(ColumnType.TIMESTAMP, noon));
    assertEquals("1,496", Formats.cell(ColumnType.INTEGER, 1496L));
    assertEquals("yes", Formats.cell(ColumnType.BOOLEAN, true));
    assertEquals("", Formats.cell(ColumnType.FLOAT, null));
  }
}
