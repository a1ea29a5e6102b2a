# Shared by every environment root (each links this file): what an operator may set (TF_VAR_*).

variable "region" {
  description = "AWS region; null takes AWS_REGION from the environment (tbctl sets it per target)."
  type        = string
  default     = null
}

variable "state_bucket" {
  description = "Terraform state bucket (for the deploy policy); null means trading-bot-tfstate-<account id>, as tbctl names it."
  type        = string
  default     = null
}

variable "alarm_subscriptions" {
  description = "Who is notified of alarms and failed deployments: a list of {protocol, endpoint}."
  type = list(object({
    protocol = string
    endpoint = string
  }))
  default = []
}

variable "config_writer_arns" {
  description = "IAM principals allowed to write the config bucket; empty leaves writes to IAM policies (the deploy policy) alone."
  type        = list(string)
  default     = []
}
