variable "region" {
  description = "AWS region; null takes AWS_REGION from the environment (tbctl sets it per target)."
  type        = string
  default     = null
}

variable "state_bucket_name" {
  description = "Name of the Terraform state bucket; null means trading-bot-tfstate-<account id> (what tbctl expects)."
  type        = string
  default     = null
}

variable "repository_name" {
  description = "Name of the account-wide ECR repository."
  type        = string
  default     = "trading-bot"
}

variable "keep_images" {
  description = "Images the registry's lifecycle policy keeps."
  type        = number
  default     = 50
}
