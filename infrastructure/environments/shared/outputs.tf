# Shared by every environment root (each links this file): what tbctl reads from the state, passed through
# from modules/environment (its README describes each value). Workload values are one object per workload.

output "region" {
  description = "AWS region of the environment."
  value       = module.environment.region
}

output "environment" {
  description = "Long environment name."
  value       = module.environment.environment
}

output "short_name" {
  description = "Short environment name, used in resource names."
  value       = module.environment.short_name
}

output "config_bucket" {
  description = "Runtime configuration bucket."
  value       = module.environment.config_bucket
}

output "repository_url" {
  description = "ECR repository URL (image without tag)."
  value       = module.environment.repository_url
}

output "repository_name" {
  description = "ECR repository name."
  value       = module.environment.repository_name
}

output "services" {
  description = "Per workload: what its template and the deploy step read (modules/environment/README.md)."
  value       = module.environment.services
}
