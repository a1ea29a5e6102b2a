output "repository_url" {
  description = "URL of the repository (<account>.dkr.ecr.<region>.amazonaws.com/<name>), the image reference without tag."
  value       = aws_ecr_repository.this.repository_url
}

output "repository_name" {
  description = "Name of the repository."
  value       = aws_ecr_repository.this.name
}

output "repository_arn" {
  description = "ARN of the repository: what pull permissions are scoped to."
  value       = aws_ecr_repository.this.arn
}

output "kms_key_arn" {
  description = "ARN of the customer-managed key that encrypts the images."
  value       = module.key.arn
}
