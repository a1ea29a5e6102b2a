data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  region     = data.aws_region.current.name
  partition  = data.aws_partition.current.partition
  arn        = "arn:${local.partition}"

  # The action list lives in permissions.json: the preflight (tbctl preflight) simulates
  # exactly these, so the policy and the check can never disagree.
  permissions = { for purpose, groups in jsondecode(file("${path.module}/permissions.json")) : purpose => groups if purpose != "_comment" }

  state_key         = "trading-bot/${var.environment}.tfstate"
  task_definitions  = "${local.arn}:ecs:${local.region}:${local.account_id}:task-definition/${var.family}:*"
  simulated_targets = length(var.simulating_principal_arns) > 0 ? var.simulating_principal_arns : ["${local.arn}:iam::${local.account_id}:role/*", "${local.arn}:iam::${local.account_id}:user/*"]

  # What each permission group may touch. A group in permissions.json without an
  # entry here fails the plan (lookup without default), so nothing goes unscoped by accident.
  resources = {
    # Actions AWS does not scope to a resource (sts, Describe*/List* of ec2, task definitions, log groups).
    identity          = ["*"]
    describe_unscoped = ["*"]
    task_definitions  = ["*"]

    state_bucket  = ["${local.arn}:s3:::${var.state_bucket}"]
    state_objects = ["${local.arn}:s3:::${var.state_bucket}/${local.state_key}", "${local.arn}:s3:::${var.state_bucket}/${local.state_key}.tflock"]

    ecs_read             = [var.cluster_arn, var.service_arn, local.task_definitions]
    task_definition_tags = [local.task_definitions]
    service_update       = [var.service_arn]

    iam_read   = ["${local.arn}:iam::${local.account_id}:role/${var.resource_prefix}-*", "${local.arn}:iam::${local.account_id}:policy/${var.resource_prefix}-*"]
    pass_roles = var.pass_role_arns
    preflight  = local.simulated_targets

    kms_read     = ["${local.arn}:kms:${local.region}:${local.account_id}:key/*"]
    logs_read    = ["${local.arn}:logs:${local.region}:${local.account_id}:log-group:/ecs/${var.resource_prefix}*", "${local.arn}:logs:${local.region}:${local.account_id}:log-group:/vpc/${var.resource_prefix}/*"]
    secrets_read = var.secret_arns

    config_bucket_read = [var.config_bucket_arn]
    config_bucket      = [var.config_bucket_arn]
    config_objects     = ["${var.config_bucket_arn}/*"]
    config_key         = [var.config_kms_key_arn]

    topic_read     = [var.alarm_topic_arn, "${var.alarm_topic_arn}:*"]
    alarms_read    = ["${local.arn}:cloudwatch:${local.region}:${local.account_id}:alarm:${var.resource_prefix}-*"]
    events_read    = ["${local.arn}:events:${local.region}:${local.account_id}:rule/${var.resource_prefix}-*"]
    discovery_read = ["${local.arn}:servicediscovery:${local.region}:${local.account_id}:namespace/*", "${local.arn}:servicediscovery:${local.region}:${local.account_id}:service/*"]
    registry_read  = [var.repository_arn]
  }

  # Conditions that narrow a group further: {test, variable, values}.
  conditions = {
    pass_roles = [{ test = "StringEquals", variable = "iam:PassedToService", values = ["ecs-tasks.amazonaws.com"] }]
    config_key = [{ test = "StringEquals", variable = "kms:ViaService", values = ["s3.${local.region}.amazonaws.com"] }]
  }

  statements = flatten([
    for purpose, groups in local.permissions : [
      for group, actions in groups : {
        sid        = join("", [for word in split("_", "${purpose}_${group}") : title(word)])
        actions    = sort(actions)
        resources  = local.resources[group]
        conditions = lookup(local.conditions, group, [])
      }
    ]
  ])

  actions = sort(distinct(flatten([for groups in values(local.permissions) : flatten(values(groups))])))
}

################################################################################
# Deploy policy: what `make plan` and `make deploy` need for one environment
# https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
################################################################################

data "aws_iam_policy_document" "this" {
  dynamic "statement" {
    for_each = local.statements

    content {
      sid       = statement.value.sid
      actions   = statement.value.actions
      resources = statement.value.resources

      dynamic "condition" {
        for_each = statement.value.conditions

        content {
          test     = condition.value.test
          variable = condition.value.variable
          values   = condition.value.values
        }
      }
    }
  }
}

resource "aws_iam_policy" "this" {
  #checkov:skip=CKV_AWS_355:Only actions AWS cannot scope to a resource get "*" (sts:GetCallerIdentity, ec2 Describe*, ecs Register/Deregister/Describe/ListTaskDefinitions, logs:DescribeLogGroups, kms:ListAliases); every other group is scoped to this environment's ARNs.
  name        = var.name
  description = "What make plan and make deploy need for the ${var.environment} trading bot; attach to the CI role."
  policy      = data.aws_iam_policy_document.this.json

  tags = var.tags
}
