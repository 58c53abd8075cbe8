resource "aws_security_group" "alb" {
  name        = "${var.name}-alb"
  description = "Public load balancer"
  vpc_id      = aws_vpc.this.id

  dynamic "ingress" {
    for_each = var.alb_ingress_ports
    content {
      description = "Port ${ingress.value} from allowed networks"
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = var.alb_ingress_cidrs
    }
  }

  egress {
    description = "To targets inside the VPC"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = [var.cidr]
  }

  tags = merge(var.tags, { Name = "${var.name}-alb" })
}

resource "aws_security_group" "ecs_tasks" {
  name        = "${var.name}-ecs-tasks"
  description = "ECS tasks, reachable from the load balancer and from each other"
  vpc_id      = aws_vpc.this.id

  ingress {
    description     = "Application ports from the load balancer"
    from_port       = var.app_port_range.from
    to_port         = var.app_port_range.to
    protocol        = "tcp"
    security_groups = [aws_security_group.alb.id]
  }

  ingress {
    description = "Service-to-service traffic through service discovery"
    from_port   = var.app_port_range.from
    to_port     = var.app_port_range.to
    protocol    = "tcp"
    self        = true
  }

  egress {
    description = "Outbound (NAT, VPC endpoints, database)"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = merge(var.tags, { Name = "${var.name}-ecs-tasks" })
}

resource "aws_security_group" "db" {
  name        = "${var.name}-db"
  description = "Database, reachable from ECS tasks only"
  vpc_id      = aws_vpc.this.id

  ingress {
    description     = "Database port from ECS tasks"
    from_port       = var.db_port
    to_port         = var.db_port
    protocol        = "tcp"
    security_groups = [aws_security_group.ecs_tasks.id]
  }

  tags = merge(var.tags, { Name = "${var.name}-db" })
}
