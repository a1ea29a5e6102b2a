variable "name" {
  description = "Name of the IAM policy (trading-bot-<short env>-deploy)."
  type        = string

  validation {
    condition     = can(regex("^[\\w+=,.@-]{1,128}$", var.name))
    error_message = "name must be a valid IAM policy name (1-128 of letters, digits and +=,.@_-)."
  }
}

variable "environment" {
  description = "Long environment name (development, production): the state key is trading-bot/<environment>.tfstate."
  type        = string

  validation {
    condition     = contains(["development", "production"], var.environment)
    error_message = "environment must be development or production."
  }
}

variable "resource_prefix" {
  description = "Prefix of this environment's resource names (trading-bot-<short env>): roles, log groups, alarms, secrets."
  type        = string
}

variable "state_bucket" {
  description = "Name of the Terraform state bucket."
  type        = string
}

variable "cluster_arn" {
  description = "ARN of the environment's ECS cluster."
  type        = string
}

variable "service_arn" {
  description = "ARN of the environment's ECS service."
  type        = string
}

variable "family" {
  description = "Task-definition family the deploy tool registers into."
  type        = string
}

variable "pass_role_arns" {
  description = "The execution and task roles: the only roles the deploy identity may pass, and only to ECS tasks."
  type        = list(string)

  validation {
    condition     = length(var.pass_role_arns) > 0 && alltrue([for arn in var.pass_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", arn))])
    error_message = "pass_role_arns must be one or more IAM role ARNs."
  }
}

variable "repository_arn" {
  description = "ARN of the trading-bot ECR repository."
  type        = string
}

variable "secret_arns" {
  description = "ARNs of the environment's secrets (described, never read)."
  type        = list(string)
}

variable "config_bucket_arn" {
  description = "ARN of the environment's config bucket (the deploy identity writes it)."
  type        = string
}

variable "config_kms_key_arn" {
  description = "ARN of the config bucket's KMS key."
  type        = string
}

variable "alarm_topic_arn" {
  description = "ARN of the environment's alarm topic."
  type        = string
}

variable "simulating_principal_arns" {
  description = "Principals the preflight may simulate (iam:SimulatePrincipalPolicy); empty means this account's roles and users."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags added to the policy (on top of the provider's default tags)."
  type        = map(string)
  default     = {}
}
