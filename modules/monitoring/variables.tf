variable "name" {
  description = "Name prefix, e.g. \"shop-prod\"."
  type        = string
}

variable "region" {
  description = "AWS region shown by the dashboard widgets."
  type        = string
}

variable "alarm_email" {
  description = "E-mail address subscribed to the alerts topic; null for none."
  type        = string
  default     = null
}

variable "cluster_name" {
  description = "Name of the ECS cluster (ClusterName dimension)."
  type        = string
}

variable "service_names" {
  description = "ECS service names to alarm on and chart, by service key."
  type        = map(string)
}

variable "target_group_arn_suffixes" {
  description = "Target group ARN suffix by service key, for the services behind the load balancer."
  type        = map(string)
  default     = {}
}

variable "alb_arn_suffix" {
  description = "ARN suffix of the load balancer (LoadBalancer dimension)."
  type        = string
}

variable "db_instance_identifier" {
  description = "Identifier of the database instance (DBInstanceIdentifier dimension)."
  type        = string
}

variable "db_allocated_storage" {
  description = "Allocated storage of the database in GiB; the free-space alarm fires below 10% of it."
  type        = number
}

variable "dlq_name" {
  description = "Name of the dead-letter queue; any visible message raises an alarm."
  type        = string
}

variable "cpu_alarm_threshold" {
  description = "Average service CPU (percent) above which an alarm fires."
  type        = number
  default     = 85
}

variable "memory_alarm_threshold" {
  description = "Average service memory (percent) above which an alarm fires."
  type        = number
  default     = 85
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
