# Root module of one environment. Run from this directory with the environment's
# variables, e.g.
#
#   terraform init
#   terraform plan -var-file=../environments/dev.tfvars
#
# Persistent infrastructure lives in network, edge, registry and data; the
# application layer (ECS, IAM, listeners, DNS records, alarms) in app and
# monitoring, which consume the former through module outputs.

locals {
  name = "${var.project}-${var.environment}"

  common_tags = merge(var.tags, {
    Project     = var.project
    Environment = var.environment
    ManagedBy   = "terraform"
  })

  app_hostname = var.app_subdomain == "" ? var.domain_name : "${var.app_subdomain}.${var.domain_name}"

  ecr_repositories = toset(concat(keys(var.services), var.extra_ecr_repositories))
}

module "network" {
  source = "./network"

  name                    = local.name
  region                  = var.region
  cidr                    = var.vpc_cidr
  azs                     = var.azs
  single_nat_gateway      = var.single_nat_gateway
  flow_log_retention_days = var.log_retention_days

  tags = merge(local.common_tags, { Component = "network" })
}

module "data" {
  source = "./data"

  name                     = local.name
  region                   = var.region
  private_subnet_ids       = module.network.private_subnet_ids
  db_security_group_id     = module.network.db_security_group_id
  db_instance_class        = var.db_instance_class
  db_allocated_storage     = var.db_allocated_storage
  db_multi_az              = var.db_multi_az
  db_backup_retention_days = var.db_backup_retention_days
  db_name                  = replace(var.project, "-", "_")
  deletion_protection      = var.deletion_protection

  tags = merge(local.common_tags, { Component = "data" })
}

module "edge" {
  source = "./edge"

  name                  = local.name
  domain_name           = var.domain_name
  public_subnet_ids     = module.network.public_subnet_ids
  alb_security_group_id = module.network.alb_security_group_id
  access_logs_bucket    = module.data.alb_logs_bucket
  access_logs_prefix    = module.data.alb_logs_prefix
  deletion_protection   = var.deletion_protection
  enable_waf            = var.enable_waf

  tags = merge(local.common_tags, { Component = "edge" })

  # An internet-facing load balancer can only be created once the internet
  # gateway is attached and the public subnets route to it, which the subnet
  # and security group IDs above do not imply.
  depends_on = [module.network]
}

module "registry" {
  source = "./registry"

  namespace    = local.name
  repositories = local.ecr_repositories
  force_delete = !var.deletion_protection

  tags = merge(local.common_tags, { Component = "registry" })
}

module "app" {
  source = "./app"

  name        = local.name
  project     = var.project
  environment = var.environment
  region      = var.region

  vpc_id                = module.network.vpc_id
  private_subnet_ids    = module.network.private_subnet_ids
  ecs_security_group_id = module.network.ecs_security_group_id

  alb_arn         = module.edge.alb_arn
  alb_dns_name    = module.edge.alb_dns_name
  alb_zone_id     = module.edge.alb_zone_id
  certificate_arn = module.edge.certificate_arn
  zone_id         = module.edge.zone_id
  hostname        = local.app_hostname

  services        = var.services
  repository_urls = module.registry.repository_urls

  db_secret_arn      = module.data.db_secret_arn
  kms_key_arn        = module.data.kms_key_arn
  queue_arn          = module.data.queue_arn
  queue_url          = module.data.queue_url
  assets_bucket_name = module.data.assets_bucket_name
  assets_bucket_arn  = module.data.assets_bucket_arn

  autoscaling_enabled    = var.autoscaling_enabled
  fargate_spot           = var.fargate_spot
  enable_execute_command = var.enable_execute_command
  container_insights     = var.container_insights
  log_retention_days     = var.log_retention_days

  tags = merge(local.common_tags, { Component = "app" })
}

module "monitoring" {
  source = "./monitoring"

  name        = local.name
  region      = var.region
  alarm_email = var.alarm_email

  cluster_name              = module.app.cluster_name
  service_names             = module.app.service_names
  target_group_arn_suffixes = module.app.target_group_arn_suffixes
  alb_arn_suffix            = module.edge.alb_arn_suffix
  db_instance_identifier    = module.data.db_instance_identifier
  db_allocated_storage      = var.db_allocated_storage
  dlq_name                  = module.data.dlq_name

  tags = merge(local.common_tags, { Component = "monitoring" })
}
