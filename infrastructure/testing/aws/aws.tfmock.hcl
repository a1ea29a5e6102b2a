# The AWS provider every `terraform test` in infrastructure/ mocks: what the tests read from
# resources and data sources that a mock would otherwise fill with random strings (ARNs, names).
# Each test file loads it with: mock_provider "aws" { source = "<relative path to this folder>" }

mock_data "aws_caller_identity" {
  defaults = { account_id = "123456789012", arn = "arn:aws:iam::123456789012:user/test" }
}
mock_data "aws_region" {
  defaults = { name = "us-east-1" }
}
mock_data "aws_partition" {
  defaults = { partition = "aws" }
}
mock_data "aws_ecr_repository" {
  defaults = {
    name           = "trading-bot"
    arn            = "arn:aws:ecr:us-east-1:123456789012:repository/trading-bot"
    repository_url = "123456789012.dkr.ecr.us-east-1.amazonaws.com/trading-bot"
  }
}
mock_data "aws_iam_policy_document" {
  defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
}
mock_resource "aws_iam_role" {
  defaults = { arn = "arn:aws:iam::123456789012:role/mocked" }
}
mock_resource "aws_secretsmanager_secret" {
  defaults = { arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:mocked" }
}
mock_resource "aws_ecs_service" {
  defaults = { id = "arn:aws:ecs:us-east-1:123456789012:service/mocked/mocked" }
}
mock_resource "aws_sns_topic" {
  defaults = { arn = "arn:aws:sns:us-east-1:123456789012:mocked" }
}
mock_resource "aws_kms_key" {
  defaults = { arn = "arn:aws:kms:us-east-1:123456789012:key/mocked" }
}
mock_resource "aws_cloudwatch_log_group" {
  defaults = { arn = "arn:aws:logs:us-east-1:123456789012:log-group:mocked" }
}
mock_resource "aws_s3_bucket" {
  defaults = { arn = "arn:aws:s3:::mocked" }
}
mock_resource "aws_ecs_cluster" {
  defaults = { arn = "arn:aws:ecs:us-east-1:123456789012:cluster/mocked", id = "arn:aws:ecs:us-east-1:123456789012:cluster/mocked" }
}
mock_resource "aws_ecs_task_definition" {
  defaults = { arn = "arn:aws:ecs:us-east-1:123456789012:task-definition/mocked:1" }
}
mock_resource "aws_service_discovery_service" {
  defaults = { arn = "arn:aws:servicediscovery:us-east-1:123456789012:service/srv-mocked" }
}
mock_resource "aws_cloudwatch_event_rule" {
  defaults = { arn = "arn:aws:events:us-east-1:123456789012:rule/mocked" }
}
mock_resource "aws_iam_policy" {
  defaults = { arn = "arn:aws:iam::123456789012:policy/mocked" }
}
