locals {
  service_keys = sort(keys(var.service_names))

  # Two service widgets per row, then one row for the load balancer, the
  # database and the alarm overview.
  service_rows = ceil(length(local.service_keys) / 2)

  service_widgets = [
    for index, key in local.service_keys : {
      type   = "metric"
      x      = (index % 2) * 12
      y      = floor(index / 2) * 6
      width  = 12
      height = 6
      properties = {
        title  = "${key}: CPU and memory"
        region = var.region
        view   = "timeSeries"
        stat   = "Average"
        period = 300
        metrics = [
          ["AWS/ECS", "CPUUtilization", "ClusterName", var.cluster_name, "ServiceName", var.service_names[key]],
          [".", "MemoryUtilization", ".", ".", ".", "."],
        ]
      }
    }
  ]

  overview_widgets = [
    {
      type   = "metric"
      x      = 0
      y      = local.service_rows * 6
      width  = 8
      height = 6
      properties = {
        title  = "Load balancer"
        region = var.region
        view   = "timeSeries"
        stat   = "Sum"
        period = 60
        metrics = [
          ["AWS/ApplicationELB", "RequestCount", "LoadBalancer", var.alb_arn_suffix],
          [".", "HTTPCode_Target_5XX_Count", ".", "."],
          [".", "HTTPCode_ELB_5XX_Count", ".", "."],
        ]
      }
    },
    {
      type   = "metric"
      x      = 8
      y      = local.service_rows * 6
      width  = 8
      height = 6
      properties = {
        title  = "Database"
        region = var.region
        view   = "timeSeries"
        stat   = "Average"
        period = 300
        metrics = [
          ["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", var.db_instance_identifier],
          [".", "DatabaseConnections", ".", "."],
        ]
      }
    },
    {
      type   = "alarm"
      x      = 16
      y      = local.service_rows * 6
      width  = 8
      height = 6
      properties = {
        title = "Alarms"
        alarms = concat(
          [for alarm in aws_cloudwatch_metric_alarm.service_cpu : alarm.arn],
          [for alarm in aws_cloudwatch_metric_alarm.service_memory : alarm.arn],
          [for alarm in aws_cloudwatch_metric_alarm.unhealthy_targets : alarm.arn],
          [
            aws_cloudwatch_metric_alarm.alb_5xx.arn,
            aws_cloudwatch_metric_alarm.db_cpu.arn,
            aws_cloudwatch_metric_alarm.db_free_storage.arn,
            aws_cloudwatch_metric_alarm.dlq_messages.arn,
          ],
        )
      }
    },
  ]
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = "${var.name}-overview"
  dashboard_body = jsonencode({
    widgets = concat(local.service_widgets, local.overview_widgets)
  })
}
