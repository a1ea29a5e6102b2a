output "bucket" {
  description = "Name of the config bucket."
  value       = aws_s3_bucket.this.bucket
}

output "bucket_arn" {
  description = "ARN of the config bucket."
  value       = aws_s3_bucket.this.arn
}

output "kms_key_arn" {
  description = "ARN of the customer-managed key that encrypts the config objects (writers need GenerateDataKey, readers Decrypt)."
  value       = module.key.arn
}
