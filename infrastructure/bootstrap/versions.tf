terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }

  # The state of what the backends need cannot live in those backends: local,
  # path passed by tbctl with -backend-config (build/<target>/bootstrap/).
  backend "local" {}
}
