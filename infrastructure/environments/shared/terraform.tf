# Shared by every environment root (each links this file): backend and provider. The root's main.tf sets
# local.environment and calls modules/environment with its values; that module pins Terraform and the provider.

terraform {
  # Partial: tbctl passes bucket, key, region, use_lockfile = true, encrypt = true
  # (and the emulator's endpoints on TARGET=local) with -backend-config.
  backend "s3" {}
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      project     = "trading-bot"
      environment = local.environment
      managed-by  = "terraform"
    }
  }
}
