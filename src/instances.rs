//! Evaluates the instance keys of module calls with `count`/`for_each`, which Terraform needs in
//! a `-target` address that points inside such a module. Values come from variable defaults and
//! the environment's tfvars, flowing down through module inputs and locals; anything that depends
//! on a resource (unknown until apply) stays unknown. Evaluation is hcl-rs's, with the handful of
//! Terraform functions that key expressions commonly use.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use hcl::eval::{Context, Evaluate, FuncArgs, FuncDef, ParamType};
use hcl::{Map, Value};

use crate::address::{InstanceKey, ModulePath};
use crate::error::{display_path, Error};
use crate::load::Configuration;
use crate::model::{ItemKind, Repetition};
use crate::target::ModuleInstances;

/// A module's known variable and local values.
type Values = (Map<String, Value>, Map<String, Value>);

/// Known instance keys per keyed module call and per keyed resource.
#[derive(Debug, Default)]
pub struct Instances {
    keys: BTreeMap<ModulePath, Vec<InstanceKey>>,
    /// Resource (config address) -> its keys, where `count`/`for_each` could be evaluated.
    resources: BTreeMap<String, Vec<InstanceKey>>,
}

impl Instances {
    /// Whether a resource is known to have no instances (`count = 0`, `for_each = {}`).
    pub fn resource_is_empty(&self, address: &str) -> bool {
        self.resources.get(address).is_some_and(Vec::is_empty)
    }
}

impl ModuleInstances for Instances {
    fn keys(&self, module: &ModulePath) -> Option<Vec<InstanceKey>> {
        self.keys.get(module).cloned()
    }
}

/// Reads a tfvars file into values.
pub fn read_tfvars(path: &Path) -> Result<Map<String, Value>, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let file = display_path(path);
    let body = hcl_edit::parser::parse_body(&text).map_err(|e| {
        let offset = e.location().offset();
        Error::syntax(&file, &text, offset..offset + 1, e.message().to_string())
    })?;
    let ctx = context(Map::new(), Map::new());
    let mut values = Map::new();
    for attr in body.attributes() {
        let expr = hcl::Expression::from(attr.value.clone());
        let value = expr.evaluate(&ctx).map_err(|e| {
            use hcl_edit::Span;
            Error::syntax(
                &file,
                &text,
                attr.value.span().unwrap_or(0..1),
                format!("cannot evaluate: {e}"),
            )
        })?;
        values.insert(attr.key.as_str().to_string(), value);
    }
    Ok(values)
}

impl Instances {
    pub fn evaluate(config: &Configuration, var_file: Option<&Path>) -> Result<Instances, Error> {
        let tfvars = match var_file {
            Some(p) => read_tfvars(p)?,
            None => Map::new(),
        };
        let mut scopes: HashMap<ModulePath, Values> = HashMap::new();
        let mut keys = BTreeMap::new();
        let mut resources = BTreeMap::new();
        // Modules are sorted by path, so a parent is always evaluated before its children.
        for module in &config.modules {
            let vars = match module.path.parent() {
                None => {
                    let mut vars = defaults(module);
                    vars.extend(tfvars.clone());
                    vars
                }
                Some(parent) => {
                    let Some((pv, pl)) = scopes.get(&parent) else {
                        continue;
                    };
                    let ctx = context(pv.clone(), pl.clone());
                    let parent_module = config.module(&parent).expect("parent loaded");
                    let call = parent_module.items.iter().find_map(|i| match &i.kind {
                        ItemKind::Module(c) if c.name == *module.path.0.last().expect("child") => {
                            Some(c)
                        }
                        _ => None,
                    });
                    let mut vars = defaults(module);
                    if let Some(call) = call {
                        for (name, expr) in &call.input_exprs {
                            match expr.evaluate(&ctx) {
                                Ok(v) => {
                                    vars.insert(name.clone(), v);
                                }
                                Err(_) => {
                                    vars.shift_remove(name);
                                }
                            }
                        }
                    }
                    vars
                }
            };
            let locals = locals(module, &vars);
            scopes.insert(module.path.clone(), (vars, locals));
        }
        for module in &config.modules {
            let Some((pv, pl)) = scopes.get(&module.path) else {
                continue;
            };
            let ctx = context(pv.clone(), pl.clone());
            for item in module.items.iter() {
                let Some(expr) = &item.repetition_expr else {
                    continue;
                };
                let Ok(value) = expr.evaluate(&ctx) else {
                    continue;
                };
                let Some(k) = instance_keys(item.repetition, &value) else {
                    continue;
                };
                match &item.kind {
                    ItemKind::Module(call) => {
                        keys.insert(module.path.child(&call.name), k);
                    }
                    ItemKind::Resource { kind, name } => {
                        resources.insert(format!("{}{kind}.{name}", module.path.prefix()), k);
                    }
                    ItemKind::Data { kind, name } => {
                        resources.insert(format!("{}data.{kind}.{name}", module.path.prefix()), k);
                    }
                    _ => {}
                }
            }
        }
        Ok(Instances { keys, resources })
    }
}

pub(crate) fn defaults(module: &crate::load::Module) -> Map<String, Value> {
    let ctx = context(Map::new(), Map::new());
    module
        .items
        .iter()
        .filter_map(|i| match (&i.kind, &i.value) {
            (ItemKind::Variable { name }, Some(expr)) => {
                expr.evaluate(&ctx).ok().map(|v| (name.clone(), v))
            }
            _ => None,
        })
        .collect()
}

/// Evaluates locals in as many passes as their mutual references need.
pub(crate) fn locals(
    module: &crate::load::Module,
    vars: &Map<String, Value>,
) -> Map<String, Value> {
    let mut known: Map<String, Value> = Map::new();
    loop {
        let ctx = context(vars.clone(), known.clone());
        let mut progress = false;
        for item in module.items.iter() {
            let (ItemKind::Local { name }, Some(expr)) = (&item.kind, &item.value) else {
                continue;
            };
            if known.contains_key(name) {
                continue;
            }
            if let Ok(v) = expr.evaluate(&ctx) {
                known.insert(name.clone(), v);
                progress = true;
            }
        }
        if !progress {
            return known;
        }
    }
}

pub(crate) fn instance_keys(repetition: Repetition, value: &Value) -> Option<Vec<InstanceKey>> {
    match (repetition, value) {
        (Repetition::Count, Value::Number(n)) => {
            let n = n.as_i64()?;
            Some((0..n.max(0)).map(InstanceKey::Int).collect())
        }
        (Repetition::ForEach, Value::Object(map)) => {
            Some(map.keys().map(|k| InstanceKey::Str(k.clone())).collect())
        }
        (Repetition::ForEach, Value::Array(items)) => {
            let mut keys: Vec<InstanceKey> = items
                .iter()
                .map(|v| v.as_str().map(|s| InstanceKey::Str(s.to_string())))
                .collect::<Option<_>>()?;
            keys.sort();
            keys.dedup();
            Some(keys)
        }
        _ => None,
    }
}

pub(crate) fn context(vars: Map<String, Value>, locals: Map<String, Value>) -> Context<'static> {
    let mut ctx = Context::new();
    ctx.declare_var("var", Value::Object(vars));
    ctx.declare_var("local", Value::Object(locals));
    let any = || FuncDef::builder().variadic_param(ParamType::Any);
    ctx.declare_func("toset", any().build(fn_toset));
    ctx.declare_func("tolist", any().build(fn_identity));
    ctx.declare_func("tomap", any().build(fn_identity));
    ctx.declare_func("keys", any().build(fn_keys));
    ctx.declare_func("values", any().build(fn_values));
    ctx.declare_func("length", any().build(fn_length));
    ctx.declare_func("merge", any().build(fn_merge));
    ctx.declare_func("concat", any().build(fn_concat));
    ctx.declare_func("lookup", any().build(fn_lookup));
    ctx.declare_func("contains", any().build(fn_contains));
    ctx.declare_func("distinct", any().build(fn_toset_keep_order));
    ctx.declare_func("flatten", any().build(fn_flatten));
    ctx.declare_func("coalesce", any().build(fn_coalesce));
    ctx
}

fn one(args: &FuncArgs) -> Result<&Value, String> {
    args.first().ok_or_else(|| "missing argument".to_string())
}

fn fn_identity(args: FuncArgs) -> Result<Value, String> {
    one(&args).cloned()
}

fn fn_toset(args: FuncArgs) -> Result<Value, String> {
    match one(&args)? {
        Value::Array(items) => {
            let mut items = items.clone();
            items.sort_by_key(|v| v.to_string());
            items.dedup();
            Ok(Value::Array(items))
        }
        _ => Err("toset takes a list".into()),
    }
}

fn fn_toset_keep_order(args: FuncArgs) -> Result<Value, String> {
    match one(&args)? {
        Value::Array(items) => {
            let mut out: Vec<Value> = Vec::new();
            for v in items {
                if !out.contains(v) {
                    out.push(v.clone());
                }
            }
            Ok(Value::Array(out))
        }
        _ => Err("distinct takes a list".into()),
    }
}

fn fn_keys(args: FuncArgs) -> Result<Value, String> {
    match one(&args)? {
        Value::Object(m) => Ok(Value::Array(m.keys().cloned().map(Value::String).collect())),
        _ => Err("keys takes a map".into()),
    }
}

fn fn_values(args: FuncArgs) -> Result<Value, String> {
    match one(&args)? {
        Value::Object(m) => Ok(Value::Array(m.values().cloned().collect())),
        _ => Err("values takes a map".into()),
    }
}

fn fn_length(args: FuncArgs) -> Result<Value, String> {
    let n = match one(&args)? {
        Value::Object(m) => m.len(),
        Value::Array(a) => a.len(),
        Value::String(s) => s.chars().count(),
        _ => return Err("length takes a collection".into()),
    };
    Ok(Value::from(n as u64))
}

fn fn_merge(args: FuncArgs) -> Result<Value, String> {
    let mut out = Map::new();
    for v in args.iter() {
        match v {
            Value::Object(m) => out.extend(m.clone()),
            Value::Null => {}
            _ => return Err("merge takes maps".into()),
        }
    }
    Ok(Value::Object(out))
}

fn fn_concat(args: FuncArgs) -> Result<Value, String> {
    let mut out = Vec::new();
    for v in args.iter() {
        match v {
            Value::Array(a) => out.extend(a.iter().cloned()),
            _ => return Err("concat takes lists".into()),
        }
    }
    Ok(Value::Array(out))
}

fn fn_lookup(args: FuncArgs) -> Result<Value, String> {
    match (args.first(), args.get(1)) {
        (Some(Value::Object(m)), Some(Value::String(k))) => m
            .get(k)
            .cloned()
            .or_else(|| args.get(2).cloned())
            .ok_or_else(|| format!("no key {k}")),
        _ => Err("lookup takes a map and a key".into()),
    }
}

fn fn_contains(args: FuncArgs) -> Result<Value, String> {
    match (args.first(), args.get(1)) {
        (Some(Value::Array(a)), Some(v)) => Ok(Value::Bool(a.contains(v))),
        _ => Err("contains takes a list and a value".into()),
    }
}

fn fn_flatten(args: FuncArgs) -> Result<Value, String> {
    fn go(v: &Value, out: &mut Vec<Value>) {
        match v {
            Value::Array(a) => a.iter().for_each(|x| go(x, out)),
            other => out.push(other.clone()),
        }
    }
    let mut out = Vec::new();
    go(one(&args)?, &mut out);
    Ok(Value::Array(out))
}

fn fn_coalesce(args: FuncArgs) -> Result<Value, String> {
    args.iter()
        .find(|v| !matches!(v, Value::Null) && v.as_str() != Some(""))
        .cloned()
        .ok_or_else(|| "no non-null argument".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(files: &[(&str, &str)]) -> (tempfile::TempDir, Configuration) {
        let tmp = crate::testing::tree(files);
        let config = crate::load::load(tmp.path()).unwrap();
        (tmp, config)
    }

    #[test]
    fn keys_come_from_defaults_tfvars_inputs_and_locals() {
        let (tmp, config) = load(&[
            (
                "main.tf",
                r#"
variable "services" {
  default = { api = { port = 80 } }
}
variable "replicas" { default = 1 }
locals { names = keys(var.services) }
module "svc" {
  source   = "./svc"
  for_each = var.services
  names    = local.names
}
module "r" {
  source = "./r"
  count  = var.replicas
}
module "gated" {
  source = "./r"
  count  = aws_s3_bucket.b.id == "" ? 0 : 1
}
resource "aws_s3_bucket" "b" {}
"#,
            ),
            (
                "svc/main.tf",
                "variable \"names\" {}\nmodule \"inner\" {\n  source   = \"../r\"\n  for_each = toset(var.names)\n}\n",
            ),
            ("r/main.tf", "resource \"aws_sqs_queue\" \"q\" {}\n"),
            ("prod.tfvars", "services = {\n  api = {}\n  web = {}\n}\nreplicas = 3\n"),
        ]);
        let root = ModulePath::root();
        let dev = Instances::evaluate(&config, None).unwrap();
        assert_eq!(
            dev.keys(&root.child("svc")),
            Some(vec![InstanceKey::Str("api".into())])
        );
        assert_eq!(dev.keys(&root.child("r")), Some(vec![InstanceKey::Int(0)]));
        assert_eq!(
            dev.keys(&root.child("gated")),
            None,
            "depends on a resource"
        );
        let prod = Instances::evaluate(&config, Some(&tmp.path().join("prod.tfvars"))).unwrap();
        assert_eq!(
            prod.keys(&root.child("svc")),
            Some(vec![
                InstanceKey::Str("api".into()),
                InstanceKey::Str("web".into())
            ])
        );
        assert_eq!(prod.keys(&root.child("r")).map(|k| k.len()), Some(3));
        assert_eq!(
            prod.keys(&root.child("svc").child("inner")),
            Some(vec![
                InstanceKey::Str("api".into()),
                InstanceKey::Str("web".into())
            ])
        );
    }

    #[test]
    fn a_broken_tfvars_file_is_a_syntax_error_with_its_location() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("bad.tfvars");
        std::fs::write(&p, "a = 1\nb = \n").unwrap();
        let err = read_tfvars(&p).unwrap_err().to_string();
        assert!(err.contains("bad.tfvars:2:"), "{err}");
    }
}

#[cfg(test)]
mod resource_tests {
    use super::*;

    #[test]
    fn resources_with_zero_instances_are_known_per_environment() {
        let tmp = crate::testing::tree(&[
            (
                "main.tf",
                "variable \"on\" { default = false }\nmodule \"m\" {\n  source = \"./m\"\n  on     = var.on\n}\n",
            ),
            (
                "m/main.tf",
                "variable \"on\" {}\nresource \"aws_appautoscaling_target\" \"t\" {\n  count = var.on ? 1 : 0\n}\nresource \"aws_s3_bucket\" \"b\" {}\n",
            ),
            ("on.tfvars", "on = true\n"),
        ]);
        let config = crate::load::load(tmp.path()).unwrap();
        let off = Instances::evaluate(&config, None).unwrap();
        assert!(off.resource_is_empty("module.m.aws_appautoscaling_target.t"));
        assert!(!off.resource_is_empty("module.m.aws_s3_bucket.b"));
        let on = Instances::evaluate(&config, Some(&tmp.path().join("on.tfvars"))).unwrap();
        assert!(!on.resource_is_empty("module.m.aws_appautoscaling_target.t"));
    }
}
