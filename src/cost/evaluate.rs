//! Evaluates the arguments of every instance of the resources a price catalog cares about:
//! module instances are expanded (`count`, `for_each` with `each.key`/`each.value`), variables
//! flow in from defaults, the environment's tfvars and module inputs, locals are resolved, and
//! each resource instance's arguments (nested blocks as lists of objects) are evaluated. An
//! argument that refers to another resource (`task_definition = aws_ecs_task_definition.x.arn`)
//! also yields that resource's arguments under `refs`. What cannot be evaluated (it depends on
//! something known only after apply) is left out, so prices that need it are reported unpriced.
//! Resource bodies are re-read from their files only here, so other commands keep no trees.

use std::collections::{BTreeSet, HashMap};

use hcl::eval::{Context, Evaluate};
use hcl::{Map, Value};
use hcl_edit::expr::{Expression as EditExpr, TraversalOperator};
use hcl_edit::structure::{Block, Body, Structure};

use crate::address::InstanceKey;
use crate::error::Error;
use crate::instances::{context, defaults, instance_keys, locals};
use crate::load::{Configuration, Module};
use crate::model::{ItemKind, Repetition};

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
}

/// A resource whose instances could not be counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uncounted {
    pub config_address: String,
    pub reason: String,
}

/// Parsed resource bodies of one file, by (type, name).
type Bodies = HashMap<(String, String), Body>;

pub struct Evaluator<'a> {
    config: &'a Configuration,
    types: &'a BTreeSet<String>,
    files: HashMap<String, Bodies>,
    pub instances: Vec<Instance>,
    pub uncounted: Vec<Uncounted>,
}

impl<'a> Evaluator<'a> {
    /// Evaluates every instance of the resources of `types` (root variables: `root_vars`, the
    /// defaults overridden by tfvars).
    pub fn run(
        config: &'a Configuration,
        tfvars: &Map<String, Value>,
        types: &'a BTreeSet<String>,
    ) -> Result<Evaluator<'a>, Error> {
        let mut e = Evaluator {
            config,
            types,
            files: HashMap::new(),
            instances: Vec::new(),
            uncounted: Vec::new(),
        };
        let root = &config.modules[0];
        let mut vars = defaults(root);
        vars.extend(tfvars.clone());
        e.module(root, String::new(), vars)?;
        e.instances.sort_by(|a, b| a.address.cmp(&b.address));
        Ok(e)
    }

    fn body(&mut self, file: &str, kind: &str, name: &str) -> Result<Option<Body>, Error> {
        if !self.files.contains_key(file) {
            let text = std::fs::read_to_string(file).map_err(|source| Error::Io {
                path: file.into(),
                source,
            })?;
            let body = hcl_edit::parser::parse_body(&text).map_err(|e| {
                let offset = e.location().offset();
                Error::syntax(file, &text, offset..offset + 1, e.message().to_string())
            })?;
            let mut bodies = Bodies::new();
            for block in body.blocks().filter(|b| b.ident.as_str() == "resource") {
                if let [t, n] = block.labels.as_slice() {
                    bodies.insert(
                        (t.as_str().to_string(), n.as_str().to_string()),
                        block.body.clone(),
                    );
                }
            }
            self.files.insert(file.to_string(), bodies);
        }
        Ok(self.files[file]
            .get(&(kind.to_string(), name.to_string()))
            .cloned())
    }

    fn module(
        &mut self,
        module: &Module,
        prefix: String,
        vars: Map<String, Value>,
    ) -> Result<(), Error> {
        let locals = locals(module, &vars);
        let base = context(vars.clone(), locals.clone());
        let mut children = Vec::new();
        for item in module.items.iter() {
            match &item.kind {
                ItemKind::Resource { kind, name } if self.types.contains(kind) => {
                    let config_address = format!("{}{kind}.{name}", module.path.prefix());
                    let Some(body) = self.body(&item.location.file, kind, name)? else {
                        continue;
                    };
                    let keys = match expand(&base, item.repetition, item.repetition_expr.as_ref()) {
                        Ok(keys) => keys,
                        Err(reason) => {
                            self.uncounted.push(Uncounted {
                                config_address,
                                reason,
                            });
                            continue;
                        }
                    };
                    for key in keys {
                        let ctx = with_key(&vars, &locals, item.repetition, key.as_ref());
                        let args = evaluate_body(&body, &ctx);
                        let refs = self.references(module, &body, &ctx, &vars, &locals)?;
                        let suffix = key.as_ref().map(|(k, _)| k.to_string()).unwrap_or_default();
                        self.instances.push(Instance {
                            address: format!("{prefix}{kind}.{name}{suffix}"),
                            config_address: config_address.clone(),
                            resource_type: kind.clone(),
                            args,
                            refs,
                        });
                    }
                }
                ItemKind::Module(call) => {
                    let child = module.path.child(&call.name);
                    let Some(child_module) = self.config.module(&child) else {
                        continue;
                    };
                    let keys = match expand(&base, item.repetition, item.repetition_expr.as_ref()) {
                        Ok(keys) => keys,
                        Err(reason) => {
                            self.uncounted.push(Uncounted {
                                config_address: child.to_string(),
                                reason,
                            });
                            continue;
                        }
                    };
                    for key in keys {
                        let ctx = with_key(&vars, &locals, item.repetition, key.as_ref());
                        let mut child_vars = defaults(child_module);
                        for (name, expr) in &call.input_exprs {
                            if let Ok(v) = expr.evaluate(&ctx) {
                                child_vars.insert(name.clone(), v);
                            } else {
                                child_vars.shift_remove(name);
                            }
                        }
                        let suffix = key.as_ref().map(|(k, _)| k.to_string()).unwrap_or_default();
                        children.push((
                            child_module,
                            format!("{prefix}module.{}{suffix}.", call.name),
                            child_vars,
                        ));
                    }
                }
                _ => {}
            }
        }
        for (child, prefix, vars) in children {
            self.module(child, prefix, vars)?;
        }
        Ok(())
    }

    /// For each argument that is a reference to another resource of the same module, that
    /// resource's evaluated arguments (the instance named by an index, or the only one).
    fn references(
        &mut self,
        module: &Module,
        body: &Body,
        ctx: &Context,
        vars: &Map<String, Value>,
        locals: &Map<String, Value>,
    ) -> Result<Map<String, Value>, Error> {
        let mut refs = Map::new();
        for attr in body.attributes() {
            let EditExpr::Traversal(t) = &attr.value else {
                continue;
            };
            let EditExpr::Variable(root) = &t.expr else {
                continue;
            };
            let mut ops = t.operators.iter().map(|o| o.value());
            let Some(TraversalOperator::GetAttr(name)) = ops.next() else {
                continue;
            };
            let index = match ops.next() {
                Some(TraversalOperator::Index(e)) => {
                    hcl::Expression::from(e.clone()).evaluate(ctx).ok()
                }
                _ => None,
            };
            let (kind, name) = (root.as_str(), name.as_str());
            let Some(item) = module.items.iter().find(|i| {
                matches!(&i.kind, ItemKind::Resource { kind: k, name: n } if k == kind && n == name)
            }) else {
                continue;
            };
            let Some(target) = self.body(&item.location.file, kind, name)? else {
                continue;
            };
            let key = match (item.repetition, index) {
                (Repetition::Single, _) => None,
                (_, Some(Value::Number(n))) => {
                    Some((InstanceKey::Int(n.as_i64().unwrap_or(0)), Value::Number(n)))
                }
                (_, Some(Value::String(s))) => {
                    Some((InstanceKey::Str(s.clone()), Value::String(s)))
                }
                _ => continue,
            };
            let target_ctx = with_key(vars, locals, item.repetition, key.as_ref());
            refs.insert(
                attr.key.as_str().to_string(),
                Value::Object(evaluate_body(&target, &target_ctx)),
            );
        }
        Ok(refs)
    }
}

/// The instance keys of a repeated block, with the value `each.value`/`count.index` takes.
type Key = (InstanceKey, Value);

fn expand(
    ctx: &Context,
    repetition: Repetition,
    expr: Option<&hcl::Expression>,
) -> Result<Vec<Option<Key>>, String> {
    let Some(expr) = expr.filter(|_| repetition != Repetition::Single) else {
        return Ok(vec![None]);
    };
    let value = expr
        .evaluate(ctx)
        .map_err(|e| format!("its count/for_each cannot be evaluated before apply ({e})"))?;
    let keys = instance_keys(repetition, &value)
        .ok_or("its count/for_each is not a number, map or set")?;
    Ok(keys
        .into_iter()
        .map(|k| {
            let v = match (&k, &value) {
                (InstanceKey::Str(s), Value::Object(m)) => m.get(s).cloned().unwrap_or(Value::Null),
                (InstanceKey::Str(s), _) => Value::String(s.clone()),
                (InstanceKey::Int(i), _) => Value::from(*i),
            };
            Some((k, v))
        })
        .collect())
}

fn with_key(
    vars: &Map<String, Value>,
    locals: &Map<String, Value>,
    repetition: Repetition,
    key: Option<&Key>,
) -> Context<'static> {
    let mut ctx = context(vars.clone(), locals.clone());
    match (repetition, key) {
        (Repetition::Count, Some((_, v))) => {
            ctx.declare_var(
                "count",
                Value::Object([("index".to_string(), v.clone())].into_iter().collect()),
            );
        }
        (Repetition::ForEach, Some((k, v))) => {
            let key = match k {
                InstanceKey::Str(s) => Value::String(s.clone()),
                InstanceKey::Int(i) => Value::from(*i),
            };
            ctx.declare_var(
                "each",
                Value::Object(
                    [("key".to_string(), key), ("value".to_string(), v.clone())]
                        .into_iter()
                        .collect(),
                ),
            );
        }
        _ => {}
    }
    ctx
}

/// Arguments that evaluate, and nested blocks as lists of objects.
fn evaluate_body(body: &Body, ctx: &Context) -> Map<String, Value> {
    let mut out = Map::new();
    for structure in body.iter() {
        match structure {
            Structure::Attribute(a) => {
                if let Ok(v) = hcl::Expression::from(a.value.clone()).evaluate(ctx) {
                    out.insert(a.key.as_str().to_string(), v);
                }
            }
            Structure::Block(b) => append_block(&mut out, b, ctx),
        }
    }
    out
}

fn append_block(out: &mut Map<String, Value>, block: &Block, ctx: &Context) {
    if matches!(
        block.ident.as_str(),
        "lifecycle" | "provisioner" | "connection" | "dynamic"
    ) {
        return;
    }
    let value = Value::Object(evaluate_body(&block.body, ctx));
    match out.get_mut(block.ident.as_str()) {
        Some(Value::Array(list)) => list.push(value),
        _ => {
            out.insert(block.ident.as_str().to_string(), Value::Array(vec![value]));
        }
    }
}

#[cfg(test)]
mod tests {
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
        let tfvars = crate::instances::read_tfvars(&tmp.path().join("prod.tfvars")).unwrap();
        let e = Evaluator::run(&config, &tfvars, &types).unwrap();
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
}
