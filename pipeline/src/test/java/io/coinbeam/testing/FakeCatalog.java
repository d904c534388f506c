package io.coinbeam.testing;

import io.coinbeam.io.bigquery.BigQueryCatalog;
import io.coinbeam.schema.Column;
import io.coinbeam.schema.TableDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/** An in-memory {@link BigQueryCatalog}: datasets and tables as a test arranges them. */
public final class FakeCatalog implements BigQueryCatalog {
  private final Set<String> datasets = new HashSet<>();
  private final Map<String, CatalogTable> tables = new HashMap<>();
  private int lookups;

  /** How many times the catalog was asked. */
  public int lookups() {
    return lookups;
  }

  public FakeCatalog withDataset(String project, String dataset) {
    datasets.add(project + "." + dataset);
    return this;
  }

  /** Every table in tables.json, as Terraform creates it from the schema files. */
  public FakeCatalog withAllTablesAsTerraformMakesThem(String project, String dataset) {
    withDataset(project, dataset);
    for (String name : TableDefinition.allNames()) {
      TableDefinition table = TableDefinition.named(name);
      List<CatalogColumn> columns = new ArrayList<>();
      for (Column c : table.columns()) {
        columns.add(
            new CatalogColumn(c.name(), c.type().name(), c.nullable() ? "NULLABLE" : "REQUIRED"));
      }
      tables.put(
          project + "." + dataset + "." + name,
          new CatalogTable(
              columns, table.partitionColumn(), "DAY", List.copyOf(table.clusteringColumns())));
    }
    return this;
  }

  public FakeCatalog without(String qualifiedTable) {
    tables.remove(qualifiedTable);
    return this;
  }

  /** Replaces a table's columns with what {@code change} makes of them. */
  public FakeCatalog changeColumns(
      String qualifiedTable, UnaryOperator<List<CatalogColumn>> change) {
    CatalogTable t = tables.get(qualifiedTable);
    tables.put(
        qualifiedTable,
        new CatalogTable(
            change.apply(new ArrayList<>(t.columns())),
            t.partitionField(),
            t.partitionType(),
            t.clustering()));
    return this;
  }

  public FakeCatalog replace(String qualifiedTable, UnaryOperator<CatalogTable> change) {
    tables.put(qualifiedTable, change.apply(tables.get(qualifiedTable)));
    return this;
  }

  @Override
  public boolean datasetExists(String project, String dataset) {
    lookups++;
    return datasets.contains(project + "." + dataset);
  }

  @Override
  public Optional<CatalogTable> table(String project, String dataset, String table) {
    lookups++;
    return Optional.ofNullable(tables.get(project + "." + dataset + "." + table));
  }
}
