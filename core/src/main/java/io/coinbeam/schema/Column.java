package io.coinbeam.schema;

import java.io.Serializable;

/** One column of a table, as its schema file declares it. */
public record Column(String name, ColumnType type, boolean nullable, String description)
    implements Serializable {}
