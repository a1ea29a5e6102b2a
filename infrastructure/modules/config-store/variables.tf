variable "bucket_name" {
  description = "Name of the config bucket (trading-config-<short env>)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.bucket_name)) && !can(regex("--", var.bucket_name))
    error_message = "bucket_name must be 3-63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit."
  }
}

variable "writer_arns" {
  description = "IAM principals (the deploy identity) allowed to write objects; when non-empty the bucket policy denies object writes to everyone else. Empty: writes are governed by IAM policies alone (the deploy policy)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.writer_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/", arn))])
    error_message = "writer_arns must be IAM role or user ARNs."
  }
}

variable "noncurrent_version_retention_days" {
  description = "Days a superseded config version is kept (rollback reaches back this far)."
  type        = number
  default     = 365

  validation {
    condition     = var.noncurrent_version_retention_days >= 1 && floor(var.noncurrent_version_retention_days) == var.noncurrent_version_retention_days
    error_message = "noncurrent_version_retention_days must be a whole number of days, at least 1."
  }
}

variable "noncurrent_versions_kept" {
  description = "Superseded config versions always kept, however old (rollback never loses the last few)."
  type        = number
  default     = 20

  validation {
    condition     = var.noncurrent_versions_kept >= 1 && var.noncurrent_versions_kept <= 100 && floor(var.noncurrent_versions_kept) == var.noncurrent_versions_kept
    error_message = "noncurrent_versions_kept must be a whole number from 1 to 100 (S3's limit)."
  }
}

variable "force_destroy" {
  description = "Allow destroying the bucket with objects in it (development only)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource (on top of the provider's default tags)."
  type        = map(string)
  default     = {}
}
