package io.coinbeam.bench.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The benchmark's peer: {@code trade_candles} computed with Spark's own Dataset API, not through
 * Beam, the way most crypto pipelines do it (read JSON with a schema, filter, group by key and
 * minute, aggregate, write Parquet). Only the Spark jar holds it ({@code src/spark/java}, compiled
 * by the spark profile).
 *
 * <p>It keeps the rows the pipeline keeps (the same validation on what the generator's bad lines
 * exercise: broken JSON, non-numeric or missing fields, unknown directions, non-positive numbers,
 * timestamps outside 2009..2100, whole seconds scaled) and writes the same columns. Unlike the
 * pipeline it sums plain doubles in whatever order Spark merges partitions, as such pipelines do;
 * the benchmark's checksum rounds to 10 significant digits for that reason.
 *
 * <pre>
 * java --add-opens=... -cp coinbeam-spark.jar io.coinbeam.bench.SparkNativeCandles \
 *     --input=DIR/trades/* --output=OUT [--master=local[*]]
 * </pre>
 */
public final class SparkNativeCandles {
  private static final long WINDOW_MILLIS = 60_000;
  private static final long SECONDS_THRESHOLD = 100_000_000_000L;
  private static final long EARLIEST_MILLIS = 1_230_940_800_000L;
  private static final long LATEST_MILLIS = 4_102_444_800_000L;

  private SparkNativeCandles() {}

  public static void main(String[] args) {
    // Quiet as the runner jars are (their simplelogger.properties): Spark speaks up on trouble
    // only.
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    System.exit(run(args));
  }

  static int run(String[] args) {
    String input = null;
    String output = null;
    String master = "local[*]";
    for (String arg : args) {
      if (arg.startsWith("--input=")) {
        input = arg.substring("--input=".length());
      } else if (arg.startsWith("--output=")) {
        output = arg.substring("--output=".length());
      } else if (arg.startsWith("--master=")) {
        master = arg.substring("--master=".length());
      } else {
        System.err.println("SparkNativeCandles: unknown flag " + arg);
        return 2;
      }
    }
    if (input == null || output == null) {
      System.err.println("usage: SparkNativeCandles --input=GLOB --output=OUT [--master=local[*]]");
      return 2;
    }
    long started = System.nanoTime();
    SparkSession spark =
        SparkSession.builder()
            .appName("coinbeam-native-spark-candles")
            .master(master)
            .config("spark.ui.enabled", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MILLIS")
            .config("spark.sql.parquet.compression.codec", "snappy")
            .getOrCreate();
    try {
      candles(spark, input, output + "/trade_candles");
      System.out.printf(
          Locale.ROOT,
          "native spark: trade_candles written in %.1f s%n",
          (System.nanoTime() - started) / 1e9);
      return 0;
    } catch (RuntimeException e) {
      System.err.println("SparkNativeCandles: failed: " + e);
      return 1;
    } finally {
      spark.stop();
    }
  }

  /** Reads, aggregates and writes the candles as Parquet into {@code tableDir}. */
  static void candles(SparkSession spark, String input, String tableDir) {
    StructType schema =
        new StructType()
            .add("exchange", DataTypes.StringType)
            .add("base", DataTypes.StringType)
            .add("quote", DataTypes.StringType)
            .add("direction", DataTypes.StringType)
            .add("price", DataTypes.DoubleType)
            .add("volume", DataTypes.DoubleType)
            .add("timestamp", DataTypes.LongType)
            .add("priceUsd", DataTypes.DoubleType);
    Column raw = col("timestamp");
    Column millis =
        when(raw.gt(0).and(raw.lt(SECONDS_THRESHOLD)), raw.multiply(1000)).otherwise(raw);
    Column side = lower(trim(col("direction")));
    Dataset<Row> trades =
        spark
            .read()
            .schema(schema)
            .option("mode", "PERMISSIVE")
            .format("json")
            .load(input)
            .withColumn("ts", millis)
            .withColumn("side", side)
            .filter(
                notBlank("exchange")
                    .and(notBlank("base"))
                    .and(notBlank("quote"))
                    .and(col("side").isin("buy", "sell"))
                    .and(col("price").gt(0))
                    .and(col("volume").gt(0))
                    .and(col("priceUsd").geq(0))
                    .and(col("ts").geq(EARLIEST_MILLIS))
                    .and(col("ts").lt(LATEST_MILLIS)))
            .withColumn("window_ms", col("ts").minus(pmod(col("ts"), lit(WINDOW_MILLIS))))
            .withColumn("is_buy", col("side").equalTo("buy"));
    Dataset<Row> candles =
        trades
            .groupBy("exchange", "base", "quote", "window_ms")
            .agg(
                // Trade order (timestamp, price, volume): structs compare field by field.
                min(struct(col("ts"), col("price"), col("volume"))).as("first"),
                max(struct(col("ts"), col("price"), col("volume"))).as("last"),
                max("price").as("high"),
                min("price").as("low"),
                sum("volume").as("volume"),
                sum(col("volume").multiply(col("priceUsd"))).as("volume_usd"),
                sum(col("price").multiply(col("volume"))).as("notional"),
                count(lit(1)).as("trade_count"),
                sum(when(col("is_buy"), 1L).otherwise(0L)).as("buy_count"),
                sum(when(col("is_buy"), col("volume")).otherwise(0.0)).as("buy_volume"),
                sum(when(col("is_buy"), 0.0).otherwise(col("volume"))).as("sell_volume"))
            .select(
                col("exchange"),
                col("base"),
                col("quote"),
                millisToTimestamp(col("window_ms")).as("window_start"),
                millisToTimestamp(col("window_ms").plus(WINDOW_MILLIS)).as("window_end"),
                col("first.price").as("open"),
                col("high"),
                col("low"),
                col("last.price").as("close"),
                col("volume"),
                col("volume_usd"),
                col("notional").divide(col("volume")).as("vwap"),
                col("trade_count"),
                col("buy_count"),
                col("trade_count").minus(col("buy_count")).as("sell_count"),
                col("buy_volume"),
                col("sell_volume"),
                millisToTimestamp(col("first.ts")).as("first_trade_at"),
                millisToTimestamp(col("last.ts")).as("last_trade_at"),
                lit(null).cast(DataTypes.StringType).as("pane_timing"),
                lit(null).cast(DataTypes.LongType).as("pane_index"));
    candles.write().mode(SaveMode.Overwrite).parquet(tableDir);
  }

  private static Column notBlank(String name) {
    return col(name).isNotNull().and(trim(col(name)).notEqual(""));
  }

  private static Column millisToTimestamp(Column millis) {
    return org.apache.spark.sql.functions.timestamp_millis(millis);
  }
}
