output "state_bucket" {
  description = "Name of the Terraform state bucket the environments' S3 backends use."
  value       = aws_s3_bucket.state.id
}

output "repository_url" {
  description = "URL of the trading-bot ECR repository."
  value       = module.container_registry.repository_url
}

output "repository_name" {
  description = "Name of the trading-bot ECR repository."
  value       = module.container_registry.repository_name
}

output "repository_arn" {
  description = "ARN of the trading-bot ECR repository."
  value       = module.container_registry.repository_arn
}
