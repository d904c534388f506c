# The GCP side of coinbeam: the BigQuery dataset and its six tables, a bucket for load-job temp
# files and the Parquet lake, and a service account for the pipeline with only what it needs.
#
# The tables come from the pipeline's own schema files, the one schema source: the same JSON the
# BigQuery sink builds its TableSchema from and Parquet derives its columns from.

locals {
  schema_dir = "${path.module}/../core/src/main/resources/schemas"
  # name => { key, partition, clustering }, in the pipeline's own words.
  tables = jsondecode(file("${local.schema_dir}/tables.json"))
  # Aggregate tables (keyed by window) get a <table>_latest view; dead_letters has no panes.
  aggregate_tables = { for name, table in local.tables : name => table if contains(table.key, "window_start") }

  bucket_name = coalesce(var.bucket_name, "${var.project_id}-coinbeam-${var.environment}")
  expiration  = var.partition_expiration_days == null ? null : var.partition_expiration_days * 24 * 60 * 60 * 1000
}

resource "google_project_service" "required" {
  for_each = toset([
    "bigquery.googleapis.com",
    "bigquerystorage.googleapis.com",
    "iam.googleapis.com",
    "storage.googleapis.com",
  ])

  project = var.project_id
  service = each.value
  # Other things in the project may use these APIs: never turn them off on destroy.
  disable_on_destroy = false
}

resource "google_bigquery_dataset" "coinbeam" {
  project     = var.project_id
  dataset_id  = var.dataset_id
  location    = var.location
  description = "coinbeam: windowed CoinCap market aggregates and the dead letters of every run."

  delete_contents_on_destroy = !var.deletion_protection

  depends_on = [google_project_service.required]
}

resource "google_bigquery_table" "tables" {
  for_each = local.tables

  project     = var.project_id
  dataset_id  = google_bigquery_dataset.coinbeam.dataset_id
  table_id    = each.key
  description = "coinbeam ${each.key}; key (${join(", ", each.value.key)}). Schema: core/src/main/resources/schemas/${each.key}.json."
  schema      = file("${local.schema_dir}/${each.key}.json")

  # Day partitions: a query for a few days reads those days only.
  time_partitioning {
    type          = "DAY"
    field         = each.value.partition
    expiration_ms = local.expiration
  }
  # Clustered on the key: a query for one pair or asset reads a fraction of each partition.
  clustering               = each.value.clustering
  require_partition_filter = var.require_partition_filter

  deletion_protection = var.deletion_protection
}

# The latest pane of every key: the pipeline appends (a streaming window writes early, on-time and
# late panes; a batch re-run writes its rows again), and these views keep the last one per key.
resource "google_bigquery_table" "latest" {
  for_each = local.aggregate_tables

  project     = var.project_id
  dataset_id  = google_bigquery_dataset.coinbeam.dataset_id
  table_id    = "${each.key}_latest"
  description = "${each.key}, one row per key (${join(", ", each.value.key)}): the latest pane."

  view {
    use_legacy_sql = false
    query          = <<-SQL
      SELECT * EXCEPT (_pane_rank)
      FROM (
        SELECT
          *,
          ROW_NUMBER() OVER (
            PARTITION BY ${join(", ", each.value.key)}
            ORDER BY pane_index DESC
          ) AS _pane_rank
        FROM `${var.project_id}.${google_bigquery_dataset.coinbeam.dataset_id}.${google_bigquery_table.tables[each.key].table_id}`
      )
      WHERE _pane_rank = 1
    SQL
  }

  deletion_protection = var.deletion_protection
}

resource "google_storage_bucket" "coinbeam" {
  project  = var.project_id
  name     = local.bucket_name
  location = var.location

  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = !var.deletion_protection

  # Load jobs delete their files when they finish; this catches what failed runs leave behind.
  lifecycle_rule {
    condition {
      age            = var.temp_retention_days
      matches_prefix = [var.temp_prefix]
    }
    action {
      type = "Delete"
    }
  }

  # Half-finished uploads cost storage too.
  lifecycle_rule {
    condition {
      age = 1
    }
    action {
      type = "AbortIncompleteMultipartUpload"
    }
  }

  depends_on = [google_project_service.required]
}

resource "google_service_account" "pipeline" {
  project      = var.project_id
  account_id   = "coinbeam-${var.environment}"
  display_name = "coinbeam pipeline (${var.environment})"
  description  = "Runs the coinbeam pipeline: writes its BigQuery dataset and its own bucket, nothing else."

  depends_on = [google_project_service.required]
}

# Least privilege: table data in this dataset only (load jobs and Storage Write API appends) ...
resource "google_bigquery_dataset_iam_member" "pipeline_data_editor" {
  project    = var.project_id
  dataset_id = google_bigquery_dataset.coinbeam.dataset_id
  role       = "roles/bigquery.dataEditor"
  member     = "serviceAccount:${google_service_account.pipeline.email}"
}

# ... running BigQuery jobs (load jobs are jobs; they bill to this project) ...
resource "google_project_iam_member" "pipeline_job_user" {
  project = var.project_id
  role    = "roles/bigquery.jobUser"
  member  = "serviceAccount:${google_service_account.pipeline.email}"
}

# ... and objects in its own bucket only (temp files, the Parquet lake).
resource "google_storage_bucket_iam_member" "pipeline_object_admin" {
  bucket = google_storage_bucket.coinbeam.name
  role   = "roles/storage.objectAdmin"
  member = "serviceAccount:${google_service_account.pipeline.email}"
}

# People who may act as the pipeline (`gcloud auth application-default login
# --impersonate-service-account=...`): short-lived tokens instead of key files.
resource "google_service_account_iam_member" "pipeline_users" {
  for_each = toset(var.pipeline_users)

  service_account_id = google_service_account.pipeline.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = each.value
}
