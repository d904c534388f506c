package io.coinbeam;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeTest {
  @TempDir Path dir;

  @Test
  void runs() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in/trades"));
    Files.writeString(
        in.resolve("t.ndjson"),
        "{\"exchange\":\"bitso\",\"base\":\"xrp\",\"quote\":\"tether\",\"direction\":\"buy\",\"price\":0.6174,\"volume\":180,\"timestamp\":1651686997237,\"priceUsd\":0.6178}\n"
            + "{broken\n");
    int code =
        CoinbeamPipeline.run(
            new String[] {
              "--input=" + dir.resolve("in/{stream}/*"),
              "--streams=trades",
              "--output=" + dir.resolve("out")
            });
    assertEquals(0, code);
    try (var files = Files.walk(dir.resolve("out"))) {
      files.forEach(System.out::println);
    }
  }
}
