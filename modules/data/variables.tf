variable "name" {
  description = "Name prefix, e.g. \"shop-prod\"."
  type        = string
}

variable "region" {
  description = "AWS region, used to pick the Elastic Load Balancing log delivery principal."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets for the database subnet group."
  type        = list(string)
}

variable "db_security_group_id" {
  description = "Security group attached to the database."
  type        = string
}

variable "db_engine_version" {
  description = "PostgreSQL major (or major.minor) version."
  type        = string
  default     = "16"
}

variable "db_instance_class" {
  description = "RDS instance class."
  type        = string
}

variable "db_allocated_storage" {
  description = "Initial storage of the database, in GiB; autoscaling may grow it up to twice this."
  type        = number
}

variable "db_multi_az" {
  description = "Run a synchronous standby in a second availability zone."
  type        = bool
  default     = false
}

variable "db_backup_retention_days" {
  description = "Days of automated backups to keep."
  type        = number
  default     = 7
}

variable "db_name" {
  description = "Name of the application database."
  type        = string
  default     = "app"
}

variable "db_username" {
  description = "Master user name of the database."
  type        = string
  default     = "app_admin"
}

variable "deletion_protection" {
  description = "Protect stateful resources: database deletion protection and final snapshot, no force-destroy of buckets, 30-day secret recovery window."
  type        = bool
  default     = false
}

variable "queue_visibility_timeout" {
  description = "Visibility timeout of the jobs queue, in seconds; longer than the slowest job."
  type        = number
  default     = 120
}

variable "queue_max_receive_count" {
  description = "Receives of a message before it moves to the dead-letter queue."
  type        = number
  default     = 5
}

variable "alb_log_retention_days" {
  description = "Days load balancer access logs are kept in S3."
  type        = number
  default     = 90
}

variable "alb_logs_prefix" {
  description = "Key prefix the load balancer writes its access logs under."
  type        = string
  default     = "alb"
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
