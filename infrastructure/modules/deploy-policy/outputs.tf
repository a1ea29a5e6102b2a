output "arn" {
  description = "ARN of the deploy policy (attach it to the CI / deploy role)."
  value       = aws_iam_policy.this.arn
}

output "json" {
  description = "The policy document as JSON."
  value       = data.aws_iam_policy_document.this.json
}

output "actions" {
  description = "Every action the policy grants, sorted (what the preflight simulates)."
  value       = local.actions
}

output "plan_actions" {
  description = "The actions `make plan` needs, sorted."
  value       = sort(distinct(flatten(values(local.permissions.plan))))
}
