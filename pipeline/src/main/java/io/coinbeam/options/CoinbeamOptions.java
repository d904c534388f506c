package io.coinbeam.options;

/**
 * Every flag of the coinbeam pipeline, composed from one small interface per concern so that each
 * source and sink keeps its flags to itself. {@code --help=io.coinbeam.options.CoinbeamOptions}
 * lists them with their descriptions.
 */
public interface CoinbeamOptions
    extends InputOptions,
        WindowOptions,
        OutputOptions,
        BigQuerySinkOptions,
        PostgresSinkOptions,
        KafkaSourceOptions {}
