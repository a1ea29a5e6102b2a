################################################################################
# The environment
################################################################################

variable "project" {
  description = "Project name: the shared image repository's name and the prefix of the network's resources (<project>-<short_name>)."
  type        = string
  default     = "trading-bot"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,30}$", var.project))
    error_message = "project must be 1-31 lower-case letters, digits or hyphens, starting with a letter."
  }
}

variable "environment" {
  description = "Long environment name (development, production): tags, secret names, the ENVIRONMENT variable of every workload."
  type        = string

  validation {
    condition     = contains(["development", "production"], var.environment)
    error_message = "environment must be development or production."
  }
}

variable "short_name" {
  description = "Short environment name (dev, prod), the suffix of every resource name (<workload>-<short_name>, trading-config-<short_name>)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{0,9}$", var.short_name))
    error_message = "short_name must be 1-10 lower-case letters or digits, starting with a letter."
  }
}

################################################################################
# Network and shared storage
################################################################################

variable "network" {
  description = "The environment's VPC: cidr_block (a /16 to /24; two public and two private subnets are cut from it), single_nat_gateway (one NAT gateway for both zones: cheaper, but a zone outage cuts egress; default one per zone)."
  type = object({
    cidr_block         = string
    single_nat_gateway = optional(bool, false)
  })

  validation {
    condition     = can(cidrnetmask(var.network.cidr_block))
    error_message = "network.cidr_block must be an IPv4 CIDR such as 10.10.0.0/16."
  }
}

variable "config_store" {
  description = "The runtime configuration bucket: force_destroy (let terraform destroy it with its documents still in it; throw-away environments only), writer_arns (IAM principals allowed to write it; empty leaves writes to IAM policies, the deploy policy, alone)."
  type = object({
    force_destroy = optional(bool, false)
    writer_arns   = optional(list(string), [])
  })
  default  = {}
  nullable = false
}

################################################################################
# Policies every workload of the environment shares
################################################################################

variable "log_retention_days" {
  description = "Days the containers' logs are kept in CloudWatch Logs (one of CloudWatch's retention values)."
  type        = number
}

variable "secret_recovery_window_days" {
  description = "Days a deleted secret can still be restored (0, or 7 to 30)."
  type        = number
}

variable "alarm_subscriptions" {
  description = "Who is notified of alarms and failed deployments: a list of {protocol, endpoint}."
  type = list(object({
    protocol = string
    endpoint = string
  }))
  default  = []
  nullable = false
}

variable "state_bucket" {
  description = "Terraform state bucket (for the deploy policy); null means trading-bot-tfstate-<account id>, as tbctl names it."
  type        = string
  default     = null
}

################################################################################
# Workloads
################################################################################

variable "services" {
  description = <<-EOT
    Long-running workloads, by name: each is an ECS service named <name>-<short_name> with its own cluster,
    task-definition family, roles, secrets, alarms and deploy policy, and a template task-definitions/<name>.json.j2.
    cpu, memory: Fargate size. capacity_provider_strategy: { FARGATE | FARGATE_SPOT = { weight, base } }.
    desired_count, deployment_maximum_percent, deployment_minimum_healthy_percent, deployment_circuit_breaker: the
    service's size and rollout. environment_variables: plain variables (ENVIRONMENT is added); secret_names: variables
    injected from Secrets Manager. health_check: the container's, or null. service_discovery: { namespace } in Cloud Map,
    or null. container_name (default: the workload's name), container_port. alarms: service_down, memory_high, cpu_high
    as the alarms module takes them. Each field is validated by the module that uses it (ecs-service, alarms).
  EOT
  type = map(object({
    cpu                                = number
    memory                             = number
    desired_count                      = optional(number, 1)
    capacity_provider_strategy         = optional(map(object({ weight = number, base = optional(number, 0) })), { FARGATE = { weight = 100 } })
    deployment_maximum_percent         = optional(number, 200)
    deployment_minimum_healthy_percent = optional(number, 100)
    deployment_circuit_breaker         = optional(object({ enable = bool, rollback = bool }), { enable = true, rollback = true })
    environment_variables              = optional(map(string), {})
    secret_names                       = optional(list(string), [])
    health_check = optional(object({
      command      = list(string)
      interval     = optional(number, 30)
      timeout      = optional(number, 5)
      retries      = optional(number, 3)
      start_period = optional(number, 0)
    }))
    service_discovery = optional(object({
      namespace    = string
      service_name = optional(string, "trading-bot")
      dns_ttl      = optional(number, 10)
    }))
    container_name = optional(string)
    container_port = optional(number, 8080)
    alarms = optional(object({
      service_down = optional(object({ period = optional(number, 60), evaluation_periods = number, severity = string }), { evaluation_periods = 5, severity = "warning" })
      memory_high  = optional(object({ threshold = optional(number, 90), period = optional(number, 60), evaluation_periods = number, severity = string }), { evaluation_periods = 10, severity = "warning" })
      cpu_high     = optional(object({ threshold = optional(number, 90), period = optional(number, 60), evaluation_periods = number, severity = string }), { evaluation_periods = 10, severity = "warning" })
    }), {})
  }))
  nullable = false

  validation {
    condition     = length(var.services) >= 1
    error_message = "services must name at least one workload."
  }

  # The name becomes <name>-<short_name> for the cluster, service, family and roles, and the template's file name.
  validation {
    condition     = alltrue([for name in keys(var.services) : can(regex("^[a-z][a-z0-9-]{0,39}[a-z0-9]$", name))])
    error_message = "services: each name must be 2-41 lower-case letters, digits or hyphens, starting with a letter and not ending with a hyphen."
  }

  # ENVIRONMENT is set by the module from var.environment, so it is one value for every workload.
  validation {
    condition     = alltrue([for s in values(var.services) : !contains(keys(s.environment_variables), "ENVIRONMENT")])
    error_message = "services: environment_variables must not set ENVIRONMENT; the module sets it from environment."
  }
}
