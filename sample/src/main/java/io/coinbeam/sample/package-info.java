/**
 * A seeded generator of CoinCap-shaped captures for the five streams: the project's own data for
 * the bundled sample, tests and benchmarks. Entry point: {@link
 * io.coinbeam.sample.SampleGenerator}; what it wrote is described, exactly, by {@link
 * io.coinbeam.sample.Manifest}.
 */
package io.coinbeam.sample;
