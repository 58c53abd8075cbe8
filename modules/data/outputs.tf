output "kms_key_arn" {
  description = "ARN of the KMS key encrypting the database, the assets bucket and the secrets."
  value       = aws_kms_key.this.arn
}

output "db_instance_identifier" {
  description = "Identifier of the database instance (DBInstanceIdentifier metric dimension)."
  value       = aws_db_instance.this.identifier
}

output "db_address" {
  description = "Host name of the database."
  value       = aws_db_instance.this.address
}

output "db_port" {
  description = "Port of the database."
  value       = aws_db_instance.this.port
}

output "db_secret_arn" {
  description = "ARN of the Secrets Manager secret holding the database connection settings (JSON: host, port, dbname, username, password, url)."
  value       = aws_secretsmanager_secret.db.arn
  # Consumers (ECS tasks) must start only once the secret holds a value.
  depends_on = [aws_secretsmanager_secret_version.db]
}

output "queue_arn" {
  description = "ARN of the jobs queue."
  value       = aws_sqs_queue.jobs.arn
}

output "queue_url" {
  description = "URL of the jobs queue."
  value       = aws_sqs_queue.jobs.url
}

output "dlq_arn" {
  description = "ARN of the jobs dead-letter queue."
  value       = aws_sqs_queue.jobs_dlq.arn
}

output "dlq_name" {
  description = "Name of the jobs dead-letter queue (QueueName metric dimension)."
  value       = aws_sqs_queue.jobs_dlq.name
}

output "assets_bucket_name" {
  description = "Name of the assets bucket."
  value       = aws_s3_bucket.assets.id
}

output "assets_bucket_arn" {
  description = "ARN of the assets bucket."
  value       = aws_s3_bucket.assets.arn
}

output "alb_logs_bucket" {
  description = "Name of the load balancer access log bucket, returned once its policy allows log delivery."
  value       = aws_s3_bucket.alb_logs.id
  # The load balancer checks that it may write to the bucket when access logs
  # are enabled, so hand out the name only after the policy exists.
  depends_on = [aws_s3_bucket_policy.alb_logs]
}

output "alb_logs_prefix" {
  description = "Key prefix the bucket policy allows the load balancer to write under."
  value       = var.alb_logs_prefix
}
