# Production: three AZs with a NAT gateway each, a Multi-AZ database,
# deletion protection, several tasks per service and CPU autoscaling.

project     = "shopfront"
environment = "prod"
region      = "eu-west-1"
domain_name = "shopfront.example.com"

vpc_cidr           = "10.30.0.0/16"
azs                = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
single_nat_gateway = false

db_instance_class        = "db.m7g.large"
db_allocated_storage     = 200
db_multi_az              = true
db_backup_retention_days = 30
deletion_protection      = true

services = {
  api = {
    image_tag         = "v1.13.4"
    cpu               = 1024
    memory            = 2048
    desired_count     = 3
    port              = 8080
    path_patterns     = ["/api/*"]
    priority          = 100
    health_check_path = "/api/healthz"
  }
  web = {
    image_tag         = "v1.13.4"
    cpu               = 512
    memory            = 1024
    desired_count     = 2
    port              = 3000
    path_patterns     = ["/*"]
    priority          = 900
    health_check_path = "/healthz"
  }
  worker = {
    image_tag         = "v1.13.4"
    cpu               = 512
    memory            = 1024
    desired_count     = 2
    port              = 8080
    path_patterns     = []
    priority          = 0
    health_check_path = "/healthz"
  }
}

extra_ecr_repositories = ["migrations"]

autoscaling_enabled    = true
fargate_spot           = false
enable_execute_command = false
container_insights     = true
enable_waf             = true

log_retention_days = 90
alarm_email        = "oncall@shopfront.example.com"

tags = {
  CostCenter  = "engineering"
  DataClass   = "confidential"
  Criticality = "high"
}
