provider "aws" {
  region = var.region

  default_tags {
    tags = {
      project    = "trading-bot"
      managed-by = "terraform"
      component  = "bootstrap"
    }
  }
}

data "aws_caller_identity" "current" {}

locals {
  state_bucket = coalesce(var.state_bucket_name, "trading-bot-tfstate-${data.aws_caller_identity.current.account_id}")
}

################################################################################
# Terraform state bucket (S3 backend with native locking, use_lockfile = true)
# https://developer.hashicorp.com/terraform/language/backend/s3
################################################################################

module "state_key" {
  source = "../modules/kms-key"

  alias       = "trading-bot-tfstate"
  description = "Terraform state bucket ${local.state_bucket}"
}

resource "aws_s3_bucket" "state" {
  #checkov:skip=CKV_AWS_18:Server access logs would need another bucket; state writes come only from plan/apply, and every write is a recorded object version.
  #checkov:skip=CKV_AWS_144:Cross-region replication is not worth it for state that versioning already protects and that can be re-imported.
  #checkov:skip=CKV2_AWS_62:No consumer of event notifications for the state bucket.
  bucket = local.state_bucket

  # Losing the state orphans every resource: never destroy it by accident.
  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_s3_bucket_versioning" "state" {
  bucket = aws_s3_bucket.state.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = module.state_key.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_public_access_block" "state" {
  bucket = aws_s3_bucket.state.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    id     = "expire-old-state-versions"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days           = 90
      newer_noncurrent_versions = 10 # a broken state can always be rolled back a few steps
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  depends_on = [aws_s3_bucket_versioning.state]
}

data "aws_iam_policy_document" "state_bucket" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.state.arn, "${aws_s3_bucket.state.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "state" {
  bucket = aws_s3_bucket.state.id
  policy = data.aws_iam_policy_document.state_bucket.json

  depends_on = [aws_s3_bucket_public_access_block.state]
}

################################################################################
# Container registry: one per account, images promoted between environments by git tag
# https://docs.aws.amazon.com/AmazonECR/latest/userguide/Repositories.html
################################################################################

module "container_registry" {
  source = "../modules/container-registry"

  name        = var.repository_name
  keep_images = var.keep_images
  tags        = { component = "bootstrap" }
}
