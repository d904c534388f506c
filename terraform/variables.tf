variable "project_id" {
  description = "GCP project that holds the dataset, the bucket and the pipeline's service account (e.g. my-project-123)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a GCP project id: 6-30 lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "location" {
  description = "Location of the BigQuery dataset and the bucket: a multi-region (US, EU) or a region (europe-west1). Load jobs need both in the same place."
  type        = string
  default     = "US"

  validation {
    condition     = can(regex("^([A-Za-z]+|[a-z]+-[a-z]+[0-9]+)$", var.location))
    error_message = "location must be a multi-region such as US or EU, or a region such as europe-west1."
  }
}

variable "dataset_id" {
  description = "BigQuery dataset for the five aggregate tables and dead_letters; the pipeline's --bigQueryDataset (make: BQ_DATASET)."
  type        = string
  default     = "coinbeam"

  validation {
    condition     = can(regex("^[A-Za-z0-9_]{1,1024}$", var.dataset_id))
    error_message = "dataset_id may hold letters, digits and underscores only."
  }
}

variable "environment" {
  description = "Short name of this deployment (dev, prod, ...): part of the bucket and service-account names, and a label on everything."
  type        = string
  default     = "dev"

  validation {
    condition     = can(regex("^[a-z]([a-z0-9-]{0,18}[a-z0-9])?$", var.environment))
    error_message = "environment must be 1-20 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "labels" {
  description = "Extra labels for every resource, e.g. { team = \"data\", cost_center = \"1234\" }; app and environment are always added."
  type        = map(string)
  default     = {}

  validation {
    condition = alltrue([
      for k, v in var.labels : can(regex("^[a-z][a-z0-9_-]{0,62}$", k)) && can(regex("^[a-z0-9_-]{0,63}$", v))
    ])
    error_message = "Label keys must start with a lowercase letter; keys and values may hold lowercase letters, digits, _ and -, up to 63 characters."
  }
}

variable "deletion_protection" {
  description = "Keep tables, dataset contents and bucket objects from being destroyed. Set to false and apply before `make tf-destroy`."
  type        = bool
  default     = true
}

variable "partition_expiration_days" {
  description = "Drop table partitions (days of window_start / observed_at) older than this many days; null keeps everything. A cap on storage cost."
  type        = number
  default     = null

  validation {
    condition     = var.partition_expiration_days == null ? true : var.partition_expiration_days >= 1
    error_message = "partition_expiration_days must be at least 1, or null to keep every partition."
  }
}

variable "require_partition_filter" {
  description = "Refuse queries on the tables that do not filter on the partition column (window_start, observed_at): a guard against full-table scans."
  type        = bool
  default     = false
}

variable "bucket_name" {
  description = "Name of the GCS bucket for load-job temp files and the Parquet lake; null means <project_id>-coinbeam-<environment>. Bucket names are global."
  type        = string
  default     = null

  validation {
    condition     = var.bucket_name == null ? true : can(regex("^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be 3-63 lowercase letters, digits, dots, hyphens or underscores, starting and ending with a letter or digit."
  }
}

variable "temp_prefix" {
  description = "Folder in the bucket for BigQuery load-job files (the pipeline's --bigQueryTempLocation); objects there are deleted after temp_retention_days."
  type        = string
  default     = "temp/"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9_/-]*/$", var.temp_prefix))
    error_message = "temp_prefix must be a folder name ending in /, e.g. temp/."
  }
}

variable "lake_prefix" {
  description = "Folder in the bucket for the Parquet lake (the pipeline's --output when it writes to GCS)."
  type        = string
  default     = "lake/"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9_/-]*/$", var.lake_prefix))
    error_message = "lake_prefix must be a folder name ending in /, e.g. lake/."
  }
}

variable "temp_retention_days" {
  description = "Days before objects under temp_prefix are deleted. Load jobs finish in minutes; leftovers of failed runs should not cost forever."
  type        = number
  default     = 3

  validation {
    condition     = var.temp_retention_days >= 1 && var.temp_retention_days <= 30
    error_message = "temp_retention_days must be between 1 and 30."
  }
}

variable "pipeline_users" {
  description = "Members allowed to run the pipeline as its service account by impersonation, e.g. [\"user:you@example.com\"]; no keys are created."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for m in var.pipeline_users : can(regex("^(user|group|serviceAccount):.+@.+$", m))])
    error_message = "Each entry must be user:<email>, group:<email> or serviceAccount:<email>."
  }
}
