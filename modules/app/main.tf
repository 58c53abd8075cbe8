locals {
  namespace_name = "${var.name}.internal"

  # Plain settings and Secrets Manager references given to every service.
  shared_environment = {
    APP_ENV                  = var.environment
    AWS_REGION               = var.region
    PUBLIC_URL               = "https://${var.hostname}"
    JOBS_QUEUE_URL           = var.queue_url
    ASSETS_BUCKET            = var.assets_bucket_name
    SERVICE_DISCOVERY_DOMAIN = local.namespace_name
  }

  shared_secrets = {
    DATABASE_URL      = "${var.db_secret_arn}:url::"
    DATABASE_PASSWORD = "${var.db_secret_arn}:password::"
  }
}

resource "aws_ecs_cluster" "this" {
  name = var.name

  setting {
    name  = "containerInsights"
    value = var.container_insights ? "enabled" : "disabled"
  }

  tags = var.tags
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = aws_ecs_cluster.this.name
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]

  default_capacity_provider_strategy {
    capacity_provider = var.fargate_spot ? "FARGATE_SPOT" : "FARGATE"
    weight            = 1
  }
}

resource "aws_service_discovery_private_dns_namespace" "this" {
  name        = local.namespace_name
  description = "Service discovery for ${var.name}"
  vpc         = var.vpc_id

  tags = var.tags
}

module "service" {
  source   = "./service"
  for_each = var.services

  name        = each.key
  project     = var.project
  environment = var.environment
  region      = var.region

  # Taken from the capacity providers resource so services are created only
  # once Fargate (Spot) is available on the cluster.
  cluster_name      = aws_ecs_cluster_capacity_providers.this.cluster_name
  capacity_provider = var.fargate_spot ? "FARGATE_SPOT" : "FARGATE"

  image             = "${var.repository_urls[each.key]}:${each.value.image_tag}"
  cpu               = each.value.cpu
  memory            = each.value.memory
  desired_count     = each.value.desired_count
  port              = each.value.port
  path_patterns     = each.value.path_patterns
  priority          = each.value.priority
  health_check_path = each.value.health_check_path

  hostname          = var.hostname
  listener_arn      = aws_lb_listener.https.arn
  vpc_id            = var.vpc_id
  subnet_ids        = var.private_subnet_ids
  security_group_id = var.ecs_security_group_id
  namespace_id      = aws_service_discovery_private_dns_namespace.this.id

  execution_role_arn     = aws_iam_role.execution.arn
  task_role_arn          = aws_iam_role.task.arn
  enable_execute_command = var.enable_execute_command

  environment_variables = merge(local.shared_environment, { SERVICE_NAME = each.key })
  secrets               = local.shared_secrets

  log_retention_days  = var.log_retention_days
  autoscaling_enabled = var.autoscaling_enabled

  tags = merge(var.tags, { Service = each.key })

  # Tasks fail to start (secrets, image pull) until both roles carry their
  # permissions, which live in resources the ARNs above do not reference.
  depends_on = [
    aws_iam_role_policy_attachment.execution,
    aws_iam_role_policy.execution,
    aws_iam_role_policy.task,
  ]
}
