terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }

  # Partial: tbctl passes bucket, key, region, use_lockfile = true, encrypt = true
  # (and the emulator's endpoints on TARGET=local) with -backend-config.
  backend "s3" {}
}
