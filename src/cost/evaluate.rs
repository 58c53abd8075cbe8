//! Evaluates the arguments of every instance of the resources a price catalog cares about:
//! module instances are expanded (`count`, `for_each` with `each.key`/`each.value`), variables
//! flow in from defaults, the environment's tfvars and module inputs, locals are resolved, and
//! each resource instance's arguments (nested blocks as lists of objects) are evaluated. An
//! argument that refers to another resource (`task_definition = aws_ecs_task_definition.x.arn`)
//! also yields that resource's arguments under `refs`. What cannot be evaluated (it depends on
//! something known only after apply) is left out, so prices that need it are reported unpriced.
//! Resource bodies are re-read from their files only here, so other commands keep no trees: the
//! files that hold priced instances are parsed in parallel up front, and each resource block is
//! kept as an `hcl::Body` (no spans or formatting), converted once however many instances it has.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use hcl::expr::TraversalOperator;
use hcl::structure::{Block, Body, Structure};
use hcl::{Expression, Map, Value};
use rayon::prelude::*;

use crate::error::Error;
use crate::eval::instances::{Expander, InstanceAt};
use crate::load::Configuration;

/// One resource instance with what its prices may read.
#[derive(Debug, Clone)]
pub struct Instance {
    /// `module.app.module.service["api"].aws_ecs_service.this`
    pub address: String,
    /// Without keys: `module.app.module.service.aws_ecs_service.this`.
    pub config_address: String,
    pub resource_type: String,
    pub args: Map<String, Value>,
    pub refs: Map<String, Value>,
    /// The region it is priced in ([`super::region::of_instance`]); `None`: the base region.
    pub region: Option<String>,
}

/// A resource whose instances could not be counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uncounted {
    pub config_address: String,
    pub reason: String,
}

/// Resource bodies of one file, by (type, name): those of the wanted types and what their
/// arguments reference, then whatever else was looked up (`None`: the file has no such block).
type Bodies = HashMap<(String, String), Option<Rc<Body>>>;

/// [`Bodies`] as a parser thread hands them over (`Rc` is not `Send`).
type ParsedBodies = Vec<((String, String), Body)>;

pub struct Evaluator {
    files: RefCell<HashMap<String, Bodies>>,
    pub instances: Vec<Instance>,
    pub uncounted: Vec<Uncounted>,
}

/// Which resource blocks of a file [`parse_bodies`] keeps.
enum Keep<'a> {
    /// Those of these types, and the blocks their top-level arguments reference
    /// (`task_definition = aws_ecs_task_definition.x.arn`).
    Wanted(&'a BTreeSet<String>),
    /// This one.
    One(&'a str, &'a str),
}

impl Evaluator {
    /// Evaluates every instance of the resources of `types` in the environment of `var_file`.
    pub fn run(
        config: &Configuration,
        var_file: Option<&std::path::Path>,
        types: &BTreeSet<String>,
    ) -> Result<Evaluator, Error> {
        let expander = Expander::for_env(config, var_file)?;
        let mut e = Evaluator {
            files: RefCell::new(HashMap::new()),
            instances: Vec::new(),
            uncounted: Vec::new(),
        };
        let (found, unknown) = expander.resource_instances(|t| types.contains(t));
        for u in unknown {
            let reason = format!(
                "its {} cannot be evaluated before apply ({} at {})",
                u.argument, u.expression, u.location
            );
            if !e.uncounted.iter().any(|x| x.config_address == u.address) {
                e.uncounted.push(Uncounted {
                    config_address: u.address,
                    reason,
                });
            }
        }
        // Every file an instance is declared in, parsed in parallel; the first error in the
        // order the instances come in wins, as when they were read one by one.
        let mut wanted: Vec<&str> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for ri in &found {
            if seen.insert(ri.item.location.file.as_str()) {
                wanted.push(ri.item.location.file.as_str());
            }
        }
        let parsed: Vec<Result<ParsedBodies, Error>> = wanted
            .par_iter()
            .map(|file| parse_bodies(file, &Keep::Wanted(types)))
            .collect();
        {
            let mut files = e.files.borrow_mut();
            for (file, bodies) in wanted.iter().zip(parsed) {
                files.insert(file.to_string(), shared(bodies?));
            }
        }
        for ri in found {
            let crate::load::model::ItemKind::Resource {
                resource_type: kind,
                name,
            } = &ri.item.kind
            else {
                continue;
            };
            let Some(body) = e.body(&ri.item.location.file, kind, name)? else {
                continue;
            };
            let args = evaluate_body(&expander, &ri.at, &body);
            let refs = e.references(&expander, &ri.at, &body)?;
            let region = instance_region(&expander, &ri, kind, &args, &refs);
            e.instances.push(Instance {
                address: ri.address,
                config_address: ri.config_address,
                resource_type: kind.clone(),
                args,
                refs,
                region,
            });
        }
        e.instances.sort_by(|a, b| a.address.cmp(&b.address));
        Ok(e)
    }

    fn body(&self, file: &str, kind: &str, name: &str) -> Result<Option<Rc<Body>>, Error> {
        let key = (kind.to_string(), name.to_string());
        if let Some(found) = self.files.borrow().get(file).and_then(|b| b.get(&key)) {
            return Ok(found.clone());
        }
        let found = parse_bodies(file, &Keep::One(kind, name))?
            .pop()
            .map(|(_, body)| Rc::new(body));
        self.files
            .borrow_mut()
            .entry(file.to_string())
            .or_default()
            .insert(key, found.clone());
        Ok(found)
    }

    /// For each argument that is a reference to another resource of the same module instance,
    /// that resource's evaluated arguments: the instance named by an index (evaluated with its
    /// own `each.value`), or the only one. Arguments of nested blocks one level down count too,
    /// as lists of objects like the blocks themselves: `version { instance_template = ... }`
    /// gives `refs.version[0].instance_template`.
    fn references(
        &self,
        expander: &Expander<'_>,
        at: &InstanceAt,
        body: &Body,
    ) -> Result<Map<String, Value>, Error> {
        let mut refs = Map::new();
        for attr in body.attributes() {
            if let Some(target) = self.reference(expander, at, &attr.expr)? {
                refs.insert(attr.key.as_str().to_string(), target);
            }
        }
        let mut nested: Map<String, (Vec<Value>, bool)> = Map::new();
        for block in body.blocks() {
            let mut found = Map::new();
            for attr in block.body.attributes() {
                if let Some(target) = self.reference(expander, at, &attr.expr)? {
                    found.insert(attr.key.as_str().to_string(), target);
                }
            }
            let (blocks, any) = nested.entry(block.identifier().to_string()).or_default();
            *any |= !found.is_empty();
            blocks.push(Value::Object(found));
        }
        for (ident, (blocks, any)) in nested {
            if any && !refs.contains_key(&ident) {
                refs.insert(ident, Value::Array(blocks));
            }
        }
        Ok(refs)
    }

    /// The evaluated arguments of the resource `expr` refers to (`aws_x.y.attr`,
    /// `aws_x.y[key].attr`), if it is one of the same module instance.
    fn reference(
        &self,
        expander: &Expander<'_>,
        at: &InstanceAt,
        expr: &Expression,
    ) -> Result<Option<Value>, Error> {
        let Expression::Traversal(t) = expr else {
            return Ok(None);
        };
        let Expression::Variable(root) = &t.expr else {
            return Ok(None);
        };
        let mut ops = t.operators.iter();
        let Some(TraversalOperator::GetAttr(name)) = ops.next() else {
            return Ok(None);
        };
        let index = match ops.next() {
            Some(TraversalOperator::Index(e)) => match expander.evaluate_at(at, e) {
                Ok(v) => Some(v),
                Err(_) => return Ok(None),
            },
            _ => None,
        };
        let (kind, name) = (root.as_str(), name.as_str());
        let Some((target_at, item)) = expander.sibling(at, kind, name, index.as_ref()) else {
            return Ok(None);
        };
        let Some(target) = self.body(&item.location.file, kind, name)? else {
            return Ok(None);
        };
        Ok(Some(Value::Object(evaluate_body(
            expander, &target_at, &target,
        ))))
    }
}

/// The region of one instance ([`super::region::of_instance`]): its own region argument or
/// the resource it references for it, else the `region` of the provider configuration it uses (its `provider` meta-argument, or the default one of its type's prefix).
fn instance_region(
    expander: &Expander<'_>,
    ri: &crate::eval::instances::ResourceInstance<'_>,
    kind: &str,
    args: &Map<String, Value>,
    refs: &Map<String, Value>,
) -> Option<String> {
    let provider = ri
        .item
        .provider
        .clone()
        .unwrap_or_else(|| super::region::provider_prefix(kind).to_string());
    let configured = match expander.provider_argument(&ri.at, &provider, "region") {
        Some(crate::eval::Value::String(s)) => Some(s),
        _ => None,
    };
    super::region::of_instance(kind, args, refs, configured.as_deref())
}

/// Reads and parses one file and keeps the resource blocks `keep` asks for (a later block of the
/// same type and name replaces an earlier one).
fn parse_bodies(file: &str, keep: &Keep<'_>) -> Result<ParsedBodies, Error> {
    let text = crate::error::read_file(std::path::Path::new(file))?;
    if crate::load::is_json_file(file) {
        return json_bodies(file, &text, keep);
    }
    let body = crate::load::hcl_syntax::parse_body(&text).map_err(|e| {
        let offset = e.location().offset();
        Error::syntax(file, &text, offset..offset + 1, e.message().to_string())
    })?;
    let mut referenced: BTreeSet<(String, String)> = BTreeSet::new();
    if let Keep::Wanted(types) = keep {
        for block in body.blocks().filter(|b| b.ident.as_str() == "resource") {
            if !matches!(block.labels.as_slice(), [t, _] if types.contains(t.as_str())) {
                continue;
            }
            let nested = block.body.blocks().flat_map(|b| b.body.attributes());
            for attr in block.body.attributes().chain(nested) {
                if let Some((t, n)) = referenced_block(&attr.value) {
                    referenced.insert((t.to_string(), n.to_string()));
                }
            }
        }
    }
    let mut bodies: ParsedBodies = Vec::new();
    for block in body.into_iter().filter_map(|s| s.into_block().ok()) {
        if block.ident.as_str() != "resource" {
            continue;
        }
        let [t, n] = block.labels.as_slice() else {
            continue;
        };
        let key = (t.as_str().to_string(), n.as_str().to_string());
        let kept = match keep {
            Keep::Wanted(types) => types.contains(&key.0) || referenced.contains(&key),
            Keep::One(kind, name) => key.0 == *kind && key.1 == *name,
        };
        if kept {
            bodies.retain(|(k, _)| *k != key);
            bodies.push((key, Body::from(block.body)));
        }
    }
    Ok(bodies)
}

/// [`parse_bodies`] for a `.tf.json` file: the same blocks, converted from JSON.
fn json_bodies(file: &str, text: &str, keep: &Keep<'_>) -> Result<ParsedBodies, Error> {
    let blocks = crate::load::json::resource_bodies(file, text)?;
    let mut referenced: BTreeSet<(String, String)> = BTreeSet::new();
    if let Keep::Wanted(types) = keep {
        for (_, body) in blocks.iter().filter(|(k, _)| types.contains(&k.0)) {
            let nested = body.blocks().flat_map(|b| b.body.attributes());
            for attr in body.attributes().chain(nested) {
                if let Some((t, n)) = referenced_resource(&attr.expr) {
                    referenced.insert((t.to_string(), n.to_string()));
                }
            }
        }
    }
    let mut bodies: ParsedBodies = Vec::new();
    for (key, body) in blocks {
        let kept = match keep {
            Keep::Wanted(types) => types.contains(&key.0) || referenced.contains(&key),
            Keep::One(kind, name) => key.0 == *kind && key.1 == *name,
        };
        if kept {
            bodies.retain(|(k, _)| *k != key);
            bodies.push((key, body));
        }
    }
    Ok(bodies)
}

/// [`referenced_block`] of an `hcl` expression (the form JSON arguments are converted to).
fn referenced_resource(expr: &Expression) -> Option<(&str, &str)> {
    let Expression::Traversal(t) = expr else {
        return None;
    };
    let Expression::Variable(root) = &t.expr else {
        return None;
    };
    match t.operators.first() {
        Some(TraversalOperator::GetAttr(name)) => Some((root.as_str(), name.as_str())),
        _ => None,
    }
}

/// `aws_x.y` of an argument written `aws_x.y.attr` or `aws_x.y[key].attr`: the block whose
/// arguments [`Evaluator::references`] may evaluate.
fn referenced_block(expr: &hcl_edit::expr::Expression) -> Option<(&str, &str)> {
    use hcl_edit::expr::{Expression as Edit, TraversalOperator as Op};
    let Edit::Traversal(t) = expr else {
        return None;
    };
    let Edit::Variable(root) = &t.expr else {
        return None;
    };
    match t.operators.first().map(|o| o.value()) {
        Some(Op::GetAttr(name)) => Some((root.as_str(), name.as_str())),
        _ => None,
    }
}

fn shared(parsed: ParsedBodies) -> Bodies {
    parsed
        .into_iter()
        .map(|(k, b)| (k, Some(Rc::new(b))))
        .collect()
}

/// Arguments that evaluate, and nested blocks as lists of objects.
fn evaluate_body(expander: &Expander<'_>, at: &InstanceAt, body: &Body) -> Map<String, Value> {
    let mut out = Map::new();
    for structure in body.iter() {
        match structure {
            Structure::Attribute(a) => {
                // An argument set to null is unset, as in Terraform: prices see the default.
                if let Some(v) = expander
                    .evaluate_at(at, &a.expr)
                    .ok()
                    .and_then(|v| v.to_hcl_known())
                    .filter(|v| !v.is_null())
                {
                    out.insert(a.key.as_str().to_string(), v);
                }
            }
            Structure::Block(b) => append_block(&mut out, b, expander, at),
        }
    }
    out
}

fn append_block(
    out: &mut Map<String, Value>,
    block: &Block,
    expander: &Expander<'_>,
    at: &InstanceAt,
) {
    if matches!(
        block.identifier.as_str(),
        "lifecycle" | "provisioner" | "connection" | "dynamic"
    ) {
        return;
    }
    let value = Value::Object(evaluate_body(expander, at, &block.body));
    match out.get_mut(block.identifier.as_str()) {
        Some(Value::Array(list)) => list.push(value),
        _ => {
            out.insert(
                block.identifier.as_str().to_string(),
                Value::Array(vec![value]),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    //! Priced arguments evaluated per instance, each.value and keyed references included.

    use super::*;

    #[test]
    fn instances_of_for_each_modules_see_each_value_and_their_references() {
        let tmp = crate::testing::tree(&[
            (
                "main.tf",
                r#"
variable "services" {
  default = {
    api = { cpu = 256, count = 2 }
  }
}
module "svc" {
  source   = "./svc"
  for_each = var.services
  name     = each.key
  cpu      = each.value.cpu
  replicas = each.value.count
}
resource "aws_nat_gateway" "nat" {
  count = 2
}
"#,
            ),
            (
                "svc/main.tf",
                r#"
variable "name" {}
variable "cpu" {}
variable "replicas" {}
resource "aws_ecs_task_definition" "t" {
  family = var.name
  cpu    = var.cpu
  runtime_platform {
    cpu_architecture = "ARM64"
  }
}
resource "aws_ecs_service" "s" {
  task_definition = aws_ecs_task_definition.t.arn
  desired_count   = var.replicas
}
"#,
            ),
            ("prod.tfvars", "services = {\n  api = { cpu = 512, count = 3 }\n  web = { cpu = 256, count = 1 }\n}\n"),
        ]);
        let config = crate::load::load(tmp.path()).unwrap();
        let types: BTreeSet<String> = ["aws_ecs_service", "aws_nat_gateway"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let e = Evaluator::run(&config, Some(&tmp.path().join("prod.tfvars")), &types).unwrap();
        let addresses: Vec<&str> = e.instances.iter().map(|i| i.address.as_str()).collect();
        assert_eq!(
            addresses,
            vec![
                "aws_nat_gateway.nat[0]",
                "aws_nat_gateway.nat[1]",
                "module.svc[\"api\"].aws_ecs_service.s",
                "module.svc[\"web\"].aws_ecs_service.s",
            ]
        );
        let api = &e.instances[2];
        assert_eq!(api.config_address, "module.svc.aws_ecs_service.s");
        assert_eq!(api.args["desired_count"], Value::from(3));
        assert!(
            !api.args.contains_key("task_definition"),
            "known only after apply"
        );
        let task = api.refs["task_definition"].as_object().unwrap();
        assert_eq!(task["cpu"], Value::from(512));
        let platform = task["runtime_platform"].as_array().unwrap()[0]
            .as_object()
            .unwrap();
        assert_eq!(platform["cpu_architecture"], Value::from("ARM64"));
        assert!(e.uncounted.is_empty());
    }

    // "not priced (no such key: cpu in refs.task_definition)": the keyed task definition was
    // evaluated with each.value set to its key instead of the services map entry.
    #[test]
    fn a_keyed_reference_sees_the_referenced_instance_s_own_each_value() {
        let tmp = crate::testing::tree(&[(
            "main.tf",
            r#"
variable "services" {
  default = {
    api = { cpu = 512 }
    web = { cpu = 256 }
  }
}
resource "aws_ecs_task_definition" "svc" {
  for_each = var.services
  family   = each.key
  cpu      = each.value.cpu
}
resource "aws_ecs_service" "svc" {
  for_each        = var.services
  task_definition = aws_ecs_task_definition.svc[each.key].arn
}
"#,
        )]);
        let config = crate::load::load(tmp.path()).unwrap();
        let types: BTreeSet<String> = ["aws_ecs_service".to_string()].into();
        let e = Evaluator::run(&config, None, &types).unwrap();
        let cpu: Vec<(String, Value)> = e
            .instances
            .iter()
            .map(|i| {
                let task = i.refs["task_definition"].as_object().unwrap();
                (i.address.clone(), task["cpu"].clone())
            })
            .collect();
        assert_eq!(
            cpu,
            vec![
                ("aws_ecs_service.svc[\"api\"]".to_string(), Value::from(512)),
                ("aws_ecs_service.svc[\"web\"]".to_string(), Value::from(256)),
            ]
        );
    }

    /// An instance's address, arguments and references.
    type Priced = (String, Map<String, Value>, Map<String, Value>);

    /// The priced instances of a tree.
    fn priced(files: &[(&str, &str)], types: &[&str]) -> Vec<Priced> {
        let tmp = crate::testing::tree(files);
        let config = crate::load::load(tmp.path()).unwrap();
        let types: BTreeSet<String> = types.iter().map(|t| t.to_string()).collect();
        let e = Evaluator::run(&config, None, &types).unwrap();
        e.instances
            .into_iter()
            .map(|i| (i.address, i.args, i.refs))
            .collect()
    }

    #[test]
    fn a_tf_json_file_prices_like_the_same_blocks_in_hcl() {
        let hcl = r#"
variable "cpu" {
  default = 512
}
resource "aws_ecs_task_definition" "t" {
  cpu = var.cpu
  runtime_platform {
    cpu_architecture = "ARM64"
  }
}
resource "aws_ecs_service" "s" {
  for_each        = toset(["a", "b"])
  name            = "svc-${each.key}"
  desired_count   = 2
  task_definition = aws_ecs_task_definition.t.arn
}
"#;
        let json = r#"{
  "variable": { "cpu": { "default": 512 } },
  "resource": {
    "aws_ecs_task_definition": {
      "t": { "cpu": "${var.cpu}", "runtime_platform": [{ "cpu_architecture": "ARM64" }] }
    },
    "aws_ecs_service": {
      "s": {
        "for_each": "${toset([\"a\", \"b\"])}",
        "name": "svc-${each.key}",
        "desired_count": 2,
        "task_definition": "${aws_ecs_task_definition.t.arn}"
      }
    }
  }
}"#;
        let types = ["aws_ecs_service"];
        let from_hcl = priced(&[("main.tf", hcl)], &types);
        let from_json = priced(&[("main.tf.json", json)], &types);
        assert_eq!(from_hcl.len(), 2);
        let (_, args, refs) = &from_json[1];
        assert_eq!(args["name"], Value::from("svc-b"));
        assert_eq!(args["desired_count"], Value::from(2));
        let task = refs["task_definition"].as_object().unwrap();
        assert_eq!(task["cpu"], Value::from(512));
        let platform = task["runtime_platform"].as_array().unwrap()[0]
            .as_object()
            .unwrap();
        assert_eq!(platform["cpu_architecture"], Value::from("ARM64"));
        // Everything but the references' unknown `arn` (left out) is the same.
        assert_eq!(from_json, from_hcl);
    }

    #[test]
    fn the_region_comes_from_the_resource_or_its_provider_configuration() {
        let tmp = crate::testing::tree(&[
            (
                "main.tf",
                r#"
variable "region" {
  default = "us-east-1"
}
provider "aws" {
  region = var.region
}
provider "aws" {
  alias  = "west"
  region = "us-west-2"
}
provider "azurerm" {}
resource "aws_nat_gateway" "default" {}
resource "aws_nat_gateway" "aliased" {
  provider = aws.west
}
resource "aws_nat_gateway" "own" {
  region = "ap-south-1"
}
resource "azurerm_public_ip" "ip" {
  location = "West Europe"
}
resource "azurerm_nat_gateway" "none" {}
module "inherits" {
  source = "./child"
}
module "passed" {
  source    = "./child"
  providers = { aws = aws.west }
}
"#,
            ),
            ("child/main.tf", "resource \"aws_nat_gateway\" \"c\" {}\n"),
            ("dev.tfvars", "region = \"eu-west-1\"\n"),
        ]);
        let config = crate::load::load(tmp.path()).unwrap();
        let types: BTreeSet<String> = [
            "aws_nat_gateway",
            "azurerm_public_ip",
            "azurerm_nat_gateway",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let e = Evaluator::run(&config, Some(&tmp.path().join("dev.tfvars")), &types).unwrap();
        let regions: Vec<(&str, Option<&str>)> = e
            .instances
            .iter()
            .map(|i| (i.address.as_str(), i.region.as_deref()))
            .collect();
        assert_eq!(
            regions,
            vec![
                ("aws_nat_gateway.aliased", Some("us-west-2")),
                ("aws_nat_gateway.default", Some("eu-west-1")),
                ("aws_nat_gateway.own", Some("ap-south-1")),
                ("azurerm_nat_gateway.none", None),
                ("azurerm_public_ip.ip", Some("westeurope")),
                ("module.inherits.aws_nat_gateway.c", Some("eu-west-1")),
                ("module.passed.aws_nat_gateway.c", Some("us-west-2")),
            ]
        );
    }

    #[test]
    fn references_in_nested_blocks_are_lists_of_objects_like_the_blocks() {
        let tmp = crate::testing::tree(&[(
            "main.tf",
            r#"
resource "google_compute_instance_template" "web" {
  machine_type = "e2-standard-2"
}
resource "google_compute_instance_template" "canary" {
  machine_type = "n2-custom-6-20480"
}
resource "google_compute_region_instance_group_manager" "web" {
  target_size = 3
  version {
    instance_template = google_compute_instance_template.web.self_link_unique
  }
  version {
    name              = "canary"
    instance_template = google_compute_instance_template.canary.id
  }
  update_policy {
    type = "PROACTIVE"
  }
}
"#,
        )]);
        let config = crate::load::load(tmp.path()).unwrap();
        let types: BTreeSet<String> = ["google_compute_region_instance_group_manager".to_string()]
            .into_iter()
            .collect();
        let e = Evaluator::run(&config, None, &types).unwrap();
        let mig = &e.instances[0];
        let versions = mig.refs["version"].as_array().unwrap();
        let template = |i: usize| versions[i].as_object().unwrap()["instance_template"].clone();
        assert_eq!(
            template(0).as_object().unwrap()["machine_type"],
            Value::from("e2-standard-2")
        );
        assert_eq!(
            template(1).as_object().unwrap()["machine_type"],
            Value::from("n2-custom-6-20480")
        );
        // A nested block that references nothing adds nothing.
        assert!(!mig.refs.contains_key("update_policy"), "{:?}", mig.refs);
    }
}
