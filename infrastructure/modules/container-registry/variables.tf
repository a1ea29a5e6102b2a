variable "name" {
  description = "Name of the ECR repository (one per account, shared by every environment)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$", var.name)) && length(var.name) >= 2 && length(var.name) <= 256
    error_message = "name must be a valid ECR repository name: lower-case letters, digits, and . _ - / separators."
  }
}

variable "keep_images" {
  description = "How many images the lifecycle policy keeps; older ones are expired."
  type        = number
  default     = 50

  validation {
    condition     = var.keep_images >= 1 && var.keep_images <= 10000 && floor(var.keep_images) == var.keep_images
    error_message = "keep_images must be a whole number from 1 to 10000."
  }
}

variable "untagged_expiry_days" {
  description = "Days after which untagged images (failed or superseded pushes) expire."
  type        = number
  default     = 7

  validation {
    condition     = var.untagged_expiry_days >= 1 && floor(var.untagged_expiry_days) == var.untagged_expiry_days
    error_message = "untagged_expiry_days must be a whole number of days, at least 1."
  }
}

variable "tags" {
  description = "Tags added to every resource (on top of the provider's default tags)."
  type        = map(string)
  default     = {}
}
