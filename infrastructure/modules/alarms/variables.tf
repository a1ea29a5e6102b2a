variable "name" {
  description = "Name prefix of the topic, alarms and rule (trading-bot-<short env>)."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,200}$", var.name))
    error_message = "name must be 1-200 letters, digits, hyphens or underscores."
  }
}

variable "cluster_name" {
  description = "ECS cluster of the watched service."
  type        = string
}

variable "service_name" {
  description = "ECS service whose tasks, CPU and memory are watched."
  type        = string
}

variable "service_arn" {
  description = "ARN of the service: deployment events are matched on it."
  type        = string
}

variable "subscriptions" {
  description = "Who the alarm topic notifies: a list of {protocol, endpoint} (for example email, https, sqs, lambda)."
  type = list(object({
    protocol = string
    endpoint = string
  }))
  default = []

  validation {
    condition     = alltrue([for s in var.subscriptions : contains(["email", "email-json", "http", "https", "sqs", "lambda", "sms", "application", "firehose"], s.protocol)])
    error_message = "subscriptions: protocol must be one of email, email-json, http, https, sqs, lambda, sms, application, firehose."
  }

  validation {
    condition     = alltrue([for s in var.subscriptions : length(trimspace(s.endpoint)) > 0])
    error_message = "subscriptions: endpoint must not be empty."
  }
}

variable "service_down" {
  description = "Service down: running tasks below desired for evaluation_periods x period seconds."
  type = object({
    period             = optional(number, 60)
    evaluation_periods = number
    severity           = string
  })

  validation {
    condition     = contains(["info", "warning", "critical"], var.service_down.severity)
    error_message = "service_down.severity must be info, warning or critical."
  }

  validation {
    condition     = var.service_down.period >= 60 && var.service_down.period % 60 == 0 && var.service_down.evaluation_periods >= 1 && var.service_down.period * var.service_down.evaluation_periods <= 86400
    error_message = "service_down: period must be a multiple of 60 seconds, evaluation_periods at least 1, together at most one day."
  }
}

variable "memory_high" {
  description = "Memory utilization above threshold percent for evaluation_periods x period seconds."
  type = object({
    threshold          = optional(number, 90)
    period             = optional(number, 60)
    evaluation_periods = number
    severity           = string
  })

  validation {
    condition     = contains(["info", "warning", "critical"], var.memory_high.severity)
    error_message = "memory_high.severity must be info, warning or critical."
  }

  validation {
    condition     = var.memory_high.threshold > 0 && var.memory_high.threshold <= 100 && var.memory_high.period >= 60 && var.memory_high.period % 60 == 0 && var.memory_high.evaluation_periods >= 1 && var.memory_high.period * var.memory_high.evaluation_periods <= 86400
    error_message = "memory_high: threshold 1-100 percent; period a multiple of 60 seconds; evaluation_periods at least 1; together at most one day."
  }
}

variable "cpu_high" {
  description = "CPU utilization above threshold percent for evaluation_periods x period seconds."
  type = object({
    threshold          = optional(number, 90)
    period             = optional(number, 60)
    evaluation_periods = number
    severity           = string
  })

  validation {
    condition     = contains(["info", "warning", "critical"], var.cpu_high.severity)
    error_message = "cpu_high.severity must be info, warning or critical."
  }

  validation {
    condition     = var.cpu_high.threshold > 0 && var.cpu_high.threshold <= 100 && var.cpu_high.period >= 60 && var.cpu_high.period % 60 == 0 && var.cpu_high.evaluation_periods >= 1 && var.cpu_high.period * var.cpu_high.evaluation_periods <= 86400
    error_message = "cpu_high: threshold 1-100 percent; period a multiple of 60 seconds; evaluation_periods at least 1; together at most one day."
  }
}

variable "tags" {
  description = "Tags added to every resource (on top of the provider's default tags)."
  type        = map(string)
  default     = {}
}
