data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

data "aws_partition" "current" {}

locals {
  account_id     = data.aws_caller_identity.current.account_id
  region         = data.aws_region.current.name
  partition      = data.aws_partition.current.partition
  log_group_name = "/ecs/${var.name}"
  log_group_arn  = "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:${local.log_group_name}"
  stream_prefix  = "ecs"
  image          = coalesce(var.image, "${var.repository_url}:baseline")

  # The provider with the largest weight is the one a task normally lands on (what cost reports use).
  capacity_provider = [for name, s in var.capacity_provider_strategy : name if s.weight == max(values(var.capacity_provider_strategy)[*].weight...)][0]

  # healthCheck exactly as ECS spells it, shared by the task definition and the output the renderer reads.
  health_check = var.health_check == null ? null : {
    command     = var.health_check.command
    interval    = var.health_check.interval
    timeout     = var.health_check.timeout
    retries     = var.health_check.retries
    startPeriod = var.health_check.start_period
  }

  secrets = { for name in var.secret_names : name => aws_secretsmanager_secret.this[name].arn }
}

################################################################################
# Encryption key: the environment's secrets and container logs
# https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html
# https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
################################################################################

module "key" {
  source = "../kms-key"

  alias       = var.name
  description = "${var.name}: secrets and container logs"
  # CloudWatch Logs may use the key for this log group only.
  service_grants = [{
    sid      = "LogGroupEncrypts"
    services = ["logs.${local.region}.amazonaws.com"]
    actions  = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    condition = {
      test     = "ArnEquals"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = [local.log_group_arn]
    }
  }]
  tags = var.tags
}

################################################################################
# Secrets: declared without values (set out of band), injected with valueFrom
# https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html
################################################################################

resource "aws_secretsmanager_secret" "this" {
  #checkov:skip=CKV2_AWS_57:Exchange API keys are issued by Bybit and rotated there, out of band; no rotation Lambda can mint them.
  for_each = toset(var.secret_names)

  name                    = "${var.name}/${each.key}"
  description             = "${each.key} of the ${var.environment} trading bot; value set out of band, never in Terraform."
  kms_key_id              = module.key.arn
  recovery_window_in_days = var.secret_recovery_window_days

  tags = var.tags
}

################################################################################
# Log group
# https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html
################################################################################

resource "aws_cloudwatch_log_group" "this" {
  #checkov:skip=CKV_AWS_338:Retention is set per environment: production keeps 365 days (asserted by terraform test); development keeps 30 days of DEBUG logs, which have no audit value.
  name              = local.log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = module.key.arn

  tags = var.tags

  # The key policy must name this log group before CloudWatch Logs may use the key.
  depends_on = [module.key]
}

################################################################################
# Task Execution - IAM Role: pull the image, write logs, read the secrets
# https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html
################################################################################

data "aws_iam_policy_document" "assume_ecs_tasks" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }

    # Confused-deputy guard: only ECS acting for this account may assume the roles.
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:ecs:${local.region}:${local.account_id}:*"]
    }
  }
}

resource "aws_iam_role" "task_execution" {
  name               = "${var.name}-task-execution"
  description        = "ECS agent for ${var.name}: pulls the image, writes logs, reads the secrets."
  assume_role_policy = data.aws_iam_policy_document.assume_ecs_tasks.json

  tags = var.tags
}

data "aws_iam_policy_document" "task_execution" {
  # ecr:GetAuthorizationToken has no resource-level permissions: "*" is the only
  # valid resource; the pulls themselves are scoped to one repository.
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid       = "PullTradingBotImages"
    actions   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    resources = [var.repository_arn]
  }

  statement {
    sid       = "WriteOwnLogGroup"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:log-stream:*"]
  }

  statement {
    sid       = "ReadOwnSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = values(local.secrets)
  }

  statement {
    sid       = "DecryptOwnSecrets"
    actions   = ["kms:Decrypt"]
    resources = [module.key.arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${local.region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "task_execution" {
  name   = "pull-log-read-secrets"
  role   = aws_iam_role.task_execution.id
  policy = data.aws_iam_policy_document.task_execution.json
}

################################################################################
# Tasks - IAM Role: what the bot itself may do (read its config)
# https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html
################################################################################

resource "aws_iam_role" "task" {
  name               = "${var.name}-task"
  description        = "The ${var.name} container: reads its environment's config bucket."
  assume_role_policy = data.aws_iam_policy_document.assume_ecs_tasks.json

  tags = var.tags
}

data "aws_iam_policy_document" "task" {
  statement {
    sid       = "ListConfigBucket"
    actions   = ["s3:ListBucket", "s3:ListBucketVersions"]
    resources = [var.config_bucket_arn]
  }

  statement {
    sid       = "ReadConfigObjects"
    actions   = ["s3:GetObject", "s3:GetObjectVersion"]
    resources = ["${var.config_bucket_arn}/*"]
  }

  statement {
    sid       = "DecryptConfigObjects"
    actions   = ["kms:Decrypt"]
    resources = [var.config_kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${local.region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "task" {
  name   = "read-config"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task.json
}

################################################################################
# Security group: the port from inside the VPC, HTTPS out
# https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-networking.html
################################################################################

resource "aws_security_group" "this" {
  # A prefix, not a name: create_before_destroy needs the replacement to coexist with the old group.
  name_prefix = "${var.name}-service-"
  description = "${var.name} tasks: ${var.container_port}/tcp from the VPC, HTTPS out"
  vpc_id      = var.vpc_id

  ingress {
    description = "Health checks and service discovery clients inside the VPC"
    from_port   = var.container_port
    to_port     = var.container_port
    protocol    = "tcp"
    cidr_blocks = [var.vpc_cidr]
  }

  egress {
    description = "HTTPS to the exchange API, ECR, Secrets Manager, S3 and CloudWatch"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = merge(var.tags, { Name = "${var.name}-service" })

  lifecycle {
    create_before_destroy = true
  }
}

################################################################################
# Cluster
# https://docs.aws.amazon.com/AmazonECS/latest/developerguide/clusters.html
################################################################################

resource "aws_ecs_cluster" "this" {
  name = var.name

  setting {
    name  = "containerInsights"
    value = "enabled"
  }

  tags = var.tags
}

# https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html
resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = aws_ecs_cluster.this.name
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]

  dynamic "default_capacity_provider_strategy" {
    for_each = var.capacity_provider_strategy

    content {
      capacity_provider = default_capacity_provider_strategy.key
      weight            = default_capacity_provider_strategy.value.weight
      base              = default_capacity_provider_strategy.value.base
    }
  }
}

################################################################################
# Baseline task definition: the first revision; the deploy tool registers the rest
# https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html
################################################################################

resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = tostring(var.cpu)
  memory                   = tostring(var.memory)
  execution_role_arn       = aws_iam_role.task_execution.arn
  task_role_arn            = aws_iam_role.task.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([
    merge(
      {
        name                   = var.container_name
        image                  = local.image
        essential              = true
        readonlyRootFilesystem = true
        portMappings = [{
          containerPort = var.container_port
          hostPort      = var.container_port
          protocol      = "tcp"
        }]
        environment = [for key in sort(keys(var.environment_variables)) : { name = key, value = var.environment_variables[key] }]
        secrets     = [for name in sort(var.secret_names) : { name = name, valueFrom = local.secrets[name] }]
        logConfiguration = {
          logDriver = "awslogs"
          options = {
            awslogs-group         = aws_cloudwatch_log_group.this.name
            awslogs-region        = local.region
            awslogs-stream-prefix = local.stream_prefix
          }
        }
      },
      local.health_check == null ? {} : { healthCheck = local.health_check },
    )
  ])

  # The deploy tool prunes old revisions; this tag tells it the baseline is Terraform's.
  tags = merge(var.tags, { managed-by = "terraform" })
}

################################################################################
# Service discovery (Cloud Map), when enabled
# https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-discovery.html
################################################################################

resource "aws_service_discovery_private_dns_namespace" "this" {
  count = var.service_discovery == null ? 0 : 1

  name        = var.service_discovery.namespace
  description = "Private DNS for ${var.name}"
  vpc         = var.vpc_id

  tags = var.tags
}

resource "aws_service_discovery_service" "this" {
  count = var.service_discovery == null ? 0 : 1

  name = var.service_discovery.service_name

  dns_config {
    namespace_id   = aws_service_discovery_private_dns_namespace.this[0].id
    routing_policy = "MULTIVALUE"

    dns_records {
      type = "A"
      ttl  = var.service_discovery.dns_ttl
    }
  }

  # ECS reports task health to Cloud Map itself.
  health_check_custom_config {
    failure_threshold = 1
  }

  tags = var.tags
}

################################################################################
# Service
# https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_services.html
################################################################################

resource "aws_ecs_service" "this" {
  name                               = var.name
  cluster                            = aws_ecs_cluster.this.id
  task_definition                    = aws_ecs_task_definition.this.arn
  desired_count                      = var.desired_count
  platform_version                   = "LATEST"
  deployment_maximum_percent         = var.deployment_maximum_percent
  deployment_minimum_healthy_percent = var.deployment_minimum_healthy_percent
  enable_ecs_managed_tags            = true
  propagate_tags                     = "SERVICE"
  wait_for_steady_state              = false # the deploy tool waits for rollouts, with its own progress and limits

  dynamic "capacity_provider_strategy" {
    for_each = var.capacity_provider_strategy

    content {
      capacity_provider = capacity_provider_strategy.key
      weight            = capacity_provider_strategy.value.weight
      base              = capacity_provider_strategy.value.base
    }
  }

  deployment_circuit_breaker {
    enable   = var.deployment_circuit_breaker.enable
    rollback = var.deployment_circuit_breaker.rollback
  }

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = [aws_security_group.this.id]
    assign_public_ip = false
  }

  dynamic "service_registries" {
    for_each = aws_service_discovery_service.this

    content {
      registry_arn = service_registries.value.arn
    }
  }

  tags = var.tags

  # The deploy tool owns task-definition revisions from the first apply on;
  # flipping this later would make Terraform re-create the service.
  lifecycle {
    ignore_changes = [task_definition]
  }

  depends_on = [
    aws_ecs_cluster_capacity_providers.this,
    aws_iam_role_policy.task_execution,
    aws_iam_role_policy.task,
  ]
}
