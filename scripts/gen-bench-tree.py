#!/usr/bin/env python3
# gen-bench-tree.py: generate a large, realistic Terraform configuration for benchmarking tfscope.
#
#   scripts/gen-bench-tree.py OUT_DIR [--files 2000] [--resources 20000] [--seed 1]
#
# Writes a root module plus ~files/50 local child modules (network, platform, data, edge, app,
# nested app services, monitoring) with exactly --files `.tf` files and exactly --resources
# `resource` blocks, using AWS types from a realistic base/runtime mix. Modules are wired the
# way real code is: apps take vpc/subnets from a network module, secrets/queues from a data
# module, the load balancer from an edge module; some calls use count/for_each over literal
# maps, some use module-level depends_on. Inside modules resources reference each other, locals,
# data sources, `for` expressions, `dynamic` blocks, jsonencode and heredoc templates.
# The output is deterministic for a given (files, resources, seed) and acyclic by construction:
# within a module a resource only references resources emitted before it, and module inputs only
# flow from earlier module kinds (network/platform -> data -> edge -> app -> monitoring).
# No base-layer resource depends on a runtime one, except random_password read by databases
# (promoted to base on purpose) and route53 validation records read by ACM validations.
# Python 3 standard library only.

import argparse
import os
import random
import re
import shutil
import sys
import textwrap

MARKER = ".tfscope-bench-tree"


def T(text, **kw):
    """Dedent `text` and replace <<key>> placeholders (HCL's own `<<-EOT` never matches)."""

    def rep(m):
        key = m.group(1)
        if key not in kw:
            raise KeyError(f"template placeholder <<{key}>> not given")
        return str(kw[key])

    return re.sub(r"<<(\w+)>>", rep, textwrap.dedent(text).strip("\n"))


def indent(text, n=2):
    return textwrap.indent(text, " " * n)


class Full(Exception):
    """The module's resource budget is used up."""


# --------------------------------------------------------------------------------------------
# Module specs (one per module directory; every directory is called exactly once)
# --------------------------------------------------------------------------------------------


class Spec:
    def __init__(self, kind, index, name, parent=None):
        self.kind = kind
        self.index = index
        self.name = name  # call name
        self.parent = parent
        self.children = []
        self.files = 0
        self.budget = 0
        self.repetition = None  # ("count" | "for_each", expr, ref_style)
        self.first_key = None  # for references into a keyed call: '["primary"]' / '[0]'
        self.depends_on = []
        self.inputs = {}  # name -> HCL expression in the caller's scope
        if parent is None:
            self.dir = os.path.join("modules", name)
            self.source = f"./modules/{name}"
        else:
            # Nested modules live in a subdirectory named after what they are.
            self.dir = os.path.join(parent.dir, kind)
            self.source = f"./{kind}"

    def out(self, output):
        """Expression for one value of an output, as seen from the caller."""
        key = self.first_key or ""
        return f"module.{self.name}{key}.{output}"

    def out_list(self, output):
        """Expression for a list of the output over every instance."""
        if self.repetition is None:
            return f"[module.{self.name}.{output}]"
        if self.repetition[0] == "count":
            return f"module.{self.name}[*].{output}"
        return f"[for k, m in module.{self.name} : m.{output}]"


# Fixed (non-resource) files of each module kind. main.tf holds the anchors.
FIXED_FILES = {
    "network": ["versions.tf", "variables.tf", "locals.tf", "outputs.tf", "main.tf"],
    "platform": ["versions.tf", "variables.tf", "locals.tf", "outputs.tf", "main.tf"],
    "data": ["versions.tf", "variables.tf", "locals.tf", "outputs.tf", "main.tf"],
    "edge": ["versions.tf", "variables.tf", "locals.tf", "outputs.tf", "main.tf"],
    "app": ["versions.tf", "variables.tf", "locals.tf", "outputs.tf", "main.tf", "data.tf"],
    "service": ["versions.tf", "variables.tf", "locals.tf", "outputs.tf", "main.tf", "data.tf"],
    "monitoring": ["versions.tf", "variables.tf", "locals.tf", "outputs.tf", "main.tf"],
}
ANCHORS = {
    "network": 8,
    "platform": 4,
    "data": 11,
    "edge": 6,
    "app": 7,
    "service": 12,
    "monitoring": 4,
}
ROOT_FILES = [
    "versions.tf",
    "providers.tf",
    "variables.tf",
    "locals.tf",
    "outputs.tf",
    "network.tf",
    "data.tf",
    "edge.tf",
    "apps.tf",
    "monitoring.tf",
]


def plan_modules(n_modules):
    """Decide module kinds for n_modules directories (nested services count too)."""
    r = lambda f: max(1, round(n_modules * f))  # noqa: E731
    n_net, n_plat, n_data, n_edge, n_mon = r(0.1), r(0.05), r(0.125), r(0.075), r(0.075)
    rest = n_modules - (n_net + n_plat + n_data + n_edge + n_mon)
    if rest < 1:
        raise SystemExit("too few modules for the mix; raise --files")
    n_child = rest * 7 // 23
    n_app = rest - n_child
    nets = [Spec("network", i, f"network_{i:02d}") for i in range(n_net)]
    plats = [Spec("platform", i, f"platform_{i:02d}") for i in range(n_plat)]
    datas = [Spec("data", i, f"data_{i:02d}") for i in range(n_data)]
    edges = [Spec("edge", i, f"edge_{i:02d}") for i in range(n_edge)]
    apps = [Spec("app", i, f"app_{i:02d}") for i in range(n_app)]
    mons = [Spec("monitoring", i, f"monitoring_{i:02d}") for i in range(n_mon)]
    # Nested service modules go into every other app, starting with the first.
    children = []
    for j in range(n_child):
        parent = apps[(2 * j) % n_app] if 2 * j < n_app else apps[j % n_app]
        if parent.children:
            parent = next((a for a in apps if not a.children), None)
            if parent is None:
                break
        child = Spec("service", j, "services", parent)
        parent.children.append(child)
        children.append(child)
    return nets, plats, datas, edges, apps, children, mons


# --------------------------------------------------------------------------------------------
# Resource generation inside one module
# --------------------------------------------------------------------------------------------


class ModGen:
    def __init__(self, spec, rng):
        self.spec = spec
        self.rng = rng
        self.budget = spec.budget
        self.res = []  # (group, text)
        self.by_type = {}  # type -> [names] in emission order
        self.have = set()
        self.counters = {}

    def left(self):
        return self.budget - len(self.res)

    def add(self, group, rtype, name, body):
        if len(self.res) >= self.budget:
            raise Full()
        addr = f"{rtype}.{name}"
        assert addr not in self.have, addr
        text = f'resource "{rtype}" "{name}" {{\n{indent(body)}\n}}\n'
        self.res.append((group, text))
        self.by_type.setdefault(rtype, []).append(name)
        self.have.add(addr)

    def names(self, rtype):
        return self.by_type.get(rtype, [])

    def pick(self, rtype, default=None, recent=8):
        """A previously emitted resource of a type (one of the most recent), or default."""
        names = self.names(rtype)
        if not names:
            return default
        return self.rng.choice(names[-recent:])

    def next_id(self, key):
        n = self.counters.get(key, 0)
        self.counters[key] = n + 1
        return n


TAGS = "local.tags"


def tags_with(extra):
    return f"merge(local.tags, {{ {extra} }})"


# ---------------- network ----------------

NETWORK_VARS = T(
    """
    variable "name" {
      description = "Name prefix of every resource."
      type        = string
    }

    variable "cidr" {
      description = "IPv4 CIDR block of the VPC."
      type        = string
      default     = "10.0.0.0/16"

      validation {
        condition     = can(cidrhost(var.cidr, 0))
        error_message = "The cidr must be a valid IPv4 CIDR block."
      }
    }

    variable "azs" {
      description = "Availability zones, at least two."
      type        = list(string)
      default     = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
    }

    variable "region" {
      description = "Region of the VPC endpoints."
      type        = string
      default     = "eu-west-1"
    }

    variable "allowed_cidrs" {
      description = "Networks allowed into the VPC (office, VPN)."
      type        = list(string)
      default     = ["10.0.0.0/8", "192.168.0.0/16"]
    }

    variable "tags" {
      description = "Tags of every resource."
      type        = map(string)
      default     = {}
    }
    """
)

NETWORK_LOCALS = T(
    """
    locals {
      name     = var.name
      tags     = merge(var.tags, { Module = "network", Network = var.name })
      az_count = length(var.azs)
      vpc_id   = aws_vpc.this.id

      public_cidrs  = [for i, az in var.azs : cidrsubnet(var.cidr, 8, i)]
      private_cidrs = [for i, az in var.azs : cidrsubnet(var.cidr, 8, i + 16)]

      ingress_ports = {
        http  = 80
        https = 443
        app   = 8080
      }

      endpoint_services = ["s3", "dynamodb", "ecr.api", "ecr.dkr", "logs", "sqs", "secretsmanager", "ssm", "kms", "sts"]
      allowed_entries   = { for i, c in var.allowed_cidrs : c => "allowed network ${i}" }
    }
    """
)


def network_anchors(g):
    g.add("main", "aws_vpc", "this", T(
        """
        cidr_block           = var.cidr
        enable_dns_support   = true
        enable_dns_hostnames = true
        tags                 = merge(local.tags, { Name = "${local.name}-vpc" })
        """))
    g.add("main", "aws_internet_gateway", "this", T(
        """
        vpc_id = aws_vpc.this.id
        tags   = merge(local.tags, { Name = "${local.name}-igw" })
        """))
    for tier, cidrs, public in (("public", "public_cidrs", "true"), ("private", "private_cidrs", "false")):
        g.add("main", "aws_subnet", tier, T(
            """
            count                   = local.az_count
            vpc_id                  = local.vpc_id
            cidr_block              = local.<<cidrs>>[count.index]
            availability_zone       = var.azs[count.index]
            map_public_ip_on_launch = <<public>>
            tags = merge(local.tags, {
              Name = "${local.name}-<<tier>>-${var.azs[count.index]}"
              Tier = "<<tier>>"
            })
            """, cidrs=cidrs, public=public, tier=tier))
    g.add("main", "aws_security_group", "alb", T(
        """
        name        = "${local.name}-alb"
        description = "Load balancer of ${local.name}"
        vpc_id      = local.vpc_id

        dynamic "ingress" {
          for_each = { for k, p in local.ingress_ports : k => p if k != "app" }
          content {
            description = ingress.key
            from_port   = ingress.value
            to_port     = ingress.value
            protocol    = "tcp"
            cidr_blocks = ["0.0.0.0/0"]
          }
        }

        egress {
          from_port   = 0
          to_port     = 0
          protocol    = "-1"
          cidr_blocks = [var.cidr]
        }

        tags = merge(local.tags, { Name = "${local.name}-alb" })
        """))
    g.add("main", "aws_security_group", "app", T(
        """
        name        = "${local.name}-app"
        description = "Application tasks of ${local.name}"
        vpc_id      = local.vpc_id

        ingress {
          description     = "from the load balancer"
          from_port       = local.ingress_ports.app
          to_port         = local.ingress_ports.app
          protocol        = "tcp"
          security_groups = [aws_security_group.alb.id]
        }

        egress {
          from_port   = 0
          to_port     = 0
          protocol    = "-1"
          cidr_blocks = ["0.0.0.0/0"]
        }

        tags = merge(local.tags, { Name = "${local.name}-app" })
        """))
    g.add("main", "aws_security_group", "db", T(
        """
        name        = "${local.name}-db"
        description = "Databases of ${local.name}"
        vpc_id      = local.vpc_id

        ingress {
          from_port       = 5432
          to_port         = 5432
          protocol        = "tcp"
          security_groups = [aws_security_group.app.id]
        }

        tags = merge(local.tags, { Name = "${local.name}-db" })
        """))
    g.add("main", "aws_s3_bucket", "flow_logs", T(
        """
        bucket        = "${local.name}-flow-logs"
        force_destroy = false
        tags          = merge(local.tags, { Scope = "base" })
        """))


def network_subnet_tier(g):
    k = g.next_id("tier")
    n = f"tier_{k:03d}"
    nat = g.pick("aws_nat_gateway")
    g.add("subnets", "aws_subnet", n, T(
        """
        count             = local.az_count
        vpc_id            = local.vpc_id
        cidr_block        = cidrsubnet(var.cidr, 12, <<base>> + count.index)
        availability_zone = element(var.azs, count.index)
        tags              = merge(local.tags, { Name = "${local.name}-<<n>>-${count.index}", Tier = "<<n>>" })
        """, base=64 + 4 * k, n=n))
    g.add("subnets", "aws_route_table", n, T(
        """
        vpc_id = aws_vpc.this.id
        tags   = merge(local.tags, { Name = "${local.name}-<<n>>" })
        """, n=n))
    g.add("subnets", "aws_route_table_association", n, T(
        """
        count          = local.az_count
        subnet_id      = aws_subnet.<<n>>[count.index].id
        route_table_id = aws_route_table.<<n>>.id
        """, n=n))
    target = (f"nat_gateway_id         = aws_nat_gateway.{nat}.id" if nat
              else "gateway_id             = aws_internet_gateway.this.id")
    g.add("subnets", "aws_route", f"{n}_default", T(
        """
        route_table_id         = aws_route_table.<<n>>.id
        destination_cidr_block = "0.0.0.0/0"
        <<target>>
        """, n=n, target=target))
    g.add("subnets", "aws_flow_log", n, T(
        """
        for_each             = { for i, s in aws_subnet.<<n>> : var.azs[i] => s.id }
        subnet_id            = each.value
        log_destination      = "${aws_s3_bucket.flow_logs.arn}/<<n>>/"
        log_destination_type = "s3"
        traffic_type         = "ALL"
        tags                 = local.tags
        """, n=n))


def network_nat(g):
    k = g.next_id("nat")
    n = f"nat_{k:03d}"
    g.add("nat", "aws_eip", n, T(
        """
        domain = "vpc"
        tags   = merge(local.tags, { Name = "${local.name}-<<n>>" })

        depends_on = [aws_internet_gateway.this]
        """, n=n))
    g.add("nat", "aws_nat_gateway", n, T(
        """
        allocation_id = aws_eip.<<n>>.id
        subnet_id     = element(aws_subnet.public[*].id, <<k>>)
        tags          = merge(local.tags, { Name = "${local.name}-<<n>>" })
        """, n=n, k=k))


def network_sg(g):
    k = g.next_id("sg")
    n = f"sg_{k:03d}"
    prev = g.pick("aws_security_group", "app")
    g.add("security_groups", "aws_security_group", n, T(
        """
        name_prefix = "${local.name}-<<n>>-"
        description = "Security group <<n>> of ${local.name}"
        vpc_id      = local.vpc_id

        lifecycle {
          create_before_destroy = true
        }

        tags = merge(local.tags, { Name = "${local.name}-<<n>>" })
        """, n=n))
    g.add("security_groups", "aws_vpc_security_group_ingress_rule", f"{n}_https", T(
        """
        security_group_id = aws_security_group.<<n>>.id
        cidr_ipv4         = var.cidr
        from_port         = 443
        to_port           = 443
        ip_protocol       = "tcp"
        """, n=n))
    g.add("security_groups", "aws_vpc_security_group_ingress_rule", f"{n}_from_{prev}", T(
        """
        security_group_id            = aws_security_group.<<n>>.id
        referenced_security_group_id = aws_security_group.<<prev>>.id
        from_port                    = <<port>>
        to_port                      = <<port>>
        ip_protocol                  = "tcp"
        """, n=n, prev=prev, port=8000 + k % 1000))
    g.add("security_groups", "aws_vpc_security_group_egress_rule", f"{n}_all", T(
        """
        security_group_id = aws_security_group.<<n>>.id
        cidr_ipv4         = "0.0.0.0/0"
        ip_protocol       = "-1"
        """, n=n))


def network_endpoint(g):
    k = g.next_id("endpoint")
    n = f"ep_{k:03d}"
    sg = g.pick("aws_security_group", "app")
    g.add("endpoints", "aws_vpc_endpoint", n, T(
        """
        vpc_id              = aws_vpc.this.id
        service_name        = "com.amazonaws.${var.region}.${local.endpoint_services[<<i>>]}"
        vpc_endpoint_type   = "Interface"
        subnet_ids          = aws_subnet.private[*].id
        security_group_ids  = [aws_security_group.<<sg>>.id]
        private_dns_enabled = <<dns>>

        policy = jsonencode({
          Version = "2012-10-17"
          Statement = [{
            Effect    = "Allow"
            Principal = "*"
            Action    = "*"
            Resource  = "*"
            Condition = { StringEquals = { "aws:SourceVpc" = aws_vpc.this.id } }
          }]
        })

        tags = merge(local.tags, { Name = "${local.name}-<<n>>" })
        """, n=n, i=k % 10, sg=sg, dns="true" if k % 3 else "false"))
    if g.rng.random() < 0.5:
        g.add("endpoints", "aws_ec2_managed_prefix_list", n, T(
            """
            name           = "${local.name}-<<n>>"
            address_family = "IPv4"
            max_entries    = 10

            dynamic "entry" {
              for_each = local.allowed_entries
              content {
                cidr        = entry.key
                description = entry.value
              }
            }

            tags = local.tags
            """, n=n))


NETWORK_CLUSTERS = [(network_subnet_tier, 3), (network_nat, 1), (network_sg, 4), (network_endpoint, 2)]


def network_outputs(g):
    sgs = g.names("aws_security_group")[:12]
    sg_map = kv_block([(s, f"aws_security_group.{s}.id") for s in sgs], pad=4)
    return T(
        """
        output "vpc_id" {
          description = "ID of the VPC."
          value       = aws_vpc.this.id
        }

        output "vpc_cidr_block" {
          value = aws_vpc.this.cidr_block
        }

        output "public_subnet_ids" {
          value = aws_subnet.public[*].id
        }

        output "private_subnet_ids" {
          value = aws_subnet.private[*].id
        }

        output "alb_security_group_id" {
          value = aws_security_group.alb.id
        }

        output "app_security_group_id" {
          value = aws_security_group.app.id
        }

        output "db_security_group_id" {
          value = aws_security_group.db.id
        }

        output "security_group_ids" {
          description = "Every security group by name."
          value = {
        <<sg_map>>
          }
        }

        output "flow_logs_bucket_arn" {
          value = aws_s3_bucket.flow_logs.arn
        }
        """, sg_map=sg_map)


# ---------------- platform ----------------

PLATFORM_VARS = T(
    """
    variable "name" {
      type = string
    }

    variable "region" {
      type    = string
      default = "eu-west-1"
    }

    variable "repositories" {
      description = "ECR repositories shared by every app."
      type        = list(string)
      default     = ["api", "web", "worker"]
    }

    variable "tags" {
      type    = map(string)
      default = {}
    }
    """
)

PLATFORM_LOCALS = T(
    """
    locals {
      name = var.name
      tags = merge(var.tags, { Module = "platform" })

      lifecycle_policy = jsonencode({
        rules = [
          {
            rulePriority = 1
            description  = "Keep the last 30 images"
            selection = {
              tagStatus   = "any"
              countType   = "imageCountMoreThan"
              countNumber = 30
            }
            action = { type = "expire" }
          },
        ]
      })

      config_rules = {
        s3_versioning = "S3_BUCKET_VERSIONING_ENABLED"
        rds_encrypted = "RDS_STORAGE_ENCRYPTED"
        ebs_encrypted = "ENCRYPTED_VOLUMES"
        root_mfa      = "ROOT_ACCOUNT_MFA_ENABLED"
        sg_ssh        = "INCOMING_SSH_DISABLED"
      }
    }
    """
)


def platform_anchors(g):
    g.add("main", "aws_kms_key", "this", T(
        """
        description             = "Platform key of ${local.name}"
        deletion_window_in_days = 30
        enable_key_rotation     = true
        tags                    = local.tags
        """))
    g.add("main", "aws_kms_alias", "this", T(
        """
        name          = "alias/${local.name}-platform"
        target_key_id = aws_kms_key.this.key_id
        """))
    g.add("main", "aws_ecr_repository", "base", T(
        """
        for_each             = toset(var.repositories)
        name                 = "${local.name}/${each.key}"
        image_tag_mutability = "IMMUTABLE"

        encryption_configuration {
          encryption_type = "KMS"
          kms_key         = aws_kms_key.this.arn
        }

        image_scanning_configuration {
          scan_on_push = true
        }

        tags = local.tags
        """))
    g.add("main", "aws_ecr_lifecycle_policy", "base", T(
        """
        for_each   = aws_ecr_repository.base
        repository = each.value.name
        policy     = local.lifecycle_policy
        """))


def platform_repo(g):
    k = g.next_id("repo")
    n = f"repo_{k:03d}"
    g.add("registry", "aws_ecr_repository", n, T(
        """
        name                 = "${local.name}/<<n>>"
        image_tag_mutability = "IMMUTABLE"
        force_delete         = false

        encryption_configuration {
          encryption_type = "KMS"
          kms_key         = aws_kms_key.this.arn
        }

        tags = merge(local.tags, { Repository = "<<n>>" })
        """, n=n))
    g.add("registry", "aws_ecr_lifecycle_policy", n, T(
        """
        repository = aws_ecr_repository.<<n>>.name
        policy     = local.lifecycle_policy
        """, n=n))
    g.add("registry", "aws_ecr_repository_policy", n, T(
        """
        repository = aws_ecr_repository.<<n>>.name
        policy = jsonencode({
          Version = "2012-10-17"
          Statement = [{
            Sid       = "PullFromOrg"
            Effect    = "Allow"
            Principal = { AWS = "*" }
            Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
            Condition = { StringEquals = { "aws:PrincipalOrgID" = "o-example<<k>>" } }
          }]
        })
        """, n=n, k=k))


def platform_config(g):
    k = g.next_id("rule")
    n = f"rule_{k:03d}"
    g.add("config", "aws_config_config_rule", n, T(
        """
        name = "${local.name}-<<n>>"

        source {
          owner             = "AWS"
          source_identifier = values(local.config_rules)[<<i>>]
        }

        input_parameters = jsonencode({
          maxAccessKeyAge = <<age>>
          tag1Key         = "Environment"
        })

        scope {
          compliance_resource_types = ["AWS::S3::Bucket", "AWS::RDS::DBInstance"]
        }

        tags = local.tags
        """, n=n, i=k % 5, age=30 + k % 60))


def platform_params(g):
    k = g.next_id("param")
    n = f"param_{k:03d}"
    repo = g.pick("aws_ecr_repository")
    value = f"aws_ecr_repository.{repo}.repository_url" if repo != "base" else 'aws_ecr_repository.base["api"].repository_url'
    g.add("parameters", "aws_ssm_parameter", n, T(
        """
        name   = "/${local.name}/platform/<<n>>"
        type   = "SecureString"
        key_id = aws_kms_key.this.key_id
        value  = <<value>>
        tags   = local.tags
        """, n=n, value=value))
    g.add("parameters", "aws_secretsmanager_secret", n, T(
        """
        name                    = "${local.name}/platform/<<n>>"
        kms_key_id              = aws_kms_key.this.id
        recovery_window_in_days = 7
        tags                    = local.tags
        """, n=n))


PLATFORM_CLUSTERS = [(platform_repo, 3), (platform_config, 2), (platform_params, 2)]


def platform_outputs(g):
    return T(
        """
        output "kms_key_arn" {
          value = aws_kms_key.this.arn
        }

        output "repository_url" {
          description = "URL of the shared api repository."
          value       = aws_ecr_repository.base["api"].repository_url
        }

        output "repository_urls" {
          value = { for k, r in aws_ecr_repository.base : k => r.repository_url }
        }
        """)


# ---------------- data ----------------

DATA_VARS = T(
    """
    variable "name" {
      type = string
    }

    variable "vpc_id" {
      type = string
    }

    variable "private_subnet_ids" {
      type = list(string)
    }

    variable "db_security_group_id" {
      type = string
    }

    variable "instance_class" {
      type    = string
      default = "db.t4g.medium"
    }

    variable "deletion_protection" {
      type    = bool
      default = true
    }

    variable "backup_retention_days" {
      type    = number
      default = 7
    }

    variable "tags" {
      type    = map(string)
      default = {}
    }
    """
)

DATA_LOCALS = T(
    """
    locals {
      name        = var.name
      tags        = merge(var.tags, { Module = "data" })
      kms_key_arn = aws_kms_key.this.arn

      db_parameters = {
        "log_min_duration_statement" = "500"
        "rds.force_ssl"              = "1"
        "shared_preload_libraries"   = "pg_stat_statements"
        "idle_session_timeout"       = "600000"
      }

      bucket_lifecycle = [
        { id = "expire-tmp", prefix = "tmp/", days = 7 },
        { id = "expire-exports", prefix = "exports/", days = 30 },
        { id = "archive", prefix = "archive/", days = 365 },
      ]
    }
    """
)


def data_db(g, n, password_group="databases"):
    g.add(password_group, "random_password", n, T(
        """
        length  = 32
        special = false
        """))
    g.add(password_group, "aws_db_parameter_group", n, T(
        """
        name_prefix = "${local.name}-<<n>>-"
        family      = "postgres16"

        dynamic "parameter" {
          for_each = local.db_parameters
          content {
            name         = parameter.key
            value        = parameter.value
            apply_method = "pending-reboot"
          }
        }

        lifecycle {
          create_before_destroy = true
        }
        """, n=n))
    g.add(password_group, "aws_db_instance", n, T(
        """
        identifier              = "${local.name}-<<n>>"
        engine                  = "postgres"
        engine_version          = "16.3"
        instance_class          = var.instance_class
        allocated_storage       = 20
        max_allocated_storage   = 200
        db_name                 = "app"
        username                = "app"
        password                = random_password.<<n>>.result
        db_subnet_group_name    = aws_db_subnet_group.this.name
        vpc_security_group_ids  = [var.db_security_group_id]
        parameter_group_name    = aws_db_parameter_group.<<n>>.name
        storage_encrypted       = true
        kms_key_id              = local.kms_key_arn
        backup_retention_period = var.backup_retention_days
        deletion_protection     = var.deletion_protection
        skip_final_snapshot     = !var.deletion_protection

        lifecycle {
          ignore_changes = [password, engine_version]
        }

        tags = local.tags
        """, n=n))
    g.add(password_group, "aws_secretsmanager_secret", n, T(
        """
        name       = "${local.name}/<<n>>/connection"
        kms_key_id = aws_kms_key.this.id
        tags       = local.tags
        """, n=n))
    g.add(password_group, "aws_secretsmanager_secret_version", n, T(
        """
        secret_id = aws_secretsmanager_secret.<<n>>.id
        secret_string = jsonencode({
          username = aws_db_instance.<<n>>.username
          password = random_password.<<n>>.result
          host     = aws_db_instance.<<n>>.address
          port     = aws_db_instance.<<n>>.port
          url      = "postgres://${aws_db_instance.<<n>>.username}:${random_password.<<n>>.result}@${aws_db_instance.<<n>>.endpoint}/app"
        })
        """, n=n))


def data_anchors(g):
    g.add("main", "aws_kms_key", "this", T(
        """
        description             = "Data key of ${local.name}"
        deletion_window_in_days = 30
        enable_key_rotation     = true
        policy = jsonencode({
          Version = "2012-10-17"
          Statement = [{
            Sid       = "Root"
            Effect    = "Allow"
            Principal = { AWS = "*" }
            Action    = "kms:*"
            Resource  = "*"
          }]
        })
        tags = local.tags
        """))
    g.add("main", "aws_kms_alias", "this", T(
        """
        name          = "alias/${local.name}"
        target_key_id = aws_kms_key.this.key_id
        """))
    g.add("main", "aws_db_subnet_group", "this", T(
        """
        name       = local.name
        subnet_ids = var.private_subnet_ids
        tags       = local.tags
        """))
    data_db(g, "main", "main")
    g.add("main", "aws_s3_bucket", "assets", T(
        """
        bucket = "${local.name}-assets"
        tags   = merge(local.tags, { Scope = "base" })
        """))
    g.add("main", "aws_sqs_queue", "main", T(
        """
        name                       = "${local.name}-jobs"
        kms_master_key_id          = aws_kms_key.this.id
        visibility_timeout_seconds = 120
        tags                       = local.tags
        """))
    g.add("main", "aws_sns_topic", "alerts", T(
        """
        name              = "${local.name}-alerts"
        kms_master_key_id = aws_kms_key.this.id
        tags              = local.tags
        """))


def data_bucket(g):
    k = g.next_id("bucket")
    n = f"b_{k:03d}"
    tags = tags_with('Scope = "base"') if k % 7 == 0 else TAGS
    g.add("buckets", "aws_s3_bucket", n, T(
        """
        bucket        = "${local.name}-<<n>>"
        force_destroy = false
        tags          = <<tags>>
        """, n=n, tags=tags))
    g.add("buckets", "aws_s3_bucket_versioning", n, T(
        """
        bucket = aws_s3_bucket.<<n>>.id
        versioning_configuration {
          status = "Enabled"
        }
        """, n=n))
    g.add("buckets", "aws_s3_bucket_server_side_encryption_configuration", n, T(
        """
        bucket = aws_s3_bucket.<<n>>.id
        rule {
          apply_server_side_encryption_by_default {
            kms_master_key_id = local.kms_key_arn
            sse_algorithm     = "aws:kms"
          }
          bucket_key_enabled = true
        }
        """, n=n))
    g.add("buckets", "aws_s3_bucket_public_access_block", n, T(
        """
        bucket                  = aws_s3_bucket.<<n>>.id
        block_public_acls       = true
        block_public_policy     = true
        ignore_public_acls      = true
        restrict_public_buckets = true
        """, n=n))
    g.add("buckets", "aws_s3_bucket_lifecycle_configuration", n, T(
        """
        bucket = aws_s3_bucket.<<n>>.id

        dynamic "rule" {
          for_each = local.bucket_lifecycle
          content {
            id     = rule.value.id
            status = "Enabled"
            filter {
              prefix = rule.value.prefix
            }
            expiration {
              days = rule.value.days
            }
          }
        }

        depends_on = [aws_s3_bucket_versioning.<<n>>]
        """, n=n))
    g.add("buckets", "aws_s3_bucket_policy", n, T(
        """
        bucket = aws_s3_bucket.<<n>>.id
        policy = jsonencode({
          Version = "2012-10-17"
          Statement = [
            {
              Sid       = "DenyInsecureTransport"
              Effect    = "Deny"
              Principal = "*"
              Action    = "s3:*"
              Resource  = [aws_s3_bucket.<<n>>.arn, "${aws_s3_bucket.<<n>>.arn}/*"]
              Condition = { Bool = { "aws:SecureTransport" = "false" } }
            },
          ]
        })

        depends_on = [aws_s3_bucket_public_access_block.<<n>>]
        """, n=n))


def data_database(g):
    k = g.next_id("db")
    data_db(g, f"db_{k:03d}")


def data_queue(g):
    k = g.next_id("queue")
    n = f"q_{k:03d}"
    g.add("queues", "aws_sqs_queue", f"{n}_dlq", T(
        """
        name                      = "${local.name}-<<n>>-dlq"
        kms_master_key_id         = aws_kms_key.this.id
        message_retention_seconds = 1209600
        tags                      = local.tags
        """, n=n))
    g.add("queues", "aws_sqs_queue", n, T(
        """
        name              = "${local.name}-<<n>>"
        kms_master_key_id = aws_kms_key.this.id
        redrive_policy = jsonencode({
          deadLetterTargetArn = aws_sqs_queue.<<n>>_dlq.arn
          maxReceiveCount     = <<rc>>
        })
        tags = local.tags
        """, n=n, rc=3 + k % 5))
    g.add("queues", "aws_sqs_queue_policy", n, T(
        """
        queue_url = aws_sqs_queue.<<n>>.id
        policy = jsonencode({
          Version = "2012-10-17"
          Statement = [{
            Effect    = "Allow"
            Principal = { Service = "sns.amazonaws.com" }
            Action    = "sqs:SendMessage"
            Resource  = aws_sqs_queue.<<n>>.arn
            Condition = { ArnEquals = { "aws:SourceArn" = aws_sns_topic.alerts.arn } }
          }]
        })
        """, n=n))
    g.add("queues", "aws_ssm_parameter", f"{n}_url", T(
        """
        name  = "/${local.name}/queues/<<n>>"
        type  = "String"
        value = aws_sqs_queue.<<n>>.url
        tags  = local.tags
        """, n=n))


def data_runtime_watch(g):
    # Runtime resources inside a base module: they read base ones, nothing base reads them.
    k = g.next_id("watch")
    n = f"watch_{k:03d}"
    q = g.pick("aws_sqs_queue", "main")
    g.add("watch", "aws_cloudwatch_metric_alarm", n, T(
        """
        alarm_name          = "${local.name}-<<n>>-backlog"
        namespace           = "AWS/SQS"
        metric_name         = "ApproximateNumberOfMessagesVisible"
        dimensions          = { QueueName = aws_sqs_queue.<<q>>.name }
        statistic           = "Maximum"
        period              = 300
        evaluation_periods  = 2
        threshold           = 100
        comparison_operator = "GreaterThanThreshold"
        alarm_actions       = [aws_sns_topic.alerts.arn]
        """, n=n, q=q))
    g.add("watch", "aws_sns_topic_subscription", n, T(
        """
        topic_arn = aws_sns_topic.alerts.arn
        protocol  = "sqs"
        endpoint  = aws_sqs_queue.<<q>>.arn
        """, n=n, q=q))


def data_params(g):
    k = g.next_id("cfg")
    n = f"cfg_{k:03d}"
    db = g.pick("aws_db_instance", "main")
    bucket = g.pick("aws_s3_bucket", "assets")
    g.add("parameters", "aws_ssm_parameter", n, T(
        """
        name = "/${local.name}/config/<<n>>"
        type = "String"
        value = jsonencode({
          database = aws_db_instance.<<db>>.address
          bucket   = aws_s3_bucket.<<bucket>>.bucket
          prefixes = [for r in local.bucket_lifecycle : r.prefix]
        })
        tags = local.tags
        """, n=n, db=db, bucket=bucket))


DATA_CLUSTERS = [(data_bucket, 4), (data_database, 2), (data_queue, 3), (data_runtime_watch, 1), (data_params, 2)]


def data_outputs(g):
    return T(
        """
        output "kms_key_arn" {
          value = aws_kms_key.this.arn
        }

        output "db_address" {
          value = aws_db_instance.main.address
        }

        output "db_instance_identifier" {
          value = aws_db_instance.main.identifier
        }

        output "db_secret_arn" {
          value = aws_secretsmanager_secret.main.arn
        }

        output "assets_bucket_name" {
          value = aws_s3_bucket.assets.bucket
        }

        output "logs_bucket" {
          value = aws_s3_bucket.assets.bucket
        }

        output "queue_arn" {
          value = aws_sqs_queue.main.arn
        }

        output "queue_url" {
          value = aws_sqs_queue.main.url
        }

        output "alerts_topic_arn" {
          value = aws_sns_topic.alerts.arn
        }
        """)


# ---------------- edge ----------------

EDGE_VARS = T(
    """
    variable "name" {
      type = string
    }

    variable "domain_name" {
      type = string
    }

    variable "vpc_id" {
      type = string
    }

    variable "public_subnet_ids" {
      type = list(string)
    }

    variable "alb_security_group_id" {
      type = string
    }

    variable "logs_bucket" {
      type = string
    }

    variable "deletion_protection" {
      type    = bool
      default = true
    }

    variable "tags" {
      type    = map(string)
      default = {}
    }
    """
)

EDGE_LOCALS = T(
    """
    locals {
      name    = var.name
      tags    = merge(var.tags, { Module = "edge" })
      zone_id = aws_route53_zone.this.zone_id

      waf_rules = {
        common     = { priority = 1, name = "AWSManagedRulesCommonRuleSet" }
        bad_inputs = { priority = 2, name = "AWSManagedRulesKnownBadInputsRuleSet" }
        ip_reputation = {
          priority = 3
          name     = "AWSManagedRulesAmazonIpReputationList"
        }
      }
    }
    """
)


def edge_cert(g):
    g.add("main", "aws_acm_certificate", "this", T(
        """
        domain_name               = var.domain_name
        subject_alternative_names = ["*.${var.domain_name}"]
        validation_method         = "DNS"

        lifecycle {
          create_before_destroy = true
        }

        tags = local.tags
        """))
    g.add("main", "aws_route53_record", "this_validation", T(
        """
        for_each = {
          for dvo in aws_acm_certificate.this.domain_validation_options : dvo.domain_name => {
            name   = dvo.resource_record_name
            record = dvo.resource_record_value
            type   = dvo.resource_record_type
          }
        }

        allow_overwrite = true
        name            = each.value.name
        records         = [each.value.record]
        ttl             = 60
        type            = each.value.type
        zone_id         = local.zone_id
        """))
    g.add("main", "aws_acm_certificate_validation", "this", T(
        """
        certificate_arn         = aws_acm_certificate.this.arn
        validation_record_fqdns = [for r in aws_route53_record.this_validation : r.fqdn]
        """))


def edge_anchors(g):
    g.add("main", "aws_route53_zone", "this", T(
        """
        name          = var.domain_name
        force_destroy = false
        tags          = local.tags
        """))
    edge_cert(g)
    g.add("main", "aws_lb", "this", T(
        """
        name                       = substr(local.name, 0, 32)
        internal                   = false
        load_balancer_type         = "application"
        security_groups            = [var.alb_security_group_id]
        subnets                    = var.public_subnet_ids
        drop_invalid_header_fields = true
        enable_deletion_protection = var.deletion_protection

        access_logs {
          bucket  = var.logs_bucket
          prefix  = "${local.name}/alb"
          enabled = true
        }

        tags = local.tags
        """))
    g.add("main", "aws_wafv2_web_acl", "this", T(
        """
        name  = local.name
        scope = "REGIONAL"

        default_action {
          allow {}
        }

        dynamic "rule" {
          for_each = local.waf_rules
          iterator = r
          content {
            name     = r.key
            priority = r.value.priority

            override_action {
              none {}
            }

            statement {
              managed_rule_group_statement {
                name        = r.value.name
                vendor_name = "AWS"
              }
            }

            visibility_config {
              cloudwatch_metrics_enabled = true
              metric_name                = "${local.name}-${r.key}"
              sampled_requests_enabled   = true
            }
          }
        }

        visibility_config {
          cloudwatch_metrics_enabled = true
          metric_name                = local.name
          sampled_requests_enabled   = true
        }

        tags = local.tags
        """))


def edge_alt_cert(g):
    k = g.next_id("cert")
    n = f"alt_{k:03d}"
    provider = "aws.us_east_1" if k % 4 == 1 else None
    # The alternative domain as a template.
    g.add("certificates", "aws_acm_certificate", n, T(
        """
        domain_name       = "<<n>>.${var.domain_name}"
        validation_method = "DNS"<<prov>>

        lifecycle {
          create_before_destroy = true
        }

        tags = local.tags
        """, n=n, prov=f"\nprovider          = {provider}" if provider else ""))
    g.add("certificates", "aws_route53_record", f"{n}_validation", T(
        """
        for_each = {
          for dvo in aws_acm_certificate.<<n>>.domain_validation_options : dvo.domain_name => dvo
        }

        allow_overwrite = true
        name            = each.value.resource_record_name
        records         = [each.value.resource_record_value]
        ttl             = 60
        type            = each.value.resource_record_type
        zone_id         = aws_route53_zone.this.zone_id
        """, n=n))
    g.add("certificates", "aws_acm_certificate_validation", n, T(
        """
        certificate_arn         = aws_acm_certificate.<<n>>.arn
        validation_record_fqdns = [for r in aws_route53_record.<<n>>_validation : r.fqdn]<<prov>>
        """, n=n, prov=f"\nprovider                = {provider}" if provider else ""))


def edge_nlb(g):
    k = g.next_id("nlb")
    n = f"nlb_{k:03d}"
    g.add("load_balancers", "aws_eip", n, T(
        """
        count  = length(var.public_subnet_ids)
        domain = "vpc"
        tags   = merge(local.tags, { Name = "${local.name}-<<n>>-${count.index}" })
        """, n=n))
    g.add("load_balancers", "aws_lb", n, T(
        """
        name               = substr("${local.name}-<<n>>", 0, 32)
        load_balancer_type = "network"

        dynamic "subnet_mapping" {
          for_each = { for i, s in var.public_subnet_ids : s => aws_eip.<<n>>[i].id }
          content {
            subnet_id     = subnet_mapping.key
            allocation_id = subnet_mapping.value
          }
        }

        tags = local.tags
        """, n=n))
    g.add("load_balancers", "aws_route53_record", n, T(
        """
        zone_id = aws_route53_zone.this.zone_id
        name    = "<<n>>.${var.domain_name}"
        type    = "A"

        alias {
          name                   = aws_lb.<<n>>.dns_name
          zone_id                = aws_lb.<<n>>.zone_id
          evaluate_target_health = false
        }
        """, n=n))


def edge_alb(g):
    k = g.next_id("alb")
    n = f"alb_{k:03d}"
    g.add("load_balancers", "aws_lb", n, T(
        """
        name                       = substr("${local.name}-<<n>>", 0, 32)
        load_balancer_type         = "application"
        internal                   = <<internal>>
        security_groups            = [var.alb_security_group_id]
        subnets                    = var.public_subnet_ids
        enable_deletion_protection = var.deletion_protection
        tags                       = local.tags
        """, n=n, internal="true" if k % 2 else "false"))
    g.add("load_balancers", "aws_wafv2_web_acl_association", n, T(
        """
        resource_arn = aws_lb.<<n>>.arn
        web_acl_arn  = aws_wafv2_web_acl.this.arn
        """, n=n))


def edge_subzone(g):
    k = g.next_id("zone")
    n = f"sub_{k:03d}"
    g.add("zones", "aws_route53_zone", n, T(
        """
        name = "<<n>>.${var.domain_name}"
        tags = local.tags
        """, n=n))
    g.add("zones", "aws_route53_record", f"{n}_ns", T(
        """
        zone_id = local.zone_id
        name    = aws_route53_zone.<<n>>.name
        type    = "NS"
        ttl     = 172800
        records = aws_route53_zone.<<n>>.name_servers
        """, n=n))


EDGE_CLUSTERS = [(edge_alt_cert, 3), (edge_nlb, 2), (edge_alb, 2), (edge_subzone, 3)]


def edge_outputs(g):
    return T(
        """
        output "lb_arn" {
          value = aws_lb.this.arn
        }

        output "lb_arn_suffix" {
          value = aws_lb.this.arn_suffix
        }

        output "lb_dns_name" {
          value = aws_lb.this.dns_name
        }

        output "lb_zone_id" {
          value = aws_lb.this.zone_id
        }

        output "certificate_arn" {
          description = "The validated certificate (only usable once validation completed)."
          value       = aws_acm_certificate_validation.this.certificate_arn
        }

        output "zone_id" {
          value = aws_route53_zone.this.zone_id
        }

        output "zone_name" {
          value = aws_route53_zone.this.name
        }

        output "name_servers" {
          value = aws_route53_zone.this.name_servers
        }
        """)


# ---------------- app and nested service ----------------

APP_CTX = {
    "cluster_id": "aws_ecs_cluster.this.id",
    "cluster_arn": "aws_ecs_cluster.this.arn",
    "cluster_name": "aws_ecs_cluster.this.name",
    "exec_role": "aws_iam_role.execution.arn",
    "listener": "aws_lb_listener.this.arn",
    "subnets": "var.private_subnet_ids",
    "sgs": "[var.app_security_group_id]",
    "image": '"${var.repository_url}:${var.image_tag}"',
}
SERVICE_CTX = {
    "cluster_id": "var.cluster_id",
    "cluster_arn": "var.cluster_arn",
    "cluster_name": "var.cluster_name",
    "exec_role": "var.execution_role_arn",
    "listener": "var.listener_arn",
    "subnets": "var.subnet_ids",
    "sgs": "var.security_group_ids",
    "image": "var.image",
}

COMMON_APP_VARS = """
variable "name" {
  type = string
}

variable "environment" {
  type = string
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "vpc_id" {
  type = string
}

variable "kms_key_arn" {
  type = string
}

variable "zone_id" {
  type = string
}

variable "zone_name" {
  type = string
}

variable "lb_dns_name" {
  type = string
}

variable "lb_zone_id" {
  type = string
}

variable "alerts_topic_arn" {
  type = string
}

variable "db_secret_arn" {
  type = string
}

variable "queue_arn" {
  type = string
}

variable "queue_url" {
  type = string
}

variable "log_retention_days" {
  type    = number
  default = 30
}

variable "desired_count" {
  type    = number
  default = 2
}

variable "tags" {
  type    = map(string)
  default = {}
}
"""

APP_VARS = textwrap.dedent(COMMON_APP_VARS).strip() + "\n\n" + T(
    """
    variable "private_subnet_ids" {
      type = list(string)
    }

    variable "app_security_group_id" {
      type = string
    }

    variable "lb_arn" {
      type = string
    }

    variable "certificate_arn" {
      type = string
    }

    variable "repository_url" {
      type = string
    }

    variable "image_tag" {
      type    = string
      default = "latest"
    }

    variable "listener_port" {
      type    = number
      default = 443
    }
    """
)

SERVICE_VARS = textwrap.dedent(COMMON_APP_VARS).strip() + "\n\n" + T(
    """
    variable "cluster_id" {
      type = string
    }

    variable "cluster_arn" {
      type = string
    }

    variable "cluster_name" {
      type = string
    }

    variable "execution_role_arn" {
      type = string
    }

    variable "listener_arn" {
      type = string
    }

    variable "subnet_ids" {
      type = list(string)
    }

    variable "security_group_ids" {
      type = list(string)
    }

    variable "image" {
      type = string
    }

    variable "port" {
      type    = number
      default = 8080
    }

    variable "priority" {
      type = number
    }

    variable "cpu" {
      type    = number
      default = 256
    }

    variable "memory" {
      type    = number
      default = 512
    }
    """
)

APP_DATA = T(
    """
    data "aws_region" "current" {}

    data "aws_caller_identity" "current" {}

    data "aws_iam_policy_document" "ecs_tasks_assume" {
      statement {
        actions = ["sts:AssumeRole"]

        principals {
          type        = "Service"
          identifiers = ["ecs-tasks.amazonaws.com"]
        }
      }
    }

    data "aws_iam_policy_document" "events_assume" {
      statement {
        actions = ["sts:AssumeRole"]

        principals {
          type        = "Service"
          identifiers = ["events.amazonaws.com"]
        }
      }
    }
    """
)


def app_locals(kind, spec, service_names_expr):
    extra = ""
    if kind == "app":
        extra = "\n\n" + T(
            """

            # Keys of the nested service module instances (a literal map: known at plan time).
            services = {
              api    = { port = 8080, priority = 10, cpu = 512, memory = 1024 }
              worker = { port = 8081, priority = 20, cpu = 256, memory = 512 }
              admin  = { port = 8082, priority = 30, cpu = 256, memory = 512 }
            }
            """)
    return T(
        """
        locals {
          name       = var.name
          tags       = merge(var.tags, { Module = "<<kind>>", Service = var.name })
          account_id = data.aws_caller_identity.current.account_id

          capacity_strategy = var.environment == "prod" ? { FARGATE = 1 } : { FARGATE_SPOT = 3, FARGATE = 1 }

          shared_environment = {
            APP_ENV    = var.environment
            AWS_REGION = data.aws_region.current.name
            QUEUE_URL  = var.queue_url
            PUBLIC_URL = "https://${var.name}.${var.zone_name}"
          }

          shared_secrets = {
            DATABASE_URL      = "${var.db_secret_arn}:url::"
            DATABASE_PASSWORD = "${var.db_secret_arn}:password::"
          }

          # Every ECS service of this module, for dashboards.
          service_names = <<names>><<extra>>
        }
        """, kind=kind, names=service_names_expr, extra=indent(extra))


def app_service(g, ctx, n, group="services"):
    k = len(g.names("aws_ecs_service"))
    g.add(group, "aws_cloudwatch_log_group", n, T(
        """
        name              = "/ecs/${local.name}/<<n>>"
        retention_in_days = var.log_retention_days
        kms_key_id        = var.kms_key_arn
        tags              = local.tags
        """, n=n))
    g.add(group, "aws_iam_role", f"{n}_task", T(
        """
        name_prefix        = substr("${local.name}-<<n>>-", 0, 38)
        assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
        tags               = local.tags
        """, n=n))
    g.add(group, "aws_iam_policy", n, T(
        """
        name_prefix = substr("${local.name}-<<n>>-", 0, 100)
        policy = jsonencode({
          Version = "2012-10-17"
          Statement = [
            {
              Sid      = "Queue"
              Effect   = "Allow"
              Action   = ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"]
              Resource = [var.queue_arn]
            },
            {
              Sid      = "Secrets"
              Effect   = "Allow"
              Action   = ["secretsmanager:GetSecretValue"]
              Resource = [var.db_secret_arn]
            },
            {
              Sid      = "Logs"
              Effect   = "Allow"
              Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
              Resource = ["${aws_cloudwatch_log_group.<<n>>.arn}:*"]
            },
          ]
        })
        """, n=n))
    g.add(group, "aws_iam_role_policy_attachment", n, T(
        """
        role       = aws_iam_role.<<n>>_task.name
        policy_arn = aws_iam_policy.<<n>>.arn
        """, n=n))
    port = "var.port" if ctx is SERVICE_CTX else str(8080 + k % 100)
    cpu = "var.cpu" if ctx is SERVICE_CTX else str(256 * (1 + k % 4))
    mem = "var.memory" if ctx is SERVICE_CTX else str(512 * (1 + k % 4))
    g.add(group, "aws_ecs_task_definition", n, T(
        """
        family                   = "${local.name}-<<n>>"
        requires_compatibilities = ["FARGATE"]
        network_mode             = "awsvpc"
        cpu                      = <<cpu>>
        memory                   = <<mem>>
        execution_role_arn       = <<exec>>
        task_role_arn            = aws_iam_role.<<n>>_task.arn

        container_definitions = jsonencode([
          {
            name         = "<<n>>"
            image        = <<image>>
            essential    = true
            portMappings = [{ containerPort = <<port>>, protocol = "tcp" }]
            environment = [
              for key, value in merge(local.shared_environment, { SERVICE = "<<n>>" }) : { name = key, value = value }
            ]
            secrets = [for key, arn in local.shared_secrets : { name = key, valueFrom = arn }]
            logConfiguration = {
              logDriver = "awslogs"
              options = {
                "awslogs-group"         = aws_cloudwatch_log_group.<<n>>.name
                "awslogs-region"        = data.aws_region.current.name
                "awslogs-stream-prefix" = "<<n>>"
              }
            }
          },
        ])

        runtime_platform {
          operating_system_family = "LINUX"
          cpu_architecture        = "ARM64"
        }

        tags = local.tags
        """, n=n, cpu=cpu, mem=mem, exec=ctx["exec_role"], image=ctx["image"], port=port))
    g.add(group, "aws_lb_target_group", n, T(
        """
        name_prefix          = "t<<k>>"
        port                 = <<port>>
        protocol             = "HTTP"
        target_type          = "ip"
        vpc_id               = var.vpc_id
        deregistration_delay = 30

        health_check {
          path                = "/<<n>>/healthz"
          matcher             = "200-399"
          interval            = 15
          healthy_threshold   = 2
          unhealthy_threshold = 3
        }

        lifecycle {
          create_before_destroy = true
        }

        tags = local.tags
        """, n=n, k=k % 10000, port=port))
    priority = f"var.priority + {k}" if ctx is SERVICE_CTX else str(100 + k)
    g.add(group, "aws_lb_listener_rule", n, T(
        """
        listener_arn = <<listener>>
        priority     = <<priority>>

        action {
          type             = "forward"
          target_group_arn = aws_lb_target_group.<<n>>.arn
        }

        condition {
          path_pattern {
            values = ["/<<n>>/*"]
          }
        }

        condition {
          host_header {
            values = ["${var.name}.${var.zone_name}"]
          }
        }
        """, n=n, listener=ctx["listener"], priority=priority))
    g.add(group, "aws_ecs_service", n, T(
        """
        name                   = "<<n>>"
        cluster                = <<cluster>>
        task_definition        = aws_ecs_task_definition.<<n>>.arn
        desired_count          = var.desired_count
        enable_execute_command = var.environment != "prod"

        dynamic "capacity_provider_strategy" {
          for_each = local.capacity_strategy
          content {
            capacity_provider = capacity_provider_strategy.key
            weight            = capacity_provider_strategy.value
          }
        }

        network_configuration {
          subnets          = <<subnets>>
          security_groups  = <<sgs>>
          assign_public_ip = false
        }

        load_balancer {
          target_group_arn = aws_lb_target_group.<<n>>.arn
          container_name   = "<<n>>"
          container_port   = <<port>>
        }

        deployment_circuit_breaker {
          enable   = true
          rollback = true
        }

        lifecycle {
          ignore_changes = [desired_count]
        }

        tags = local.tags

        depends_on = [aws_lb_listener_rule.<<n>>, aws_iam_role_policy_attachment.<<n>>]
        """, n=n, cluster=ctx["cluster_id"], subnets=ctx["subnets"], sgs=ctx["sgs"], port=port))
    g.add(group, "aws_route53_record", n, T(
        """
        zone_id = var.zone_id
        name    = "<<n>>.${var.name}.${var.zone_name}"
        type    = "A"

        alias {
          name                   = var.lb_dns_name
          zone_id                = var.lb_zone_id
          evaluate_target_health = true
        }
        """, n=n))
    g.add(group, "aws_cloudwatch_metric_alarm", f"{n}_cpu", T(
        """
        alarm_name          = "${local.name}-<<n>>-cpu"
        namespace           = "AWS/ECS"
        metric_name         = "CPUUtilization"
        statistic           = "Average"
        period              = 60
        evaluation_periods  = 5
        threshold           = 80
        comparison_operator = "GreaterThanThreshold"
        dimensions = {
          ClusterName = <<cluster_name>>
          ServiceName = aws_ecs_service.<<n>>.name
        }
        alarm_actions = [var.alerts_topic_arn]
        ok_actions    = [var.alerts_topic_arn]
        tags          = local.tags
        """, n=n, cluster_name=ctx["cluster_name"]))
    g.add(group, "aws_appautoscaling_target", n, T(
        """
        service_namespace  = "ecs"
        resource_id        = "service/${<<cluster_name>>}/${aws_ecs_service.<<n>>.name}"
        scalable_dimension = "ecs:service:DesiredCount"
        min_capacity       = 1
        max_capacity       = <<max>>
        """, n=n, cluster_name=ctx["cluster_name"], max=4 + k % 8))
    g.add(group, "aws_appautoscaling_policy", f"{n}_cpu", T(
        """
        name               = "${local.name}-<<n>>-cpu"
        policy_type        = "TargetTrackingScaling"
        resource_id        = aws_appautoscaling_target.<<n>>.resource_id
        scalable_dimension = aws_appautoscaling_target.<<n>>.scalable_dimension
        service_namespace  = aws_appautoscaling_target.<<n>>.service_namespace

        target_tracking_scaling_policy_configuration {
          target_value = 60

          predefined_metric_specification {
            predefined_metric_type = "ECSServiceAverageCPUUtilization"
          }
        }
        """, n=n))


def app_worker(g, ctx):
    k = g.next_id("worker")
    n = f"worker_{k:03d}"
    g.add("workers", "aws_cloudwatch_log_group", n, T(
        """
        name              = "/ecs/${local.name}/<<n>>"
        retention_in_days = var.log_retention_days
        kms_key_id        = var.kms_key_arn
        tags              = local.tags
        """, n=n))
    g.add("workers", "aws_iam_role", n, T(
        """
        name_prefix        = substr("${local.name}-<<n>>-", 0, 38)
        assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
        tags               = local.tags
        """, n=n))
    g.add("workers", "aws_iam_role_policy", n, T(
        """
        role = aws_iam_role.<<n>>.id
        policy = jsonencode({
          Version = "2012-10-17"
          Statement = [{
            Effect   = "Allow"
            Action   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility"]
            Resource = var.queue_arn
          }]
        })
        """, n=n))
    g.add("workers", "aws_ecs_task_definition", n, T(
        """
        family                   = "${local.name}-<<n>>"
        requires_compatibilities = ["FARGATE"]
        network_mode             = "awsvpc"
        cpu                      = 256
        memory                   = 512
        execution_role_arn       = <<exec>>
        task_role_arn            = aws_iam_role.<<n>>.arn

        container_definitions = jsonencode([{
          name        = "<<n>>"
          image       = <<image>>
          essential   = true
          command     = ["worker", "--queue", var.queue_url, "--concurrency", "<<conc>>"]
          environment = [for key, value in local.shared_environment : { name = key, value = value }]
          logConfiguration = {
            logDriver = "awslogs"
            options = {
              "awslogs-group"         = aws_cloudwatch_log_group.<<n>>.name
              "awslogs-region"        = data.aws_region.current.name
              "awslogs-stream-prefix" = "<<n>>"
            }
          }
        }])

        tags = local.tags
        """, n=n, exec=ctx["exec_role"], image=ctx["image"], conc=2 + k % 6))
    g.add("workers", "aws_ecs_service", n, T(
        """
        name            = "<<n>>"
        cluster         = <<cluster>>
        task_definition = aws_ecs_task_definition.<<n>>.arn
        desired_count   = var.desired_count

        dynamic "capacity_provider_strategy" {
          for_each = local.capacity_strategy
          iterator = cp
          content {
            capacity_provider = cp.key
            weight            = cp.value
          }
        }

        network_configuration {
          subnets         = <<subnets>>
          security_groups = <<sgs>>
        }

        tags = local.tags
        """, n=n, cluster=ctx["cluster_id"], subnets=ctx["subnets"], sgs=ctx["sgs"]))
    g.add("workers", "aws_cloudwatch_log_metric_filter", n, T(
        """
        name           = "${local.name}-<<n>>-errors"
        log_group_name = aws_cloudwatch_log_group.<<n>>.name
        pattern        = "?ERROR ?FATAL"

        metric_transformation {
          name      = "<<n>>Errors"
          namespace = "${local.name}/workers"
          value     = "1"
        }
        """, n=n))
    g.add("workers", "aws_cloudwatch_metric_alarm", f"{n}_errors", T(
        """
        alarm_name          = "${local.name}-<<n>>-errors"
        namespace           = "${local.name}/workers"
        metric_name         = "<<n>>Errors"
        statistic           = "Sum"
        period              = 300
        evaluation_periods  = 1
        threshold           = 10
        comparison_operator = "GreaterThanThreshold"
        alarm_actions       = [var.alerts_topic_arn]
        alarm_description   = <<-EOT
          Errors logged by <<n>> of ${local.name} (${var.environment}).
          Logs: ${aws_cloudwatch_log_group.<<n>>.name}
          Runbook: https://runbooks.example.com/${var.name}/<<n>>
        EOT

        depends_on = [aws_cloudwatch_log_metric_filter.<<n>>]
        """, n=n))


def app_job(g, ctx):
    k = g.next_id("job")
    n = f"job_{k:03d}"
    g.add("jobs", "aws_iam_role", f"{n}_events", T(
        """
        name_prefix        = substr("${local.name}-<<n>>-ev-", 0, 38)
        assume_role_policy = data.aws_iam_policy_document.events_assume.json
        tags               = local.tags
        """, n=n))
    g.add("jobs", "aws_ecs_task_definition", n, T(
        """
        family                   = "${local.name}-<<n>>"
        requires_compatibilities = ["FARGATE"]
        network_mode             = "awsvpc"
        cpu                      = 512
        memory                   = 1024
        execution_role_arn       = <<exec>>

        container_definitions = jsonencode([{
          name      = "<<n>>"
          image     = <<image>>
          essential = true
          command   = ["run-job", "<<n>>"]
        }])
        """, n=n, exec=ctx["exec_role"], image=ctx["image"]))
    g.add("jobs", "aws_iam_role_policy", f"{n}_events", T(
        """
        role = aws_iam_role.<<n>>_events.id
        policy = jsonencode({
          Version = "2012-10-17"
          Statement = [
            { Effect = "Allow", Action = "ecs:RunTask", Resource = aws_ecs_task_definition.<<n>>.arn_without_revision },
            { Effect = "Allow", Action = "iam:PassRole", Resource = [<<exec>>] },
          ]
        })
        """, n=n, exec=ctx["exec_role"]))
    g.add("jobs", "aws_cloudwatch_event_rule", n, T(
        """
        name                = "${local.name}-<<n>>"
        schedule_expression = "cron(<<m>> <<h>> * * ? *)"
        tags                = local.tags
        """, n=n, m=k * 7 % 60, h=k % 24))
    g.add("jobs", "aws_cloudwatch_event_target", n, T(
        """
        rule     = aws_cloudwatch_event_rule.<<n>>.name
        arn      = <<cluster_arn>>
        role_arn = aws_iam_role.<<n>>_events.arn

        ecs_target {
          task_definition_arn = aws_ecs_task_definition.<<n>>.arn
          launch_type         = "FARGATE"

          network_configuration {
            subnets         = <<subnets>>
            security_groups = <<sgs>>
          }
        }
        """, n=n, cluster_arn=ctx["cluster_arn"], subnets=ctx["subnets"], sgs=ctx["sgs"]))


def app_children_watch(g):
    """Resources of an app that read its nested service module's outputs."""
    k = g.next_id("children")
    n = f"children_{k:03d}"
    g.add("dashboards", "aws_cloudwatch_metric_alarm", n, T(
        """
        for_each = module.services

        alarm_name          = "${local.name}-${each.key}-<<n>>-5xx"
        namespace           = "AWS/ApplicationELB"
        metric_name         = "HTTPCode_Target_5XX_Count"
        statistic           = "Sum"
        period              = 60
        evaluation_periods  = 3
        threshold           = 5
        comparison_operator = "GreaterThanThreshold"
        dimensions = {
          TargetGroup = each.value.target_group_arn_suffix
        }
        alarm_actions = [var.alerts_topic_arn]
        """, n=n))
    g.add("dashboards", "aws_cloudwatch_dashboard", n, T(
        """
        dashboard_name = "${local.name}-<<n>>"
        dashboard_body = jsonencode({
          widgets = [
            for i, name in concat(local.service_names, [for k, s in module.services : s.service_name]) : {
              type   = "metric"
              x      = (i % 4) * 6
              y      = floor(i / 4) * 6
              width  = 6
              height = 6
              properties = {
                title   = name
                region  = data.aws_region.current.name
                metrics = [["AWS/ECS", "CPUUtilization", "ClusterName", aws_ecs_cluster.this.name, "ServiceName", name]]
              }
            }
          ]
        })
        """, n=n))


def app_dashboard(g, ctx):
    k = g.next_id("dash")
    n = f"dash_{k:03d}"
    g.add("dashboards", "aws_cloudwatch_dashboard", n, T(
        """
        dashboard_name = "${local.name}-<<n>>"
        dashboard_body = <<-EOT
          {
            "widgets": [
          %{~for i, s in local.service_names~}
              ${i > 0 ? "," : ""}{"type": "metric", "x": ${(i % 4) * 6}, "y": ${floor(i / 4) * 6}, "width": 6, "height": 6,
               "properties": {"title": "${s}", "region": "${data.aws_region.current.name}",
                              "metrics": [["AWS/ECS", "CPUUtilization", "ClusterName", "${<<cluster_name>>}", "ServiceName", "${s}"]]}}
          %{~endfor~}
            ]
          }
        EOT
        """, n=n, cluster_name=ctx["cluster_name"]))


def app_anchors(g, spec):
    g.add("main", "aws_ecs_cluster", "this", T(
        """
        name = local.name

        setting {
          name  = "containerInsights"
          value = var.environment == "prod" ? "enabled" : "disabled"
        }

        tags = local.tags
        """))
    g.add("main", "aws_ecs_cluster_capacity_providers", "this", T(
        """
        cluster_name       = aws_ecs_cluster.this.name
        capacity_providers = ["FARGATE", "FARGATE_SPOT"]

        dynamic "default_capacity_provider_strategy" {
          for_each = local.capacity_strategy
          content {
            capacity_provider = default_capacity_provider_strategy.key
            weight            = default_capacity_provider_strategy.value
          }
        }
        """))
    g.add("main", "aws_cloudwatch_log_group", "this", T(
        """
        name              = "/ecs/${local.name}"
        retention_in_days = var.log_retention_days
        kms_key_id        = var.kms_key_arn
        tags              = local.tags
        """))
    g.add("main", "aws_iam_role", "execution", T(
        """
        name_prefix        = substr("${local.name}-exec-", 0, 38)
        assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
        tags               = local.tags
        """))
    g.add("main", "aws_iam_role_policy_attachment", "execution", T(
        """
        role       = aws_iam_role.execution.name
        policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
        """))
    g.add("main", "aws_iam_role_policy", "execution_secrets", T(
        """
        role = aws_iam_role.execution.id
        policy = jsonencode({
          Version = "2012-10-17"
          Statement = [{
            Effect   = "Allow"
            Action   = ["secretsmanager:GetSecretValue", "kms:Decrypt"]
            Resource = [var.db_secret_arn, var.kms_key_arn, "arn:aws:secretsmanager:${data.aws_region.current.name}:${local.account_id}:secret:${var.name}/*"]
          }]
        })
        """))
    g.add("main", "aws_lb_listener", "this", T(
        """
        load_balancer_arn = var.lb_arn
        port              = var.listener_port
        protocol          = "HTTPS"
        ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
        certificate_arn   = var.certificate_arn

        default_action {
          type = "fixed-response"

          fixed_response {
            content_type = "text/plain"
            message_body = "no route"
            status_code  = "404"
          }
        }
        """))


APP_CLUSTERS = [("service", 6), ("worker", 2), ("job", 1), ("dashboard", 1)]


def app_outputs(g, spec):
    svcs = g.names("aws_ecs_service")[:20]
    svc_map = kv_block([(s, f"aws_ecs_service.{s}.name") for s in svcs], pad=4)
    tgs = g.names("aws_lb_target_group")[:20]
    tg_list = ", ".join(f"aws_lb_target_group.{t}.arn_suffix" for t in tgs)
    if spec.kind == "app":
        head = T(
            """
            output "cluster_name" {
              value = aws_ecs_cluster.this.name
            }

            output "cluster_arn" {
              value = aws_ecs_cluster.this.arn
            }

            output "listener_arn" {
              value = aws_lb_listener.this.arn
            }

            output "log_group_name" {
              value = aws_cloudwatch_log_group.this.name
            }
            """)
        if spec.children:
            head += "\n\n" + T(
                """
                output "nested_service_names" {
                  value = { for k, s in module.services : k => s.service_name }
                }
                """)
    else:
        head = T(
            """
            output "service_name" {
              value = aws_ecs_service.main.name
            }

            output "target_group_arn_suffix" {
              value = aws_lb_target_group.main.arn_suffix
            }

            output "task_role_arn" {
              value = aws_iam_role.main_task.arn
            }
            """)
    return head + "\n\n" + T(
        """
        output "service_names" {
          value = {
        <<svc_map>>
          }
        }

        output "target_group_arn_suffixes" {
          value = [<<tg_list>>]
        }
        """, svc_map=svc_map, tg_list=tg_list)


def app_child_call(spec, child):
    return T(
        """
        module "services" {
          source   = "./service"
          for_each = local.services

          name        = "${local.name}-${each.key}"
          environment = var.environment
          region      = var.region
          port        = each.value.port
          priority    = 1000 + each.value.priority * 100
          cpu         = each.value.cpu
          memory      = each.value.memory

          cluster_id         = aws_ecs_cluster.this.id
          cluster_arn        = aws_ecs_cluster.this.arn
          cluster_name       = aws_ecs_cluster_capacity_providers.this.cluster_name
          execution_role_arn = aws_iam_role.execution.arn
          listener_arn       = aws_lb_listener.this.arn
          image              = "${var.repository_url}:${each.key}-${var.image_tag}"

          vpc_id             = var.vpc_id
          subnet_ids         = var.private_subnet_ids
          security_group_ids = [var.app_security_group_id]
          kms_key_arn        = var.kms_key_arn
          zone_id            = var.zone_id
          zone_name          = var.zone_name
          lb_dns_name        = var.lb_dns_name
          lb_zone_id         = var.lb_zone_id
          alerts_topic_arn   = var.alerts_topic_arn
          db_secret_arn      = var.db_secret_arn
          queue_arn          = var.queue_arn
          queue_url          = var.queue_url
          log_retention_days = var.log_retention_days
          desired_count      = var.desired_count

          tags = merge(local.tags, { Nested = each.key })
        }
        """)


# ---------------- monitoring ----------------

MONITORING_VARS = T(
    """
    variable "name" {
      type = string
    }

    variable "region" {
      type    = string
      default = "eu-west-1"
    }

    variable "alarm_email" {
      type    = string
      default = null
    }

    variable "cluster_names" {
      type = list(string)
    }

    variable "db_identifiers" {
      type = list(string)
    }

    variable "lb_arn_suffixes" {
      type = list(string)
    }

    variable "tags" {
      type    = map(string)
      default = {}
    }
    """
)

MONITORING_LOCALS = T(
    """
    locals {
      name       = var.name
      tags       = merge(var.tags, { Module = "monitoring" })
      clusters   = toset(var.cluster_names)
      databases  = toset(var.db_identifiers)
      lbs        = toset(var.lb_arn_suffixes)
      thresholds = { cpu = 80, memory = 85, storage = 5368709120, latency = 1.5 }
    }
    """
)


def monitoring_anchors(g):
    g.add("main", "aws_kms_key", "alerts", T(
        """
        description         = "Alert topic key of ${local.name}"
        enable_key_rotation = true
        tags                = local.tags
        """))
    g.add("main", "aws_sns_topic", "alerts", T(
        """
        name              = "${local.name}-alerts"
        kms_master_key_id = aws_kms_key.alerts.id
        tags              = local.tags
        """))
    g.add("main", "aws_sns_topic_policy", "alerts", T(
        """
        arn = aws_sns_topic.alerts.arn
        policy = jsonencode({
          Version = "2012-10-17"
          Statement = [{
            Effect    = "Allow"
            Principal = { Service = "cloudwatch.amazonaws.com" }
            Action    = "sns:Publish"
            Resource  = aws_sns_topic.alerts.arn
          }]
        })
        """))
    g.add("main", "aws_sns_topic_subscription", "email", T(
        """
        count     = var.alarm_email == null ? 0 : 1
        topic_arn = aws_sns_topic.alerts.arn
        protocol  = "email"
        endpoint  = var.alarm_email
        """))


def mon_clusters(g):
    k = g.next_id("cl")
    n = f"cl_{k:03d}"
    for metric, key in (("CPUUtilization", "cpu"), ("MemoryUtilization", "memory")):
        g.add("alarms", "aws_cloudwatch_metric_alarm", f"{n}_{key}", T(
            """
            for_each = local.clusters

            alarm_name          = "${each.value}-<<n>>-<<key>>"
            namespace           = "AWS/ECS"
            metric_name         = "<<metric>>"
            dimensions          = { ClusterName = each.value }
            statistic           = "Average"
            period              = 300
            evaluation_periods  = 3
            threshold           = local.thresholds.<<key>>
            comparison_operator = "GreaterThanThreshold"
            alarm_actions       = [aws_sns_topic.alerts.arn]
            tags                = local.tags
            """, n=n, key=key, metric=metric))
    g.add("alarms", "aws_cloudwatch_composite_alarm", n, T(
        """
        alarm_name = "${local.name}-<<n>>-pressure"
        alarm_rule = join(" OR ", [
          for a in concat(values(aws_cloudwatch_metric_alarm.<<n>>_cpu), values(aws_cloudwatch_metric_alarm.<<n>>_memory)) : "ALARM(\\"${a.alarm_name}\\")"
        ])
        alarm_actions = [aws_sns_topic.alerts.arn]
        tags          = local.tags
        """, n=n))


def mon_databases(g):
    k = g.next_id("db")
    n = f"db_{k:03d}"
    g.add("alarms", "aws_cloudwatch_metric_alarm", f"{n}_storage", T(
        """
        for_each = local.databases

        alarm_name          = "${each.key}-<<n>>-storage"
        namespace           = "AWS/RDS"
        metric_name         = "FreeStorageSpace"
        dimensions          = { DBInstanceIdentifier = each.key }
        statistic           = "Minimum"
        period              = 300
        evaluation_periods  = 1
        threshold           = local.thresholds.storage
        comparison_operator = "LessThanThreshold"
        alarm_actions       = [aws_sns_topic.alerts.arn]
        """, n=n))
    g.add("alarms", "aws_cloudwatch_metric_alarm", f"{n}_cpu", T(
        """
        for_each = local.databases

        alarm_name          = "${each.key}-<<n>>-cpu"
        namespace           = "AWS/RDS"
        metric_name         = "CPUUtilization"
        dimensions          = { DBInstanceIdentifier = each.key }
        statistic           = "Average"
        period              = 300
        evaluation_periods  = 3
        threshold           = local.thresholds.cpu
        comparison_operator = "GreaterThanThreshold"
        alarm_actions       = [aws_sns_topic.alerts.arn]
        """, n=n))


def mon_lbs(g):
    k = g.next_id("lb")
    n = f"lb_{k:03d}"
    g.add("alarms", "aws_cloudwatch_metric_alarm", f"{n}_5xx", T(
        """
        for_each = local.lbs

        alarm_name          = "${local.name}-<<n>>-5xx-${replace(each.key, "/", "-")}"
        namespace           = "AWS/ApplicationELB"
        metric_name         = "HTTPCode_ELB_5XX_Count"
        dimensions          = { LoadBalancer = each.key }
        statistic           = "Sum"
        period              = 60
        evaluation_periods  = 5
        threshold           = 10
        comparison_operator = "GreaterThanThreshold"
        treat_missing_data  = "notBreaching"
        alarm_actions       = [aws_sns_topic.alerts.arn]
        """, n=n))
    g.add("alarms", "aws_cloudwatch_metric_alarm", f"{n}_latency", T(
        """
        for_each = local.lbs

        alarm_name          = "${local.name}-<<n>>-latency-${replace(each.key, "/", "-")}"
        namespace           = "AWS/ApplicationELB"
        metric_name         = "TargetResponseTime"
        dimensions          = { LoadBalancer = each.key }
        extended_statistic  = "p99"
        period              = 60
        evaluation_periods  = 5
        threshold           = local.thresholds.latency
        comparison_operator = "GreaterThanThreshold"
        alarm_actions       = [aws_sns_topic.alerts.arn]
        """, n=n))


def mon_dashboard(g):
    k = g.next_id("dash")
    n = f"dash_{k:03d}"
    g.add("dashboards", "aws_cloudwatch_dashboard", n, T(
        """
        dashboard_name = "${local.name}-<<n>>"
        dashboard_body = <<-EOT
          {
            "widgets": [
          %{~for i, c in var.cluster_names~}
              ${i > 0 ? "," : ""}{"type": "metric", "x": ${(i % 4) * 6}, "y": ${floor(i / 4) * 6}, "width": 6, "height": 6,
               "properties": {"title": "${c} CPU", "region": "${var.region}", "metrics": [["AWS/ECS", "CPUUtilization", "ClusterName", "${c}"]]}}
          %{~endfor~}
          %{~for lb in var.lb_arn_suffixes~}
              ,{"type": "metric", "width": 12, "height": 6,
               "properties": {"title": "${lb}", "region": "${var.region}", "metrics": [["AWS/ApplicationELB", "RequestCount", "LoadBalancer", "${lb}"]]}}
          %{~endfor~}
            ]
          }
        EOT
        """, n=n))


MONITORING_CLUSTERS = [(mon_clusters, 3), (mon_databases, 2), (mon_lbs, 2), (mon_dashboard, 1)]


def monitoring_outputs(g):
    return T(
        """
        output "alerts_topic_arn" {
          value = aws_sns_topic.alerts.arn
        }
        """)


VERSIONS = T(
    """
    terraform {
      required_version = ">= 1.5"

      required_providers {
        aws = {
          source  = "hashicorp/aws"
          version = ">= 5.40"
        }
        random = {
          source  = "hashicorp/random"
          version = ">= 3.5"
        }
      }
    }
    """
)

VERSIONS_EDGE = T(
    """
    terraform {
      required_version = ">= 1.5"

      required_providers {
        aws = {
          source                = "hashicorp/aws"
          version               = ">= 5.40"
          configuration_aliases = [aws.us_east_1]
        }
      }
    }
    """
)


# --------------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------------


def weighted(rng, clusters):
    total = sum(w for _, w in clusters)
    x = rng.uniform(0, total)
    for c, w in clusters:
        x -= w
        if x <= 0:
            return c
    return clusters[-1][0]


def generate_module(spec, rng):
    """Returns {filename: text} for one module directory."""
    g = ModGen(spec, rng)
    files = {}
    kind = spec.kind
    try:
        if kind == "network":
            network_anchors(g)
        elif kind == "platform":
            platform_anchors(g)
        elif kind == "data":
            data_anchors(g)
        elif kind == "edge":
            edge_anchors(g)
        elif kind == "app":
            app_anchors(g, spec)
        elif kind == "service":
            app_service(g, SERVICE_CTX, "main", group="main")
        elif kind == "monitoring":
            monitoring_anchors(g)
    except Full:
        raise SystemExit(f"{spec.dir}: budget {spec.budget} is smaller than its anchor resources")
    assert len(g.res) == ANCHORS[kind], (kind, len(g.res))
    anchors = list(g.res)
    g.res = []
    g.budget -= len(anchors)

    try:
        while g.left() > 0:
            if kind == "network":
                weighted(rng, NETWORK_CLUSTERS)(g)
            elif kind == "platform":
                weighted(rng, PLATFORM_CLUSTERS)(g)
            elif kind == "data":
                weighted(rng, DATA_CLUSTERS)(g)
            elif kind == "edge":
                weighted(rng, EDGE_CLUSTERS)(g)
            elif kind == "monitoring":
                weighted(rng, MONITORING_CLUSTERS)(g)
            else:
                ctx = APP_CTX if kind == "app" else SERVICE_CTX
                choice = weighted(rng, APP_CLUSTERS)
                if choice == "service":
                    app_service(g, ctx, f"svc_{g.next_id('svc'):03d}")
                elif choice == "worker":
                    app_worker(g, ctx)
                elif choice == "job":
                    app_job(g, ctx)
                elif spec.children and rng.random() < 0.5:
                    app_children_watch(g)
                else:
                    app_dashboard(g, ctx)
    except Full:
        pass
    body = g.res
    assert len(body) == g.budget, (spec.dir, len(body), g.budget)

    fixed = FIXED_FILES[kind]
    rf = spec.files - len(fixed)
    if rf < 1 or len(body) < rf:
        raise SystemExit(f"{spec.dir}: {len(body)} resources cannot fill {rf} resource files; "
                         "use more --resources or fewer --files")
    # Split the body into rf files, in order, as evenly as possible.
    base, extra = divmod(len(body), rf)
    pos = 0
    for i in range(rf):
        size = base + (1 if i < extra else 0)
        chunk = body[pos:pos + size]
        pos += size
        name = f"{chunk[0][0]}_{i:03d}.tf"
        files[name] = "\n".join(text for _, text in chunk)

    main = "\n".join(text for _, text in anchors)
    if kind == "app" and spec.children:
        main += "\n" + app_child_call(spec, spec.children[0]) + "\n"
    files["main.tf"] = main
    files["versions.tf"] = (VERSIONS_EDGE if kind == "edge" else VERSIONS) + "\n"

    if kind == "network":
        files["variables.tf"], files["locals.tf"], files["outputs.tf"] = NETWORK_VARS, NETWORK_LOCALS, network_outputs(g)
    elif kind == "platform":
        files["variables.tf"], files["locals.tf"], files["outputs.tf"] = PLATFORM_VARS, PLATFORM_LOCALS, platform_outputs(g)
    elif kind == "data":
        files["variables.tf"], files["locals.tf"], files["outputs.tf"] = DATA_VARS, DATA_LOCALS, data_outputs(g)
    elif kind == "edge":
        files["variables.tf"], files["locals.tf"], files["outputs.tf"] = EDGE_VARS, EDGE_LOCALS, edge_outputs(g)
    elif kind == "monitoring":
        files["variables.tf"], files["locals.tf"], files["outputs.tf"] = MONITORING_VARS, MONITORING_LOCALS, monitoring_outputs(g)
    else:
        # Outputs see anchors too (the service module's `main` cluster).
        svc_names = g.names("aws_ecs_service")
        names_expr = "[" + ", ".join(f"aws_ecs_service.{s}.name" for s in svc_names[:30]) + "]"
        files["variables.tf"] = APP_VARS if kind == "app" else SERVICE_VARS
        files["locals.tf"] = app_locals(kind, spec, names_expr)
        files["outputs.tf"] = app_outputs(g, spec)
        files["data.tf"] = APP_DATA
    assert len(files) == spec.files, (spec.dir, len(files), spec.files)
    return {k: v.rstrip("\n") + "\n" for k, v in files.items()}


def kv_block(pairs, pad=2):
    """`key = value` lines aligned the way `terraform fmt` does: runs of single-line values are
    aligned; a multi-line value is not, and ends the run."""
    out, run = [], []

    def flush():
        if run:
            width = max(len(k) for k, _ in run)
            out.extend(" " * pad + f"{k.ljust(width)} = {v}" for k, v in run)
            run.clear()

    for k, v in pairs:
        if "\n" in v:
            flush()
            out.append(" " * pad + f"{k} = {v}")
        else:
            run.append((k, v))
    flush()
    return "\n".join(out)


def module_call(spec):
    head = [("source", f'"{spec.source}"')]
    if spec.repetition:
        head.append(spec.repetition[:2])
    lines = [f'module "{spec.name}" {{', kv_block(head), ""]
    lines.append(kv_block(list(spec.inputs.items())))
    if spec.depends_on:
        lines.append("")
        lines.append(f"  depends_on = [{', '.join(spec.depends_on)}]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def wire(nets, plats, datas, edges, apps, mons):
    """Repetition and inputs of every root call."""
    tags = lambda s: f'merge(local.common_tags, {{ Component = "{s.name}" }})'  # noqa: E731

    # Keyed calls over literal maps / known values.
    if len(datas) > 1:
        d = datas[1]
        d.repetition = ("for_each", T(
            """
            {
                primary   = { instance_class = "db.r6g.large", retention = 14 }
                analytics = { instance_class = "db.r6g.xlarge", retention = 7 }
              }
            """), "map")
        d.first_key = '["primary"]'
    if len(edges) > 2:
        e = edges[2]
        e.repetition = ("count", "var.enable_secondary_edge ? 1 : 0", "count")
        e.first_key = "[0]"
    for i, a in enumerate(apps):
        if i % 7 == 2:
            a.repetition = ("count", "2", "count")
        elif i % 7 == 5:
            a.repetition = ("for_each", "local.app_variants", "map")
        elif i % 11 == 9:
            a.repetition = ("for_each", 'toset(["eu", "us"])', "set")

    for n in nets:
        n.inputs = {
            "name": f'"${{local.name}}-{n.name}"',
            "cidr": f"cidrsubnet(var.base_cidr, 8, {n.index})",
            "azs": "var.azs",
            "region": "var.region",
            "allowed_cidrs": "var.allowed_cidrs",
            "tags": tags(n),
        }
    for p in plats:
        p.inputs = {
            "name": f'"${{local.name}}-{p.name}"',
            "region": "var.region",
            "repositories": "local.repositories",
            "tags": tags(p),
        }
    for d in datas:
        net = nets[d.index % len(nets)]
        keyed = d.repetition is not None
        d.inputs = {
            "name": f'"${{local.name}}-{d.name}-${{each.key}}"' if keyed else f'"${{local.name}}-{d.name}"',
            "vpc_id": net.out("vpc_id"),
            "private_subnet_ids": net.out("private_subnet_ids"),
            "db_security_group_id": net.out("db_security_group_id"),
            "instance_class": "each.value.instance_class" if keyed else "var.db_instance_class",
            "backup_retention_days": "each.value.retention" if keyed else "var.backup_retention_days",
            "deletion_protection": "var.deletion_protection",
            "tags": tags(d),
        }
    for e in edges:
        net = nets[e.index % len(nets)]
        dat = datas[e.index % len(datas)]
        e.inputs = {
            "name": f'"${{local.name}}-{e.name}"',
            "domain_name": f'"{e.name.replace("_", "-")}.${{var.domain_name}}"',
            "vpc_id": net.out("vpc_id"),
            "public_subnet_ids": net.out("public_subnet_ids"),
            "alb_security_group_id": net.out("alb_security_group_id"),
            "logs_bucket": dat.out("logs_bucket"),
            "deletion_protection": "var.deletion_protection",
            "tags": tags(e),
            "providers": "{\n    aws           = aws\n    aws.us_east_1 = aws.us_east_1\n  }",
        }
        # An internet-facing load balancer needs the gateway and routes, which the subnet IDs
        # alone do not imply.
        e.depends_on = [f"module.{net.name}"]
    for i, a in enumerate(apps):
        net = nets[i % len(nets)]
        edge = edges[i % len(edges)]
        dat = datas[i % len(datas)]
        plat = plats[i % len(plats)]
        if a.repetition is None:
            name = f'"${{local.name}}-{a.name}"'
            port = str(8443 + i)
        elif a.repetition[0] == "count":
            name = f'"${{local.name}}-{a.name}-${{count.index}}"'
            port = f"{9000 + 10 * i} + count.index"
        elif a.repetition[2] == "map":
            name = f'"${{local.name}}-{a.name}-${{each.key}}"'
            port = f"each.value.listener_port + {i}"
        else:
            name = f'"${{local.name}}-{a.name}-${{each.key}}"'
            port = f'each.key == "eu" ? {9500 + i} : {9600 + i}'
        a.inputs = {
            "name": name,
            "environment": "var.environment",
            "region": "var.region",
            "vpc_id": net.out("vpc_id"),
            "private_subnet_ids": net.out("private_subnet_ids"),
            "app_security_group_id": net.out("app_security_group_id"),
            "lb_arn": edge.out("lb_arn"),
            "lb_dns_name": edge.out("lb_dns_name"),
            "lb_zone_id": edge.out("lb_zone_id"),
            "certificate_arn": edge.out("certificate_arn"),
            "zone_id": edge.out("zone_id"),
            "zone_name": edge.out("zone_name"),
            "listener_port": port,
            "kms_key_arn": dat.out("kms_key_arn"),
            "db_secret_arn": dat.out("db_secret_arn"),
            "queue_arn": dat.out("queue_arn"),
            "queue_url": dat.out("queue_url"),
            "alerts_topic_arn": dat.out("alerts_topic_arn"),
            "repository_url": plat.out("repository_url"),
            "image_tag": "var.image_tag",
            "log_retention_days": "var.log_retention_days",
            "desired_count": "var.desired_count",
            "tags": tags(a),
        }
        if i % 4 == 3:
            a.depends_on = [f"module.{net.name}"]
    for m in mons:
        watched = [a for i, a in enumerate(apps) if i % len(mons) == m.index]
        clusters = [a.out_list("cluster_name") for a in watched] or ["[]"]
        dbs = [d.out_list("db_instance_identifier") for d in datas]
        lbs = [e.out_list("lb_arn_suffix") for e in edges]
        m.inputs = {
            "name": f'"${{local.name}}-{m.name}"',
            "region": "var.region",
            "alarm_email": "var.alarm_email",
            "cluster_names": "concat(\n    " + ",\n    ".join(clusters) + ",\n  )",
            "db_identifiers": "concat(" + ", ".join(dbs) + ")",
            "lb_arn_suffixes": "concat(" + ", ".join(lbs) + ")",
            "tags": tags(m),
        }


ROOT_VARS = T(
    """
    variable "project" {
      type    = string
      default = "bench"
    }

    variable "environment" {
      type    = string
      default = "dev"

      validation {
        condition     = contains(["dev", "staging", "prod"], var.environment)
        error_message = "The environment must be dev, staging or prod."
      }
    }

    variable "region" {
      type    = string
      default = "eu-west-1"
    }

    variable "domain_name" {
      type    = string
      default = "bench.example.com"
    }

    variable "base_cidr" {
      type    = string
      default = "10.0.0.0/8"
    }

    variable "azs" {
      type    = list(string)
      default = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
    }

    variable "allowed_cidrs" {
      type    = list(string)
      default = ["192.168.0.0/16"]
    }

    variable "db_instance_class" {
      type    = string
      default = "db.t4g.medium"
    }

    variable "backup_retention_days" {
      type    = number
      default = 7
    }

    variable "deletion_protection" {
      type    = bool
      default = true
    }

    variable "enable_secondary_edge" {
      type    = bool
      default = true
    }

    variable "image_tag" {
      type    = string
      default = "main"
    }

    variable "log_retention_days" {
      type    = number
      default = 30
    }

    variable "desired_count" {
      type    = number
      default = 2
    }

    variable "alarm_email" {
      type    = string
      default = null
    }

    variable "tags" {
      type    = map(string)
      default = {}
    }
    """
)

ROOT_LOCALS = T(
    """
    locals {
      name = "${var.project}-${var.environment}"

      common_tags = merge(var.tags, {
        Project     = var.project
        Environment = var.environment
        ManagedBy   = "terraform"
      })

      repositories = ["api", "web", "worker", "migrations"]

      # Blue/green variants of some apps: a literal map, so instance keys are known at plan time.
      app_variants = {
        blue  = { listener_port = 10443 }
        green = { listener_port = 11443 }
      }
    }
    """
)

ROOT_PROVIDERS = T(
    """
    provider "aws" {
      region = var.region

      default_tags {
        tags = local.common_tags
      }
    }

    provider "aws" {
      alias  = "us_east_1"
      region = "us-east-1"

      default_tags {
        tags = local.common_tags
      }
    }

    provider "random" {}
    """
)


def root_files(nets, plats, datas, edges, apps, mons):
    files = {
        "versions.tf": VERSIONS,
        "providers.tf": ROOT_PROVIDERS,
        "variables.tf": ROOT_VARS,
        "locals.tf": ROOT_LOCALS,
        "network.tf": "\n".join(module_call(s) for s in nets + plats),
        "data.tf": "\n".join(module_call(s) for s in datas),
        "edge.tf": "\n".join(module_call(s) for s in edges),
        "apps.tf": "\n".join(module_call(s) for s in apps),
        "monitoring.tf": "\n".join(module_call(s) for s in mons),
    }
    outs = []
    for n in nets:
        outs.append(f'output "{n.name}_vpc_id" {{\n  value = {n.out("vpc_id")}\n}}\n')
    for e in edges:
        outs.append(f'output "{e.name}_name_servers" {{\n  value = {e.out("name_servers")}\n}}\n')
    for a in apps:
        outs.append(f'output "{a.name}_cluster_names" {{\n  value = {a.out_list("cluster_name")}\n}}\n')
    for m in mons:
        outs.append(f'output "{m.name}_alerts_topic_arn" {{\n  value = {m.out("alerts_topic_arn")}\n}}\n')
    files["outputs.tf"] = "\n".join(outs)
    assert sorted(files) == sorted(ROOT_FILES)
    return {k: v.rstrip("\n") + "\n" for k, v in files.items()}


def distribute(total, weights):
    """Integers proportional to weights summing exactly to total (largest remainder)."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    out = [int(x) for x in raw]
    order = sorted(range(len(weights)), key=lambda i: (-(raw[i] - out[i]), i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


RES_RE = re.compile(r'^resource\s+"', re.M)


def self_check(out_dir, all_files):
    """Every var./local./resource reference in a module is declared in it."""
    problems = []
    by_dir = {}
    for rel, text in all_files.items():
        by_dir.setdefault(os.path.dirname(rel), {})[rel] = text
    for d, files in by_dir.items():
        text = "\n".join(files.values())
        declared_vars = set(re.findall(r'^variable\s+"(\w+)"', text, re.M))
        declared_res = set(re.findall(r'^resource\s+"(\w+)"\s+"(\w+)"', text, re.M))
        declared_data = set(re.findall(r'^data\s+"(\w+)"\s+"(\w+)"', text, re.M))
        declared_locals = set()
        for block in re.findall(r"^locals \{\n(.*?)^\}", text, re.M | re.S):
            declared_locals |= set(re.findall(r"^  (\w+)\s*=", block, re.M))
        for v in set(re.findall(r"\bvar\.(\w+)", text)) - declared_vars:
            problems.append(f"{d}: var.{v} not declared")
        for v in set(re.findall(r"\blocal\.(\w+)", text)) - declared_locals:
            problems.append(f"{d}: local.{v} not declared")
        for t, n in set(re.findall(r"(?<![\w.\"/:])((?:aws|random)_\w+)\.(\w+)", text)):
            if (t, n) not in declared_res:
                problems.append(f"{d}: {t}.{n} not declared")
        for t, n in set(re.findall(r"\bdata\.(\w+)\.(\w+)", text)):
            if (t, n) not in declared_data:
                problems.append(f"{d}: data.{t}.{n} not declared")
    # Module calls: inputs are declared variables of the child, required ones are all given,
    # and `module.NAME[KEY].OUTPUT` names a declared output.
    variables, outputs = {}, {}
    for d, files in by_dir.items():
        text = "\n".join(files.values())
        variables[d] = {
            name: "default" in body
            for name, body in re.findall(r'^variable\s+"(\w+)"\s*\{(.*?)^\}', text, re.M | re.S)
        }
        outputs[d] = set(re.findall(r'^output\s+"(\w+)"', text, re.M))
    meta = {"source", "count", "for_each", "depends_on", "providers"}
    for d, files in by_dir.items():
        text = "\n".join(files.values())
        children = {}
        for name, body in re.findall(r'^module\s+"(\w+)"\s*\{(.*?)^\}', text, re.M | re.S):
            source = re.search(r'source\s*=\s*"([^"]+)"', body).group(1)
            child = os.path.normpath(os.path.join(d, source))
            children[name] = child
            given = set(re.findall(r"^  (\w+)\s*=", body, re.M)) - meta
            declared = variables.get(child, {})
            for v in given - set(declared):
                problems.append(f"{d}: module {name} passes undeclared {v}")
            for v, has_default in declared.items():
                if not has_default and v not in given:
                    problems.append(f"{d}: module {name} misses required {v}")
        for name, out in set(re.findall(r"\bmodule\.(\w+)(?:\[[^\]]*\])?\.(\w+)", text)):
            if name not in children:
                problems.append(f"{d}: module.{name} not called here")
            elif out not in outputs.get(children[name], set()):
                problems.append(f"{d}: module.{name}.{out} is not an output")
    if problems:
        for p in sorted(problems)[:40]:
            print("self-check:", p, file=sys.stderr)
        raise SystemExit(f"self-check failed: {len(problems)} problem(s)")


# --------------------------------------------------------------------------
# Other shapes (issue 11): a flat root of independent stacks, and module calls chained by
# depends_on. Both deterministic for (files, resources, seed).
# --------------------------------------------------------------------------

# One resource block each; `{i}` is the stack, `{n}` the block's number in it. Every block after
# the first references earlier ones, as real stacks do.
FLAT_BLOCKS = [
    ('aws_security_group', 'sg{n}', """
  name        = "${{local.name{i}}}-sg{n}"
  description = "stack {i}"
  tags        = local.tags{i}
  dynamic "ingress" {{
    for_each = local.ports{i}
    content {{
      from_port = ingress.value
      to_port   = ingress.value
      protocol  = "tcp"
    }}
  }}
"""),
    ('aws_ecs_service', 'svc{n}', """
  for_each        = local.services{i}
  name            = "${{local.name{i}}}-${{each.key}}"
  desired_count   = each.value.count
  security_groups = [aws_security_group.sg0_{i}.id]
  tags            = merge(local.tags{i}, {{ Service = each.key }})
"""),
    ('aws_cloudwatch_log_group', 'logs{n}', """
  for_each          = local.services{i}
  name              = "/ecs/${{local.name{i}}}/${{each.key}}"
  retention_in_days = var.stack{i}.retention
"""),
    ('aws_s3_bucket', 'bucket{n}', """
  bucket = "${{local.name{i}}}-bucket{n}"
  tags   = local.tags{i}
"""),
    ('aws_iam_role', 'role{n}', """
  name = "${{local.name{i}}}-role{n}"
  assume_role_policy = jsonencode({{
    Statement = [for s in keys(local.services{i}) : {{ Action = "sts:AssumeRole", Sid = s }}]
  }})
"""),
    ('aws_sqs_queue', 'queue{n}', """
  count = var.stack{i}.queues
  name  = "${{local.name{i}}}-queue{n}-${{count.index}}"
  tags  = local.tags{i}
"""),
    ('aws_lb_target_group', 'tg{n}', """
  for_each = {{ for k, v in local.services{i} : k => v if v.public }}
  name     = "${{local.name{i}}}-${{each.key}}"
  port     = each.value.port
  vpc_id   = data.aws_vpc.this{i}.id
"""),
    ('aws_instance', 'vm{n}', """
  count         = var.stack{i}.enabled ? var.stack{i}.size : 0
  ami           = data.aws_ami.image{i}.id
  instance_type = "t3.micro"
  tags          = local.tags{i}
"""),
]


def flat_stack(i, blocks):
    """One file: a whole stack (variable with optional() attributes, locals with merge() and
    `for`, data sources, then `blocks` resource blocks)."""
    head = f"""variable "stack{i}" {{
  type = object({{
    name      = string
    enabled   = optional(bool, true)
    size      = optional(number, 2)
    queues    = optional(number, 1)
    retention = optional(number, 14)
    tags      = optional(map(string), {{}})
    services = optional(map(object({{
      port   = number
      count  = optional(number, 1)
      public = optional(bool, false)
    }})), {{}})
  }})
  default = {{
    name = "stack{i}"
    services = {{
      api    = {{ port = 8080, public = true }}
      worker = {{ port = 9090, count = 2 }}
    }}
  }}
}}

locals {{
  name{i}     = lower(var.stack{i}.name)
  tags{i}     = merge(var.stack{i}.tags, {{ Stack = local.name{i}, Index = "{i}" }})
  services{i} = {{ for k, v in var.stack{i}.services : k => merge(v, {{ name = "${{local.name{i}}}-${{k}}" }}) }}
  ports{i}    = distinct([for k, v in local.services{i} : v.port])
}}

data "aws_vpc" "this{i}" {{
  tags = {{ Name = "main" }}
}}

data "aws_ami" "image{i}" {{
  most_recent = true
  owners      = ["amazon"]
}}
"""
    parts = [head]
    for n in range(blocks):
        rtype, name, body = FLAT_BLOCKS[n % len(FLAT_BLOCKS)]
        label = name.format(n=n) + f"_{i}"
        text = body.format(i=i, n=n)
        text = text.replace("aws_security_group.sg0_", "aws_security_group.sg0_")
        parts.append(f'resource "{rtype}" "{label}" {{{text}}}\n')
    return "\n".join(parts)


def flat_files(files, resources):
    per = distribute(resources, [1] * files)
    if min(per) < 1:
        raise SystemExit("--resources must be at least --files for --shape flat")
    return {f"stack{i:05d}.tf": flat_stack(i, k) for i, k in enumerate(per)}


def depends_on_files(files, resources):
    """A root with one call per local module (two files each). Call 0 is a shared network module
    of base types holding a tenth of the resources; every other call has `depends_on =
    [module.m00000]`, every eighth also on the call before it, and every fourth repeats with
    for_each. Inside a module each resource references the first one."""
    calls = max(2, (files - 1) // 2)
    shared = max(1, resources // 10)
    per = [shared] + distribute(resources - shared, [1] * (calls - 1))
    if min(per) < 1:
        raise SystemExit("--resources too small for --shape depends-on")
    base_types = ["aws_security_group", "aws_s3_bucket", "aws_sqs_queue"]
    out = {}
    root = []
    for c in range(calls):
        deps = ["module.m00000"] if c else []
        if c > 1 and c % 8 == 7:
            deps.append(f"module.m{c - 1:05d}")
        repeat = '  for_each = toset(["a", "b"])\n' if c % 4 == 3 else ""
        dep = f"  depends_on = [{', '.join(deps)}]\n" if deps else ""
        name = '"${each.key}-m%d"' % c if repeat else f'"m{c}"'
        root.append(f'module "m{c:05d}" {{\n  source = "./modules/m{c:05d}"\n{repeat}  name   = {name}\n{dep}}}\n')
        body = []
        for n in range(per[c]):
            rtype = base_types[n % 3] if c == 0 else FLAT_BLOCKS[n % len(FLAT_BLOCKS)][0]
            first = base_types[0] if c == 0 else FLAT_BLOCKS[0][0]
            ref = f"\n  description = {first}.r0.id" if n else ""
            body.append(f'resource "{rtype}" "r{n}" {{\n  tags = {{ Name = "${{var.name}}-{n}" }}{ref}\n}}\n')
        out[f"modules/m{c:05d}/main.tf"] = "\n".join(body)
        out[f"modules/m{c:05d}/variables.tf"] = 'variable "name" {\n  type = string\n}\n'
    out["main.tf"] = "\n".join(root)
    return out


def main():
    ap = argparse.ArgumentParser(
        description="Generate a large, deterministic, realistic Terraform configuration (root module "
        "plus local child modules) with exactly --files .tf files and --resources resource blocks, "
        "for benchmarking tfscope.")
    ap.add_argument("out_dir")
    ap.add_argument("--files", type=int, default=2000, help="exact number of .tf files (default 2000)")
    ap.add_argument("--resources", type=int, default=20000, help="exact number of resource blocks (default 20000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--shape", choices=["modules", "flat", "depends-on"], default="modules",
                    help="modules: a root and ~files/50 wired child modules (default); flat: one "
                    "directory of independent stacks; depends-on: module calls chained by depends_on")
    ap.add_argument("--force", action="store_true",
                    help=f"replace OUT_DIR if it is a tree this script generated (has {MARKER})")
    args = ap.parse_args()

    out = args.out_dir
    if os.path.exists(out) and os.listdir(out):
        if args.force and os.path.exists(os.path.join(out, MARKER)):
            shutil.rmtree(out)
        else:
            raise SystemExit(f"{out} exists and is not empty (use --force to replace a generated tree)")

    rng = random.Random(args.seed)
    if args.shape != "modules":
        make = flat_files if args.shape == "flat" else depends_on_files
        all_files = make(args.files, args.resources)
        os.makedirs(out, exist_ok=True)
        with open(os.path.join(out, MARKER), "w") as f:
            f.write(f"generated by scripts/gen-bench-tree.py --shape {args.shape} --files {args.files} "
                    f"--resources {args.resources}\n")
        for rel, text in sorted(all_files.items()):
            path = os.path.join(out, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(text)
        n_res = sum(t.count('\nresource "') + t.startswith('resource "') for t in all_files.values())
        print(f"{out}: shape {args.shape}, {len(all_files)} .tf files, {n_res} resource blocks, "
              f"{sum(len(t) for t in all_files.values()) / 1e6:.1f} MB")
        return
    n_modules = max(7, round((args.files - len(ROOT_FILES)) / 50))
    nets, plats, datas, edges, apps, children, mons = plan_modules(n_modules)
    specs = nets + plats + datas + edges + apps + children + mons
    module_files = args.files - len(ROOT_FILES)
    files_per = distribute(module_files, [1] * len(specs))
    for s, f in zip(specs, files_per):
        s.files = f
        if f - len(FIXED_FILES[s.kind]) < 1:
            raise SystemExit("--files too small for the module mix")
    rfs = [s.files - len(FIXED_FILES[s.kind]) for s in specs]
    budgets = distribute(args.resources, rfs)
    for s, b, rf in zip(specs, budgets, rfs):
        s.budget = b
        if b < ANCHORS[s.kind] + rf:
            raise SystemExit(f"--resources too small: {s.dir} gets {b}, needs at least {ANCHORS[s.kind] + rf}")
    wire(nets, plats, datas, edges, apps, mons)

    all_files = {}
    for rel, text in root_files(nets, plats, datas, edges, apps, mons).items():
        all_files[rel] = text
    for s in specs:
        for rel, text in generate_module(s, rng).items():
            all_files[os.path.join(s.dir, rel)] = text

    self_check(out, all_files)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, MARKER), "w") as f:
        f.write(f"generated by scripts/gen-bench-tree.py --files {args.files} "
                f"--resources {args.resources} --seed {args.seed}\n")
    total_bytes = 0
    for rel, text in sorted(all_files.items()):
        path = os.path.join(out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        data = text.encode()
        with open(path, "wb") as f:
            f.write(data)
        total_bytes += len(data)

    # Count what is on disk, not what we meant to write.
    n_files = n_res = n_data = n_calls = 0
    for dirpath, _, names in os.walk(out):
        for name in names:
            if not name.endswith(".tf"):
                continue
            n_files += 1
            with open(os.path.join(dirpath, name)) as f:
                text = f.read()
            n_res += len(RES_RE.findall(text))
            n_data += len(re.findall(r'^data\s+"', text, re.M))
            n_calls += len(re.findall(r'^module\s+"', text, re.M))
    if n_files != args.files or n_res != args.resources:
        raise SystemExit(f"count mismatch: {n_files} files, {n_res} resources")
    kinds = {}
    for s in specs:
        kinds[s.kind] = kinds.get(s.kind, 0) + 1
    mix = ", ".join(f"{k} {v}" for k, v in kinds.items())
    print(f"{out}: {n_files} .tf files, {n_res} resource blocks, {n_data} data blocks, "
          f"{total_bytes} bytes ({total_bytes / 1e6:.1f} MB)")
    print(f"{len(specs)} module directories ({mix}); {n_calls} module calls, "
          f"{sum(1 for s in specs if s.repetition)} with count/for_each at the root, "
          f"{sum(1 for s in specs if s.parent)} nested (for_each)")


if __name__ == "__main__":
    main()
