locals {
  # Elastic Load Balancing accounts of the regions opened before August 2022;
  # newer regions deliver logs through the log delivery service principal.
  elb_account_ids = {
    "us-east-1"      = "127311923021"
    "us-east-2"      = "033677994240"
    "us-west-1"      = "027434742980"
    "us-west-2"      = "797873946194"
    "ca-central-1"   = "985666609251"
    "eu-central-1"   = "054676820928"
    "eu-west-1"      = "156460612806"
    "eu-west-2"      = "652711504416"
    "eu-west-3"      = "009996457667"
    "eu-north-1"     = "897822967062"
    "ap-northeast-1" = "582318560864"
    "ap-southeast-1" = "114774131450"
    "ap-southeast-2" = "783225319266"
  }

  elb_account_id = lookup(local.elb_account_ids, var.region, "")

  alb_log_principal = (
    local.elb_account_id != ""
    ? tomap({ AWS = "arn:aws:iam::${local.elb_account_id}:root" })
    : tomap({ Service = "logdelivery.elasticloadbalancing.amazonaws.com" })
  )

  # Bucket ids and the server-side encryption each one uses. Load balancer
  # access logs only support SSE-S3.
  buckets = {
    assets   = { id = aws_s3_bucket.assets.id, sse_algorithm = "aws:kms" }
    alb_logs = { id = aws_s3_bucket.alb_logs.id, sse_algorithm = "AES256" }
  }
}

resource "aws_s3_bucket" "assets" {
  bucket        = "${var.name}-assets"
  force_destroy = !var.deletion_protection

  tags = merge(var.tags, { Name = "${var.name}-assets" })
}

resource "aws_s3_bucket" "alb_logs" {
  bucket        = "${var.name}-alb-logs"
  force_destroy = true

  tags = merge(var.tags, { Name = "${var.name}-alb-logs" })
}

resource "aws_s3_bucket_public_access_block" "this" {
  for_each = local.buckets

  bucket                  = each.value.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  for_each = local.buckets

  bucket = each.value.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = each.value.sse_algorithm
      kms_master_key_id = each.value.sse_algorithm == "aws:kms" ? aws_kms_key.this.arn : null
    }
    bucket_key_enabled = each.value.sse_algorithm == "aws:kms"
  }
}

resource "aws_s3_bucket_versioning" "assets" {
  bucket = aws_s3_bucket.assets.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "alb_logs" {
  bucket = aws_s3_bucket.alb_logs.id

  rule {
    id     = "expire-access-logs"
    status = "Enabled"

    filter {
      prefix = "${var.alb_logs_prefix}/"
    }

    expiration {
      days = var.alb_log_retention_days
    }
  }
}

resource "aws_s3_bucket_policy" "alb_logs" {
  bucket = aws_s3_bucket.alb_logs.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AllowLoadBalancerLogDelivery"
        Effect    = "Allow"
        Principal = local.alb_log_principal
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.alb_logs.arn}/${var.alb_logs_prefix}/AWSLogs/*"
      },
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.alb_logs.arn, "${aws_s3_bucket.alb_logs.arn}/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
    ]
  })

  # Putting a policy while the public access block is being created fails
  # with a conflict.
  depends_on = [aws_s3_bucket_public_access_block.this]
}
