# Terraform and provider versions. `make tf-init` writes .terraform.lock.hcl with the exact
# provider build it chose; commit that file so every machine applies with the same provider.
terraform {
  required_version = ">= 1.5"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 6.41.0"
    }
  }
}

# Credentials are never configured here: the provider uses Application Default Credentials
# (`gcloud auth application-default login`) or GOOGLE_APPLICATION_CREDENTIALS.
provider "google" {
  project = var.project_id

  default_labels = merge(var.labels, {
    app         = "coinbeam"
    environment = var.environment
  })
}
