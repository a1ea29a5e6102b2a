################################################################################
# Encryption key
# https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html
################################################################################

module "key" {
  source = "../kms-key"

  alias       = "ecr-${replace(var.name, "/", "-")}"
  description = "ECR repository ${var.name}"
  tags        = var.tags
}

################################################################################
# Repository: immutable tags (an image tag names one build forever), scanned on push
# https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html
################################################################################

resource "aws_ecr_repository" "this" {
  name                 = var.name
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = module.key.arn
  }

  tags = var.tags
}

################################################################################
# Lifecycle policy
# https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html
################################################################################

resource "aws_ecr_lifecycle_policy" "this" {
  repository = aws_ecr_repository.this.name

  policy = jsonencode({
    rules = [
      {
        rulePriority = 1
        description  = "Expire untagged images after ${var.untagged_expiry_days} days"
        selection = {
          tagStatus   = "untagged"
          countType   = "sinceImagePushed"
          countUnit   = "days"
          countNumber = var.untagged_expiry_days
        }
        action = { type = "expire" }
      },
      {
        rulePriority = 2
        description  = "Keep the newest ${var.keep_images} images"
        selection = {
          tagStatus   = "any"
          countType   = "imageCountMoreThan"
          countNumber = var.keep_images
        }
        action = { type = "expire" }
      },
    ]
  })
}
