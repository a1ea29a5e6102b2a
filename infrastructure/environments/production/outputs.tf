# What tbctl reads (renderer, deployer, config store): every value has its one source here.

output "region" {
  description = "AWS region of the environment."
  value       = data.aws_region.current.name
}

output "environment" {
  description = "Long environment name."
  value       = local.environment
}

output "short_name" {
  description = "Short environment name, used in resource names."
  value       = local.short_name
}

output "cluster_name" {
  description = "ECS cluster."
  value       = module.ecs_service.cluster_name
}

output "service_name" {
  description = "ECS service."
  value       = module.ecs_service.service_name
}

output "family" {
  description = "Task-definition family."
  value       = module.ecs_service.family
}

output "container_name" {
  description = "Name of the container."
  value       = module.ecs_service.container_name
}

output "container_port" {
  description = "Port the container listens on."
  value       = module.ecs_service.container_port
}

output "cpu" {
  description = "Task CPU units."
  value       = module.ecs_service.cpu
}

output "memory" {
  description = "Task memory (MiB)."
  value       = module.ecs_service.memory
}

output "capacity_provider" {
  description = "Capacity provider the tasks run on."
  value       = module.ecs_service.capacity_provider
}

output "desired_count" {
  description = "Tasks the service keeps running."
  value       = module.ecs_service.desired_count
}

output "execution_role_arn" {
  description = "Task execution role."
  value       = module.ecs_service.execution_role_arn
}

output "task_role_arn" {
  description = "Task role."
  value       = module.ecs_service.task_role_arn
}

output "log_group_name" {
  description = "CloudWatch log group of the containers."
  value       = module.ecs_service.log_group_name
}

output "log_stream_prefix" {
  description = "awslogs stream prefix."
  value       = module.ecs_service.log_stream_prefix
}

output "repository_url" {
  description = "ECR repository URL (image without tag)."
  value       = data.aws_ecr_repository.this.repository_url
}

output "repository_name" {
  description = "ECR repository name."
  value       = data.aws_ecr_repository.this.name
}

output "secrets" {
  description = "Secret ARNs by environment variable name (injected with valueFrom)."
  value       = module.ecs_service.secrets
}

output "environment_variables" {
  description = "Plain environment variables of the container."
  value       = module.ecs_service.environment_variables
}

output "health_check" {
  description = "Container healthCheck as ECS spells it, or null."
  value       = module.ecs_service.health_check
}

output "service_discovery_service_arn" {
  description = "Cloud Map service ARN, or null."
  value       = module.ecs_service.service_discovery_service_arn
}

output "config_bucket" {
  description = "Runtime configuration bucket."
  value       = module.config_store.bucket
}

output "alarm_topic_arn" {
  description = "SNS topic of the alarms and deployment events."
  value       = module.alarms.topic_arn
}

output "deploy_policy_arn" {
  description = "IAM policy to attach to the deploy identity."
  value       = module.deploy_policy.arn
}

output "deploy_policy_actions" {
  description = "Every action the deploy policy grants (what the preflight simulates)."
  value       = module.deploy_policy.actions
}
