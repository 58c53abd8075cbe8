variable "project" {
  description = "Project name, the first part of every resource name."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,14}$", var.project))
    error_message = "The project must be 2-15 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "environment" {
  description = "Environment name."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "The environment must be one of dev, staging or prod."
  }
}

variable "region" {
  description = "AWS region of the environment."
  type        = string
  default     = "eu-west-1"
}

variable "domain_name" {
  description = "Public DNS zone of the environment, e.g. \"dev.shop.example.com\"."
  type        = string
}

variable "app_subdomain" {
  description = "Subdomain of domain_name the app is served on; empty to serve it on domain_name itself."
  type        = string
  default     = "app"
}

variable "vpc_cidr" {
  description = "IPv4 CIDR block of the VPC."
  type        = string
  default     = "10.0.0.0/16"
}

variable "azs" {
  description = "Availability zones to use, at least two, in var.region."
  type        = list(string)
}

variable "single_nat_gateway" {
  description = "One shared NAT gateway instead of one per availability zone."
  type        = bool
  default     = true
}

variable "db_instance_class" {
  description = "RDS instance class of the PostgreSQL database."
  type        = string
  default     = "db.t4g.micro"
}

variable "db_allocated_storage" {
  description = "Initial database storage in GiB."
  type        = number
  default     = 20
}

variable "db_multi_az" {
  description = "Run the database with a standby in a second availability zone."
  type        = bool
  default     = false
}

variable "db_backup_retention_days" {
  description = "Days of automated database backups to keep."
  type        = number
  default     = 7
}

variable "deletion_protection" {
  description = "Protect stateful resources (database, load balancer, buckets, secrets) against deletion."
  type        = bool
  default     = false
}

variable "services" {
  description = "ECS services by name. Each needs an image tag (pushed to the ECR repository of the same name), Fargate cpu/memory, a task count, its container port, the listener path patterns routed to it (empty: not exposed), a unique listener rule priority and a health check path."
  type = map(object({
    image_tag         = string
    cpu               = number
    memory            = number
    desired_count     = number
    port              = number
    path_patterns     = list(string)
    priority          = number
    health_check_path = string
  }))
}

variable "extra_ecr_repositories" {
  description = "ECR repositories to create besides one per service (e.g. for migration or batch images)."
  type        = list(string)
  default     = []
}

variable "autoscaling_enabled" {
  description = "Scale the ECS services on CPU."
  type        = bool
  default     = false
}

variable "fargate_spot" {
  description = "Run the ECS services on Fargate Spot."
  type        = bool
  default     = false
}

variable "enable_execute_command" {
  description = "Allow `aws ecs execute-command` into running tasks."
  type        = bool
  default     = false
}

variable "container_insights" {
  description = "Enable CloudWatch Container Insights on the ECS cluster."
  type        = bool
  default     = false
}

variable "enable_waf" {
  description = "Put a WAF web ACL in front of the load balancer."
  type        = bool
  default     = true
}

variable "log_retention_days" {
  description = "Retention of the application and VPC flow log groups, in days (a value CloudWatch Logs accepts)."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "The log_retention_days must be one of the retention periods CloudWatch Logs supports."
  }
}

variable "alarm_email" {
  description = "E-mail address receiving alarm notifications; null for none."
  type        = string
  default     = null
}

variable "tags" {
  description = "Extra tags for every resource, on top of Project, Environment and ManagedBy."
  type        = map(string)
  default     = {}
}
