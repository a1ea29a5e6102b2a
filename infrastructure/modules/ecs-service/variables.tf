################################################################################
# Naming
################################################################################

variable "name" {
  description = "Name of the cluster, the service and the task-definition family (trading-bot-<short env>)."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9_-]{0,62}$", var.name))
    error_message = "name must start with a letter and hold up to 63 letters, digits, hyphens or underscores."
  }
}

variable "environment" {
  description = "Long environment name (development, production), used in secret names and descriptions."
  type        = string

  validation {
    condition     = contains(["development", "production"], var.environment)
    error_message = "environment must be development or production."
  }
}

################################################################################
# Task
################################################################################

variable "container_name" {
  description = "Name of the one container in the task definition."
  type        = string
  default     = "trading-bot"

  validation {
    condition     = can(regex("^[a-zA-Z0-9][a-zA-Z0-9_-]{0,254}$", var.container_name))
    error_message = "container_name must be 1-255 letters, digits, hyphens or underscores."
  }
}

variable "container_port" {
  description = "TCP port the container listens on (health endpoint and service discovery)."
  type        = number
  default     = 8080

  validation {
    condition     = var.container_port >= 1 && var.container_port <= 65535 && floor(var.container_port) == var.container_port
    error_message = "container_port must be a whole number from 1 to 65535."
  }
}

variable "cpu" {
  description = "Task CPU units for Fargate (256, 512, 1024, 2048, 4096, 8192, 16384)."
  type        = number

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096, 8192, 16384], var.cpu)
    error_message = "cpu must be a Fargate CPU value: 256, 512, 1024, 2048, 4096, 8192 or 16384."
  }
}

variable "memory" {
  description = "Task memory in MiB; must be a valid Fargate pair with cpu."
  type        = number

  # https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
  validation {
    condition = contains(lookup({
      "256"   = [512, 1024, 2048]
      "512"   = [1024, 2048, 3072, 4096]
      "1024"  = [for gb in range(2, 9) : gb * 1024]
      "2048"  = [for gb in range(4, 17) : gb * 1024]
      "4096"  = [for gb in range(8, 31) : gb * 1024]
      "8192"  = [for gb in range(16, 61, 4) : gb * 1024]
      "16384" = [for gb in range(32, 121, 8) : gb * 1024]
    }, tostring(var.cpu), []), var.memory)
    error_message = "memory is not a valid Fargate pair for this cpu: 256 takes 512/1024/2048; 512 takes 1024-4096; 1024 takes 2048-8192; 2048 takes 4096-16384; 4096 takes 8192-30720 (steps of 1024); 8192 takes 16384-61440 (steps of 4096); 16384 takes 32768-122880 (steps of 8192)."
  }
}

variable "image" {
  description = "Image of the baseline task definition; null means <repository_url>:baseline. Real images are shipped by the deploy tool."
  type        = string
  default     = null
}

variable "environment_variables" {
  description = "Plain (non-secret) environment variables of the container."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for key in keys(var.environment_variables) : can(regex("^[A-Z_][A-Z0-9_]*$", key))])
    error_message = "environment_variables names must be upper-case letters, digits and underscores."
  }

  # Secrets go through `secrets`/valueFrom; a value here would sit in plain text in the task definition.
  # The one secret-name rule, copied verbatim from scripts/tbctl/data/secret_names.json (a unit test keeps
  # them identical): a name matching the first pattern and not the second names a secret.
  validation {
    condition = alltrue([for key in keys(var.environment_variables) :
      !(can(regex("(?i)(secret|passw(or)?d|passphrase|token|api[_.-]?key|private[_.-]?key|credential|(^|[_.-])pass$)", key)) && !can(regex("(?i)(^(max|min|num)[_.-]|[_.-](arn|id|ids|name|names|version|versions|length|days|type|count|expiration|expiry|expires|ttl|lifetime|timeout|seconds|minutes|hours|url|uri|endpoint|path|file|header|limit|size|policy|enabled|prefix|region|provider|format|algorithm|stage)$)", key)))
    ])
    error_message = "environment_variables must not hold secrets (names with SECRET, PASSWORD, PASSWD, PASSPHRASE, TOKEN, API_KEY, PRIVATE_KEY, CREDENTIAL, unless they end in a setting word such as _TTL, _EXPIRATION, _LENGTH, _NAME, _ARN): declare them in secret_names instead."
  }
}

variable "secret_names" {
  description = "Environment variable names injected from Secrets Manager (one secret each, declared here without a value)."
  type        = list(string)
  default     = ["BYBIT_API_KEY", "BYBIT_SECRET_KEY"]

  validation {
    condition     = alltrue([for name in var.secret_names : can(regex("^[A-Z_][A-Z0-9_]*$", name))]) && length(distinct(var.secret_names)) == length(var.secret_names)
    error_message = "secret_names must be distinct upper-case names (letters, digits, underscores)."
  }
}

variable "secret_recovery_window_days" {
  description = "Days a deleted secret can still be restored (0 deletes at once)."
  type        = number
  default     = 30

  validation {
    condition     = var.secret_recovery_window_days == 0 || (var.secret_recovery_window_days >= 7 && var.secret_recovery_window_days <= 30)
    error_message = "secret_recovery_window_days must be 0 or from 7 to 30."
  }
}

variable "health_check" {
  description = "Container health check (ECS healthCheck), or null for none. Times in seconds."
  type = object({
    command      = list(string)
    interval     = optional(number, 30)
    timeout      = optional(number, 5)
    retries      = optional(number, 3)
    start_period = optional(number, 0)
  })
  default = null

  # https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html
  validation {
    condition = var.health_check == null ? true : (
      length(var.health_check.command) >= 2 && contains(["CMD", "CMD-SHELL"], var.health_check.command[0]) &&
      var.health_check.interval >= 5 && var.health_check.interval <= 300 &&
      var.health_check.timeout >= 2 && var.health_check.timeout <= 60 &&
      var.health_check.timeout < var.health_check.interval &&
      var.health_check.retries >= 1 && var.health_check.retries <= 10 &&
      var.health_check.start_period >= 0 && var.health_check.start_period <= 300
    )
    error_message = "health_check: command starts with CMD or CMD-SHELL; interval 5-300, timeout 2-60 and below interval, retries 1-10, start_period 0-300."
  }
}

variable "log_retention_days" {
  description = "Days the container logs are kept in CloudWatch Logs."
  type        = number

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of CloudWatch Logs' retention values (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)."
  }
}

################################################################################
# Service
################################################################################

variable "capacity_provider_strategy" {
  description = "Capacity provider strategy of the service and the cluster default, keyed by provider name (FARGATE, FARGATE_SPOT)."
  type = map(object({
    weight = number
    base   = optional(number, 0)
  }))

  validation {
    condition     = length(var.capacity_provider_strategy) > 0 && alltrue([for name in keys(var.capacity_provider_strategy) : contains(["FARGATE", "FARGATE_SPOT"], name)])
    error_message = "capacity_provider_strategy keys must be FARGATE or FARGATE_SPOT (at least one)."
  }

  validation {
    condition = alltrue([for s in values(var.capacity_provider_strategy) :
    s.weight >= 0 && s.weight <= 1000 && s.base >= 0 && s.base <= 100000]) && anytrue([for s in values(var.capacity_provider_strategy) : s.weight > 0])
    error_message = "capacity_provider_strategy: weight 0-1000 with at least one above 0; base 0-100000."
  }

  validation {
    condition     = length([for s in values(var.capacity_provider_strategy) : s if s.base > 0]) <= 1
    error_message = "capacity_provider_strategy: only one provider may have a base above 0."
  }
}

variable "desired_count" {
  description = "Number of tasks the service keeps running."
  type        = number

  validation {
    condition     = var.desired_count >= 0 && floor(var.desired_count) == var.desired_count
    error_message = "desired_count must be a whole number, 0 or more."
  }
}

variable "deployment_maximum_percent" {
  description = "Upper limit of running tasks during a deployment, in percent of desired_count (100-200)."
  type        = number

  validation {
    condition     = var.deployment_maximum_percent >= 100 && var.deployment_maximum_percent <= 200
    error_message = "deployment_maximum_percent must be from 100 to 200."
  }
}

variable "deployment_minimum_healthy_percent" {
  description = "Lower limit of healthy tasks during a deployment, in percent of desired_count (0-100, below the maximum)."
  type        = number

  validation {
    condition     = var.deployment_minimum_healthy_percent >= 0 && var.deployment_minimum_healthy_percent <= 100
    error_message = "deployment_minimum_healthy_percent must be from 0 to 100."
  }

  validation {
    condition     = var.deployment_minimum_healthy_percent < var.deployment_maximum_percent
    error_message = "deployment_minimum_healthy_percent must be below deployment_maximum_percent, or a deployment could never start a new task."
  }
}

variable "deployment_circuit_breaker" {
  description = "Deployment circuit breaker: enable stops a failing deployment, rollback returns to the last working one."
  type = object({
    enable   = bool
    rollback = bool
  })
  default = { enable = true, rollback = true }

  validation {
    condition     = var.deployment_circuit_breaker.enable || !var.deployment_circuit_breaker.rollback
    error_message = "deployment_circuit_breaker.rollback needs enable = true."
  }
}

variable "service_discovery" {
  description = "Register the service in Cloud Map under <service_name>.<namespace> (private DNS), or null for no discovery."
  type = object({
    namespace    = string
    service_name = optional(string, "trading-bot")
    dns_ttl      = optional(number, 10)
  })
  default = null

  validation {
    condition     = var.service_discovery == null ? true : (can(regex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$", var.service_discovery.namespace)) && var.service_discovery.dns_ttl >= 0 && var.service_discovery.dns_ttl <= 86400)
    error_message = "service_discovery: namespace must be a DNS name with at least two labels (for example prod.trading-bot.internal); dns_ttl 0-86400."
  }
}

################################################################################
# Where it runs and what it may touch
################################################################################

variable "vpc_id" {
  description = "VPC of the service."
  type        = string
}

variable "vpc_cidr" {
  description = "CIDR of the VPC: the only source allowed to reach container_port."
  type        = string

  validation {
    condition     = can(cidrnetmask(var.vpc_cidr))
    error_message = "vpc_cidr must be an IPv4 CIDR."
  }
}

variable "subnet_ids" {
  description = "Private subnets the tasks run in (no public IP is assigned)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 1
    error_message = "subnet_ids must name at least one subnet."
  }
}

variable "repository_url" {
  description = "URL of the ECR repository the images come from."
  type        = string
}

variable "repository_arn" {
  description = "ARN of the ECR repository: the only one the execution role may pull from."
  type        = string
}

variable "config_bucket_arn" {
  description = "ARN of this environment's config bucket: the only bucket the task role may read."
  type        = string
}

variable "config_kms_key_arn" {
  description = "ARN of the KMS key that encrypts the config bucket (the task role decrypts through S3 only)."
  type        = string
}

variable "tags" {
  description = "Tags added to every resource (on top of the provider's default tags)."
  type        = map(string)
  default     = {}
}
