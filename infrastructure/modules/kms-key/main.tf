data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

################################################################################
# Key policy: the account administers (through IAM), named services may use it
# https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
################################################################################

data "aws_iam_policy_document" "this" {
  #checkov:skip=CKV_AWS_109:A KMS key policy's Resource "*" means this key only; the account root keeps administration so the key can never become unmanageable.
  #checkov:skip=CKV_AWS_111:A KMS key policy's Resource "*" means this key only.
  #checkov:skip=CKV_AWS_356:A KMS key policy's Resource "*" means this key only.
  statement {
    sid       = "AccountAdministers"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  dynamic "statement" {
    for_each = var.service_grants

    content {
      sid       = statement.value.sid
      actions   = statement.value.actions
      resources = ["*"]

      principals {
        type        = "Service"
        identifiers = statement.value.services
      }

      dynamic "condition" {
        for_each = statement.value.condition == null ? [] : [statement.value.condition]

        content {
          test     = condition.value.test
          variable = condition.value.variable
          values   = condition.value.values
        }
      }
    }
  }
}

################################################################################
# Key and alias
# https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html
################################################################################

resource "aws_kms_key" "this" {
  description             = var.description
  deletion_window_in_days = var.deletion_window_in_days
  enable_key_rotation     = true
  policy                  = data.aws_iam_policy_document.this.json

  tags = var.tags
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.alias}"
  target_key_id = aws_kms_key.this.key_id
}
