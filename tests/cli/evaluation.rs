//! Evaluation order, pinned through the library: the keys of `count`/`for_each` come out the
//! same whatever order locals, variables and files are written in, whichever way the
//! evaluator schedules them. Each test writes a small tree, evaluates it with
//! `Instances::evaluate` and checks the instance addresses Terraform would create.

use tfscope::eval::instances::Instances;

/// Writes `(relative path, text)` files into a fresh directory and evaluates the instances,
/// with an optional `.tfvars` text as the environment.
fn evaluate(files: &[(&str, &str)], tfvars: Option<&str>) -> Instances {
    let tmp = tempfile::tempdir().expect("temporary directory");
    for (rel, text) in files {
        let path = tmp.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
        std::fs::write(path, text).expect("write fixture file");
    }
    let env = tfvars.map(|text| {
        let path = tmp.path().join("env.tfvars");
        std::fs::write(&path, text).expect("write tfvars");
        path
    });
    let loaded = tfscope::load::load(tmp.path()).expect("fixture loads");
    Instances::evaluate(&loaded, env.as_deref()).expect("fixture evaluates")
}

/// The instance addresses of one resource of the root module.
fn addresses(i: &Instances, address: &str) -> Vec<String> {
    let e = i
        .get(address)
        .unwrap_or_else(|| panic!("{address} was not evaluated"));
    let mut out = e
        .addresses(address)
        .unwrap_or_else(|| panic!("{address}: keys not known"));
    out.sort();
    out
}

#[test]
fn a_local_that_depends_on_a_later_local_in_another_file_is_evaluated_after_it() {
    // `a.tf` sorts first and uses locals that `z.tf` declares, two steps down a chain.
    let files = [
        (
            "a.tf",
            r#"
locals {
  enabled = { for k, v in local.merged : k => v if v.on }
}
resource "aws_sqs_queue" "q" {
  for_each = local.enabled
  name     = each.key
}
"#,
        ),
        (
            "z.tf",
            r#"
locals {
  merged   = merge(local.defaults, { extra = { on = true } })
  defaults = { one = { on = true }, two = { on = false } }
}
"#,
        ),
    ];
    let i = evaluate(&files, None);
    assert_eq!(
        addresses(&i, "aws_sqs_queue.q"),
        [r#"aws_sqs_queue.q["extra"]"#, r#"aws_sqs_queue.q["one"]"#]
    );
}

#[test]
fn for_each_over_a_local_map_of_objects_takes_the_map_keys() {
    let files = [(
        "main.tf",
        r#"
variable "env" { default = "dev" }
locals {
  services = {
    api    = { port = 8080, public = true }
    worker = { port = 0, public = false }
    admin  = { port = 9090, public = var.env == "prod" }
  }
  public = { for name, s in local.services : name => s if s.public }
}
resource "aws_lb_target_group" "tg" {
  for_each = local.public
  port     = each.value.port
}
resource "aws_ecs_service" "svc" {
  for_each = local.services
  name     = each.key
}
"#,
    )];
    let dev = evaluate(&files, None);
    assert_eq!(
        addresses(&dev, "aws_lb_target_group.tg"),
        [r#"aws_lb_target_group.tg["api"]"#]
    );
    assert_eq!(addresses(&dev, "aws_ecs_service.svc").len(), 3);
    // The same local chain with another environment: a tfvars value flows through both locals.
    let prod = evaluate(&files, Some("env = \"prod\"\n"));
    assert_eq!(
        addresses(&prod, "aws_lb_target_group.tg"),
        [
            r#"aws_lb_target_group.tg["admin"]"#,
            r#"aws_lb_target_group.tg["api"]"#
        ]
    );
}

#[test]
fn optional_attributes_get_their_defaults_before_for_each_filters_on_them() {
    let files = [(
        "main.tf",
        r#"
variable "queues" {
  type = map(object({
    enabled = optional(bool, true)
    fifo    = optional(bool)
  }))
  default = {
    a = {}
    b = { enabled = false }
    c = { fifo = true }
  }
}
locals {
  enabled = { for k, q in var.queues : k => q if q.enabled }
}
resource "aws_sqs_queue" "q" {
  for_each = local.enabled
  name     = each.key
}
resource "aws_sqs_queue" "fifo" {
  count = length([for q in values(var.queues) : q if q.fifo == true])
}
"#,
    )];
    let defaults = evaluate(&files, None);
    assert_eq!(
        addresses(&defaults, "aws_sqs_queue.q"),
        [r#"aws_sqs_queue.q["a"]"#, r#"aws_sqs_queue.q["c"]"#]
    );
    assert_eq!(
        addresses(&defaults, "aws_sqs_queue.fifo"),
        ["aws_sqs_queue.fifo[0]"]
    );
    // A tfvars value is converted to the type too: the left-out attribute is still true.
    let env = evaluate(
        &files,
        Some("queues = { x = {}, y = { enabled = false } }\n"),
    );
    assert_eq!(
        addresses(&env, "aws_sqs_queue.q"),
        [r#"aws_sqs_queue.q["x"]"#]
    );
    assert!(env.is_absent("aws_sqs_queue.fifo"));
}

#[test]
fn module_inputs_are_evaluated_from_the_callers_locals_before_the_modules_own() {
    let files = [
        (
            "main.tf",
            r#"
locals {
  names = toset(["a", "b"])
  zones = { for n in local.names : n => "${n}.example.com" }
}
module "dns" {
  source = "./dns"
  zones  = local.zones
}
"#,
        ),
        (
            "dns/main.tf",
            r#"
variable "zones" { type = map(string) }
locals {
  private = { for k, z in var.zones : "${k}-private" => z }
}
resource "aws_route53_zone" "z" {
  for_each = local.private
  name     = each.value
}
"#,
        ),
    ];
    let i = evaluate(&files, None);
    let zones = i
        .get("module.dns.aws_route53_zone.z")
        .expect("evaluated")
        .addresses("aws_route53_zone.z")
        .expect("keys known");
    let mut zones = zones;
    zones.sort();
    assert_eq!(
        zones,
        [
            r#"module.dns.aws_route53_zone.z["a-private"]"#,
            r#"module.dns.aws_route53_zone.z["b-private"]"#
        ]
    );
}

#[test]
fn a_local_that_cannot_be_evaluated_does_not_matter_when_no_count_or_for_each_reads_it() {
    // Only what count/for_each reach is evaluated: a local built from a resource attribute
    // (unknown before apply) leaves the keys of everything else known.
    let files = [(
        "main.tf",
        r#"
resource "aws_vpc" "v" { cidr_block = "10.0.0.0/16" }
locals {
  vpc_id = aws_vpc.v.id
  tags   = { vpc = local.vpc_id }
  count  = 2
}
resource "aws_subnet" "s" {
  count  = local.count
  vpc_id = local.vpc_id
  tags   = local.tags
}
"#,
    )];
    let i = evaluate(&files, None);
    assert_eq!(
        addresses(&i, "aws_subnet.s"),
        ["aws_subnet.s[0]", "aws_subnet.s[1]"]
    );
}
