package io.coinbeam.transforms.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.coinbeam.model.ExchangeSnapshot;
import io.coinbeam.transforms.MeasureSchemas;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;

/** exchange_stats through ExchangeStats' real CombineFn. */
class ExchangeStatsTest {
  static final long T0 = 1_715_076_000_000L;
  private final ExchangeStats spec = new ExchangeStats();

  static ExchangeSnapshot kraken(long at, Long rank, Double volume, Boolean socket) {
    return new ExchangeSnapshot("kraken", "Kraken", rank, 1.75, volume, 141L, socket, at);
  }

  @Test
  void averageIgnoresNullVolumesAndLastFiguresComeFromTheLatest() {
    List<ExchangeSnapshot> inputs =
        List.of(
            kraken(T0 + 200_000, 12L, 200.25, true),
            kraken(T0, 13L, null, false),
            kraken(T0 + 100_000, 13L, 100.5, false),
            kraken(T0 + 150_000, 13L, null, false));
    Row expected =
        Row.withSchema(MeasureSchemas.of(spec))
            .withFieldValues(Map.of())
            .withFieldValue("name", "Kraken")
            .withFieldValue("rank", 12L)
            .withFieldValue("volume_usd_24hr", 200.25)
            // (100.5 + 200.25) / 2 = 300.75 / 2 = 150.375: the two nulls are not zeros
            .withFieldValue("volume_usd_24hr_avg", 150.375)
            .withFieldValue("percent_total_volume", 1.75)
            .withFieldValue("trading_pairs", 141L)
            .withFieldValue("socket", true)
            .withFieldValue("observations", 4L)
            .build();
    for (List<ExchangeSnapshot> order : Combining.permutations(inputs)) {
      assertEquals(expected, Combining.summarize(spec, order));
    }
  }

  @Test
  void noVolumeAtAllGivesNullAverage() {
    Row row =
        Combining.summarize(
            spec, List.of(kraken(T0, null, null, null), kraken(T0 + 1_000, null, null, null)));
    assertNull(row.getDouble("volume_usd_24hr_avg"));
    assertNull(row.getDouble("volume_usd_24hr"));
    assertNull(row.getInt64("rank"));
    assertNull(row.getBoolean("socket"));
    assertEquals(2L, row.getInt64("observations"));
  }

  @Test
  void theLatestVolumeMayBeNullWhileTheAverageIsNot() {
    Row row =
        Combining.summarize(
            spec, List.of(kraken(T0, 1L, 1e15, true), kraken(T0 + 1_000, 1L, null, true)));
    assertNull(row.getDouble("volume_usd_24hr"));
    assertEquals(1e15, row.getDouble("volume_usd_24hr_avg"));
  }

  @Test
  void duplicatesCountOnceInTheAverageAndObservations() {
    ExchangeSnapshot a = kraken(T0, 1L, 100.0, true);
    ExchangeSnapshot b = kraken(T0 + 60_000, 1L, 400.0, true);
    Random random = new Random(9);
    for (int round = 0; round < 20; round++) {
      Row row = Combining.summarizeRandomly(spec, List.of(a, a, a, b), random);
      assertEquals(250.0, row.getDouble("volume_usd_24hr_avg")); // (100 + 400) / 2, not 175
      assertEquals(2L, row.getInt64("observations"));
    }
  }

  /**
   * Found failing: the mean of three reports of 0.1 is 0.10000000000000002 (see AssetStatsTest).
   */
  @Test
  void theAverageOfEqualVolumesIsThatVolume() {
    Row row =
        Combining.summarize(
            spec,
            List.of(
                kraken(T0, 1L, 0.1, true),
                kraken(T0 + 1_000, 1L, 0.1, true),
                kraken(T0 + 2_000, 1L, 0.1, true)));
    assertEquals(0.1, row.getDouble("volume_usd_24hr_avg"));
  }
}
