variable "alias" {
  description = "Alias of the key, without the alias/ prefix (for example trading-bot-dev)."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9/_-]{1,250}$", var.alias)) && !startswith(var.alias, "aws/")
    error_message = "alias must be 1-250 letters, digits, / _ - and must not start with aws/."
  }
}

variable "description" {
  description = "What the key encrypts."
  type        = string
}

variable "service_grants" {
  description = "AWS services that may use the key, each with its actions and an optional condition that narrows it (for example to one log group)."
  type = list(object({
    sid      = string
    services = list(string)
    actions  = list(string)
    condition = optional(object({
      test     = string
      variable = string
      values   = list(string)
    }))
  }))
  default = []

  validation {
    condition     = alltrue([for g in var.service_grants : can(regex("^[A-Za-z0-9]+$", g.sid)) && length(g.services) > 0 && alltrue([for a in g.actions : startswith(a, "kms:")])])
    error_message = "service_grants: sid alphanumeric, at least one service, kms: actions only."
  }
}

variable "deletion_window_in_days" {
  description = "Days a deleted key can still be restored."
  type        = number
  default     = 30

  validation {
    condition     = var.deletion_window_in_days >= 7 && var.deletion_window_in_days <= 30
    error_message = "deletion_window_in_days must be from 7 to 30."
  }
}

variable "tags" {
  description = "Tags added to the key (on top of the provider's default tags)."
  type        = map(string)
  default     = {}
}
