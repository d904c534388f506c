output "project_id" {
  description = "The project; the pipeline's --bigQueryProject (make: GCP_PROJECT)."
  value       = var.project_id
}

output "dataset_id" {
  description = "The dataset; the pipeline's --bigQueryDataset (make: BQ_DATASET)."
  value       = google_bigquery_dataset.coinbeam.dataset_id
}

output "table_ids" {
  description = "Every table the pipeline writes, as project.dataset.table."
  value       = { for name, table in google_bigquery_table.tables : name => "${table.project}.${table.dataset_id}.${table.table_id}" }
}

output "latest_view_ids" {
  description = "The <table>_latest views (one row per key, latest pane), as project.dataset.view."
  value       = { for name, view in google_bigquery_table.latest : name => "${view.project}.${view.dataset_id}.${view.table_id}" }
}

output "service_account_email" {
  description = "The pipeline's service account; impersonate it (pipeline_users) or run Dataflow workers as it."
  value       = google_service_account.pipeline.email
}

output "bucket_name" {
  description = "The bucket for load-job temp files and the Parquet lake."
  value       = google_storage_bucket.coinbeam.name
}

output "temp_location" {
  description = "Folder for BigQuery load-job files; the pipeline's --bigQueryTempLocation (make: BQ_TEMP_LOCATION)."
  value       = "gs://${google_storage_bucket.coinbeam.name}/${var.temp_prefix}"
}

output "lake_location" {
  description = "Folder for the Parquet lake; use as OUTPUT= to write Parquet to GCS."
  value       = "gs://${google_storage_bucket.coinbeam.name}/${var.lake_prefix}"
}

output "pipeline_flags" {
  description = "The BigQuery flags for a run by hand (make reads the outputs above by itself)."
  value       = "--bigQueryProject=${var.project_id} --bigQueryDataset=${google_bigquery_dataset.coinbeam.dataset_id} --bigQueryTempLocation=gs://${google_storage_bucket.coinbeam.name}/${var.temp_prefix}"
}
