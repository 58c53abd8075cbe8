//! Expands a configuration into instances for one environment, as `terraform plan` would: every
//! module call, resource and data source with `count`/`for_each` gets its instance keys, per
//! instance of the module that declares it. Values come from variable defaults, auto-loaded and
//! environment tfvars, module inputs (with `each.value` of the call), locals and module outputs,
//! evaluated lazily, each once per module instance. A resource attribute is known only after
//! apply, so a reference to a resource is a collection of unknowns shaped by its own keys: a map
//! whose values reference resources still has known keys, `length(aws_subnet.x)` is known when
//! the subnet's count is.
//!
//! What comes out: for each unit (resource, data source, module call), its keys in every module
//! instance, or why they cannot be known before apply. A unit with no instance anywhere is
//! *absent* in this environment.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use hcl::Expression;

use crate::error::{display_path, Error, Location};
use crate::eval::{self, Resolver, Value};
use crate::load::address::{InstanceKey, ModulePath};
use crate::load::model::{Item, ItemKind, Repetition};
use crate::load::Configuration;

/// Why the keys of something cannot be known before apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknowable {
    /// The thing whose keys are unknown: `module.svc` or `aws_instance.web`.
    pub address: String,
    /// `count` or `for_each`.
    pub argument: &'static str,
    /// The expression as written.
    pub expression: String,
    pub location: Location,
    /// What the evaluator said, when it failed rather than met an unknown.
    pub detail: Option<String>,
}

impl std::fmt::Display for Unknowable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} = {} ({}) of {} cannot be known before apply",
            self.argument, self.expression, self.location, self.address
        )?;
        if let Some(d) = &self.detail {
            write!(f, ": {d}")?;
        }
        Ok(())
    }
}

/// The keys of one unit in one module instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Keys {
    /// No `count`/`for_each`: one instance, no key.
    Single,
    Known(Vec<InstanceKey>),
    Unknown(Unknowable),
}

impl Keys {
    /// Whether the unit may have an instance here.
    pub fn may_exist(&self) -> bool {
        !matches!(self, Keys::Known(k) if k.is_empty())
    }
}

/// The instances of one unit (a resource, data source or module call) across the instances of
/// the module that declares it.
#[derive(Debug, Clone, Default)]
pub struct Expansion {
    /// `(module instance prefix, keys there)`; the prefix is `module.a["x"].` (empty: root).
    pub per_module: Vec<(String, Keys)>,
    /// Set when an enclosing module's keys are unknown and the unit may exist in it.
    pub module_unknown: Option<Unknowable>,
    /// Why it has no instances, when it has none somewhere.
    pub why_absent: Option<String>,
    /// Resources: each kept argument ([`crate::load::hcl::Detail::kept`]) in every instance.
    pub arguments: BTreeMap<String, Vec<ArgumentValue>>,
}

/// A kept argument of one resource instance, evaluated.
#[derive(Debug, Clone, PartialEq)]
pub enum ArgumentValue {
    /// A string known before apply.
    Known(String),
    /// A number, bool or null known before apply (`recovery_window_in_days = 0`), and the
    /// expression as written.
    Scalar { value: Scalar, expression: String },
    /// Not a value known before apply (or a list or map): the expression as written, and why.
    Unknown { expression: String, why: String },
}

/// A known value of a kept argument that is not a string.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scalar {
    Null,
    Bool(bool),
    Number(f64),
}

impl Scalar {
    pub fn type_name(&self) -> &'static str {
        match self {
            Scalar::Null => "null",
            Scalar::Bool(_) => "bool",
            Scalar::Number(_) => "number",
        }
    }
}

impl ArgumentValue {
    /// The value as a string, for arguments that must be one (what a generic type is): or the
    /// expression as written and why it is not a string known before apply.
    pub fn string(&self) -> Result<&str, (&str, String)> {
        match self {
            ArgumentValue::Known(s) => Ok(s),
            ArgumentValue::Scalar { value, expression } => Err((
                expression,
                format!("it is a {}, not a string", value.type_name()),
            )),
            ArgumentValue::Unknown { expression, why } => Err((expression, why.clone())),
        }
    }
}

impl Expansion {
    /// Known to have no instance at all in this environment.
    pub fn is_absent(&self) -> bool {
        self.module_unknown.is_none() && self.per_module.iter().all(|(_, k)| !k.may_exist())
    }

    /// Every instance address, when all are known (`module.a["x"].aws_b.c[0]`).
    pub fn addresses(&self, local: &str) -> Option<Vec<String>> {
        if self.module_unknown.is_some() {
            return None;
        }
        let mut out = Vec::new();
        for (prefix, keys) in &self.per_module {
            match keys {
                Keys::Single => out.push(format!("{prefix}{local}")),
                Keys::Known(ks) => out.extend(ks.iter().map(|k| format!("{prefix}{local}{k}"))),
                Keys::Unknown(_) => return None,
            }
        }
        Some(out)
    }

    /// The first unknown that makes [`Expansion::addresses`] impossible.
    pub fn unknown(&self) -> Option<&Unknowable> {
        self.module_unknown.as_ref().or_else(|| {
            self.per_module.iter().find_map(|(_, k)| match k {
                Keys::Unknown(u) => Some(u),
                _ => None,
            })
        })
    }
}

/// Instances of every unit of a configuration in one environment.
#[derive(Debug, Default)]
pub struct Instances {
    /// Resources and data sources by config address (`module.a.aws_b.c`), and module calls by
    /// path (`module.a.module.b`).
    units: HashMap<String, Expansion>,
    /// The environment's variable values (after tfvars), for messages.
    pub var_files: Vec<PathBuf>,
}

impl Instances {
    /// The expansion of a unit by config address, or a module call by its path.
    pub fn get(&self, address: &str) -> Option<&Expansion> {
        self.units.get(address)
    }

    /// Whether a unit is known to have no instances (`count = 0`, `for_each = {}`, or inside a
    /// module call with none).
    pub fn is_absent(&self, address: &str) -> bool {
        self.units.get(address).is_some_and(Expansion::is_absent)
    }

    /// The module calls along a path and their instances: used to render targets.
    pub fn module(&self, path: &ModulePath) -> Option<&Expansion> {
        self.units.get(&path.to_string())
    }

    /// Instances when nothing is evaluated: everything may exist, keys unknown.
    pub fn none() -> Instances {
        Instances::default()
    }
}

/// Variable values for the root module: `terraform.tfvars`, `*.auto.tfvars` (and their `.json`
/// forms) in the root directory, as Terraform loads them, then `var_file`.
pub fn root_values(root: &Path, var_file: Option<&Path>) -> Result<(Values, Vec<PathBuf>), Error> {
    let mut files: Vec<PathBuf> = Vec::new();
    for name in ["terraform.tfvars", "terraform.tfvars.json"] {
        let p = root.join(name);
        if p.is_file() {
            files.push(p);
        }
    }
    let mut auto: Vec<PathBuf> = std::fs::read_dir(root)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| {
                    let n = p.file_name().map(|n| n.to_string_lossy().into_owned());
                    n.is_some_and(|n| {
                        n.ends_with(".auto.tfvars") || n.ends_with(".auto.tfvars.json")
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    auto.sort();
    files.extend(auto);
    files.extend(var_file.map(Path::to_path_buf));
    let mut values = Values::new();
    for f in &files {
        values.extend(read_tfvars(f)?);
    }
    Ok((values, files))
}

pub type Values = BTreeMap<String, Value>;

/// Reads a tfvars file (HCL, or JSON when the name ends in `.json`) into values.
pub fn read_tfvars(path: &Path) -> Result<Values, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let file = display_path(path);
    if path.extension().is_some_and(|e| e == "json") {
        let doc: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
            let offset = text
                .split_inclusive('\n')
                .take(e.line().saturating_sub(1))
                .map(str::len)
                .sum::<usize>()
                + e.column().saturating_sub(1);
            let offset = offset.min(text.len().saturating_sub(1));
            Error::syntax(&file, &text, offset..offset + 1, e.to_string())
        })?;
        let serde_json::Value::Object(m) = doc else {
            return Err(Error::syntax(
                &file,
                &text,
                0..1,
                "a tfvars JSON file holds an object".into(),
            ));
        };
        return Ok(m.iter().map(|(k, v)| (k.clone(), Value::from(v))).collect());
    }
    let body = crate::load::hcl_syntax::parse_body(&text).map_err(|e| {
        let offset = e.location().offset();
        Error::syntax(&file, &text, offset..offset + 1, e.message().to_string())
    })?;
    let mut values = Values::new();
    for attr in body.attributes() {
        use hcl_edit::Span;
        let expr = hcl::Expression::from(attr.value.clone());
        let value = eval::evaluate(&expr, &eval::NoNames).map_err(|e| {
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
    /// Expands `config` with the root variable values `root`.
    pub fn evaluate(config: &Configuration, var_file: Option<&Path>) -> Result<Instances, Error> {
        let (values, files) = root_values(&config.root_dir, var_file)?;
        let expander = Expander::new(config, values);
        let mut instances = expander.expand();
        instances.var_files = files;
        Ok(instances)
    }
}

/// A slot of a lazily evaluated value; `Busy` breaks cycles (they evaluate to unknown).
#[derive(Clone)]
enum Slot<T> {
    Busy,
    Done(T),
}

/// `each`/`count` of one instance.
#[derive(Debug, Clone, Default)]
pub enum Iteration {
    #[default]
    None,
    Count(Value),
    Each(Value, Value),
}

/// Keys with the value each instance sees (`each.value`, `count.index`).
#[derive(Clone)]
enum Expanded {
    Single,
    Keys(Vec<(InstanceKey, Iteration)>),
    Unknown(Unknowable),
}

/// What one static module (a directory at a call path) declares, by name.
struct ModuleIndex {
    items: std::sync::Arc<Vec<Item>>,
    dir: String,
    vars: HashMap<String, usize>,
    locals: HashMap<String, usize>,
    outputs: HashMap<String, usize>,
    /// ("" or "data", type, name)
    resources: HashMap<(bool, String, String), usize>,
    calls: HashMap<String, usize>,
    /// Provider configurations by the name resources use: `aws`, or `aws.west` for an alias.
    providers: HashMap<String, usize>,
}

struct ModuleInstance {
    path: ModulePath,
    /// `module.a["x"].` (empty for the root).
    prefix: String,
    parent: Option<usize>,
    /// The call's `each`/`count` for this instance, seen by the input expressions.
    iteration: Iteration,
    /// Set for the stand-in instance of a call whose keys are unknown.
    unknown: Option<Unknowable>,
    vars: RefCell<HashMap<String, Slot<Value>>>,
    locals: RefCell<HashMap<String, Slot<Value>>>,
    outputs: RefCell<HashMap<String, Slot<Value>>>,
    keys: RefCell<HashMap<usize, Slot<Expanded>>>,
    children: RefCell<HashMap<String, Vec<usize>>>,
}

/// Where one resource instance's arguments are evaluated: its module instance and its own
/// `each`/`count`.
#[derive(Debug, Clone)]
pub struct InstanceAt {
    inst: usize,
    iteration: Iteration,
}

/// One instance of a managed resource.
pub struct ResourceInstance<'a> {
    /// `module.app["x"].aws_ecs_service.this`
    pub address: String,
    /// Without keys: `module.app.aws_ecs_service.this`.
    pub config_address: String,
    pub item: &'a Item,
    pub at: InstanceAt,
}

/// Lazy, memoised evaluation over module instances.
pub struct Expander<'c> {
    config: &'c Configuration,
    root_values: Values,
    index: HashMap<ModulePath, ModuleIndex>,
    instances: RefCell<Vec<Rc<ModuleInstance>>>,
}

impl<'c> Expander<'c> {
    pub fn new(config: &'c Configuration, root_values: Values) -> Expander<'c> {
        let index = config
            .modules
            .iter()
            .map(|m| {
                let mut ix = ModuleIndex {
                    items: m.items.clone(),
                    dir: module_dir(config, &m.dir),
                    vars: HashMap::new(),
                    locals: HashMap::new(),
                    outputs: HashMap::new(),
                    resources: HashMap::new(),
                    calls: HashMap::new(),
                    providers: HashMap::new(),
                };
                for (i, item) in m.items.iter().enumerate() {
                    match &item.kind {
                        ItemKind::Variable { name } => {
                            ix.vars.insert(name.clone(), i);
                        }
                        ItemKind::Local { name } => {
                            ix.locals.insert(name.clone(), i);
                        }
                        ItemKind::Output { name } => {
                            ix.outputs.insert(name.clone(), i);
                        }
                        ItemKind::Resource {
                            resource_type: kind,
                            name,
                        } => {
                            ix.resources.insert((false, kind.clone(), name.clone()), i);
                        }
                        ItemKind::Data {
                            resource_type: kind,
                            name,
                        } => {
                            ix.resources.insert((true, kind.clone(), name.clone()), i);
                        }
                        ItemKind::Module(call) => {
                            ix.calls.insert(call.name.clone(), i);
                        }
                        ItemKind::Provider { name, alias } => {
                            let key = match alias {
                                Some(a) => format!("{name}.{a}"),
                                None => name.clone(),
                            };
                            ix.providers.entry(key).or_insert(i);
                        }
                    }
                }
                (m.path.clone(), ix)
            })
            .collect();
        let root = ModuleInstance::new(
            ModulePath::root(),
            String::new(),
            None,
            Iteration::None,
            None,
        );
        Expander {
            config,
            root_values,
            index,
            instances: RefCell::new(vec![Rc::new(root)]),
        }
    }

    fn inst(&self, i: usize) -> Rc<ModuleInstance> {
        self.instances.borrow()[i].clone()
    }

    fn item(&self, path: &ModulePath, i: usize) -> &Item {
        &self.index[path].items[i]
    }

    /// Walks every module instance and records every unit's keys.
    pub fn expand(&self) -> Instances {
        let mut units: HashMap<String, Expansion> = HashMap::new();
        let mut queue = VecDeque::from([0usize]);
        while let Some(i) = queue.pop_front() {
            self.expand_instance(i, &mut queue, &mut units);
        }
        self.mark_unreached_modules(&mut units);
        Instances {
            units,
            var_files: Vec::new(),
        }
    }

    /// Records the keys of every unit that module instance `i` declares, and queues the
    /// instances of its module calls.
    fn expand_instance(
        &self,
        i: usize,
        queue: &mut VecDeque<usize>,
        units: &mut HashMap<String, Expansion>,
    ) {
        let inst = self.inst(i);
        let ix = &self.index[&inst.path];
        for (n, item) in ix.items.iter().enumerate() {
            let address = match &item.kind {
                ItemKind::Resource {
                    resource_type: kind,
                    name,
                } => {
                    format!("{}{kind}.{name}", inst.path.prefix())
                }
                ItemKind::Data {
                    resource_type: kind,
                    name,
                } => {
                    format!("{}data.{kind}.{name}", inst.path.prefix())
                }
                ItemKind::Module(call) => {
                    let child = inst.path.child(&call.name);
                    if self.index.contains_key(&child) {
                        for c in self.children(i, &call.name) {
                            queue.push_back(c);
                        }
                    }
                    child.to_string()
                }
                _ => continue,
            };
            let expanded = self.keys(i, n);
            let arguments = self.kept_arguments(i, item, &expanded);
            let keys = match expanded {
                Expanded::Single => Keys::Single,
                Expanded::Keys(k) => Keys::Known(k.into_iter().map(|(k, _)| k).collect()),
                Expanded::Unknown(u) => Keys::Unknown(u),
            };
            let e = units.entry(address).or_default();
            self.record(e, &inst, item, arguments, keys);
        }
    }

    /// Adds what one unit has in module instance `inst` (its kept arguments and keys) to its
    /// expansion `e`.
    fn record(
        &self,
        e: &mut Expansion,
        inst: &ModuleInstance,
        item: &Item,
        arguments: Vec<(String, Vec<ArgumentValue>)>,
        keys: Keys,
    ) {
        for (name, values) in arguments {
            e.arguments.entry(name).or_default().extend(values);
        }
        if let (Keys::Known(k), None) = (&keys, &e.why_absent) {
            if k.is_empty() {
                let u = self.unknowable(inst, item, None);
                e.why_absent = Some(format!(
                    "{} = {} ({}) gives no instances",
                    u.argument, u.expression, u.location
                ));
            }
        }
        match &inst.unknown {
            Some(u) if keys.may_exist() => {
                e.module_unknown.get_or_insert_with(|| u.clone());
            }
            Some(_) => {}
            None => e.per_module.push((inst.prefix.clone(), keys)),
        }
    }

    /// Modules that no instance reached: everything in them is absent, for the reason of the
    /// nearest call above that has no instances.
    fn mark_unreached_modules(&self, units: &mut HashMap<String, Expansion>) {
        for module in &self.config.modules {
            if module.path.is_root()
                || units
                    .get(&module.path.to_string())
                    .is_some_and(|e| !e.is_absent())
            {
                continue;
            }
            let Some(call) = units.get(&module.path.to_string()) else {
                continue;
            };
            if !call.is_absent() {
                continue;
            }
            let why = format!(
                "it is inside {}, which has no instances: {}",
                module.path,
                call.why_absent.clone().unwrap_or_default()
            );
            for item in module.items.iter() {
                let address = match &item.kind {
                    ItemKind::Resource {
                        resource_type: kind,
                        name,
                    } => {
                        format!("{}{kind}.{name}", module.path.prefix())
                    }
                    ItemKind::Data {
                        resource_type: kind,
                        name,
                    } => {
                        format!("{}data.{kind}.{name}", module.path.prefix())
                    }
                    ItemKind::Module(call) => module.path.child(&call.name).to_string(),
                    _ => continue,
                };
                units.entry(address).or_insert_with(|| Expansion {
                    why_absent: Some(why.clone()),
                    ..Expansion::default()
                });
            }
        }
    }

    /// Builds the expander for a root's environment (auto-loaded tfvars, then `var_file`).
    pub fn for_env(
        config: &'c Configuration,
        var_file: Option<&Path>,
    ) -> Result<Expander<'c>, Error> {
        let (values, _) = root_values(&config.root_dir, var_file)?;
        Ok(Expander::new(config, values))
    }

    /// Every instance of every managed resource that `wanted(type)` selects, and the resources
    /// whose keys are unknown.
    pub fn resource_instances(
        &self,
        wanted: impl Fn(&str) -> bool,
    ) -> (Vec<ResourceInstance<'_>>, Vec<Unknowable>) {
        let mut found = Vec::new();
        let mut unknown = Vec::new();
        let mut queue = VecDeque::from([0usize]);
        while let Some(i) = queue.pop_front() {
            let inst = self.inst(i);
            let ix = &self.index[&inst.path];
            for (n, item) in ix.items.iter().enumerate() {
                match &item.kind {
                    ItemKind::Module(call)
                        if self.index.contains_key(&inst.path.child(&call.name)) =>
                    {
                        queue.extend(self.children(i, &call.name));
                    }
                    ItemKind::Resource {
                        resource_type: kind,
                        name,
                    } if wanted(kind) => {
                        let config_address = format!("{}{kind}.{name}", inst.path.prefix());
                        if let Some(u) = &inst.unknown {
                            unknown.push(u.clone());
                            continue;
                        }
                        let at = |key: Option<&InstanceKey>, iteration| ResourceInstance {
                            address: format!(
                                "{}{kind}.{name}{}",
                                inst.prefix,
                                key.map(ToString::to_string).unwrap_or_default()
                            ),
                            config_address: config_address.clone(),
                            item,
                            at: InstanceAt { inst: i, iteration },
                        };
                        match self.keys(i, n) {
                            Expanded::Single => found.push(at(None, Iteration::None)),
                            Expanded::Keys(keys) => {
                                for (k, it) in keys {
                                    found.push(at(Some(&k), it));
                                }
                            }
                            Expanded::Unknown(u) => unknown.push(u),
                        }
                    }
                    _ => {}
                }
            }
        }
        (found, unknown)
    }

    /// The kept arguments of a resource in every instance `expanded` gives it in module
    /// instance `inst` (once, without `each`/`count`, when its keys are unknown).
    fn kept_arguments(
        &self,
        inst: usize,
        item: &Item,
        expanded: &Expanded,
    ) -> Vec<(String, Vec<ArgumentValue>)> {
        if item.kept.is_empty() || !matches!(item.kind, ItemKind::Resource { .. }) {
            return Vec::new();
        }
        let iterations: Vec<Iteration> = match expanded {
            Expanded::Single | Expanded::Unknown(_) => vec![Iteration::None],
            Expanded::Keys(keys) => keys.iter().map(|(_, it)| it.clone()).collect(),
        };
        item.kept
            .iter()
            .map(|(name, expr)| {
                let values = iterations
                    .iter()
                    .map(|iteration| {
                        let scope = Scope {
                            ex: self,
                            inst,
                            iteration,
                        };
                        let unknown = |why: String| ArgumentValue::Unknown {
                            expression: expression_text(expr),
                            why,
                        };
                        let scalar = |value| ArgumentValue::Scalar {
                            value,
                            expression: expression_text(expr),
                        };
                        match eval::evaluate(expr, &scope) {
                            Ok(Value::String(s)) => ArgumentValue::Known(s),
                            Ok(Value::Number(n)) => scalar(Scalar::Number(n)),
                            Ok(Value::Bool(b)) => scalar(Scalar::Bool(b)),
                            Ok(Value::Null) => scalar(Scalar::Null),
                            Ok(Value::Unknown) => unknown("it is known only after apply".into()),
                            Ok(other) => {
                                unknown(format!("it is a {}, not a string", other.type_name()))
                            }
                            Err(e) => unknown(e.to_string()),
                        }
                    })
                    .collect();
                (name.clone(), values)
            })
            .collect()
    }

    /// Evaluates an expression where an instance's own arguments are evaluated.
    pub fn evaluate_at(&self, at: &InstanceAt, expr: &Expression) -> eval::Result<Value> {
        let scope = Scope {
            ex: self,
            inst: at.inst,
            iteration: &at.iteration,
        };
        eval::evaluate(expr, &scope)
    }

    /// The instance `kind.name[key]` (or the only one, `key` = None) of a managed resource
    /// declared beside `at`.
    pub fn sibling(
        &self,
        at: &InstanceAt,
        kind: &str,
        name: &str,
        key: Option<&Value>,
    ) -> Option<(InstanceAt, &Item)> {
        let inst = self.inst(at.inst);
        let ix = &self.index[&inst.path];
        let &n = ix
            .resources
            .get(&(false, kind.to_string(), name.to_string()))?;
        let item = &ix.items[n];
        let iteration = match (self.keys(at.inst, n), key) {
            (Expanded::Single, _) => Iteration::None,
            (Expanded::Keys(keys), Some(k)) => {
                let want = k.to_str().ok()?;
                keys.into_iter()
                    .find(|(ik, _)| match ik {
                        InstanceKey::Str(s) => *s == want,
                        InstanceKey::Int(i) => i.to_string() == want,
                    })?
                    .1
            }
            _ => return None,
        };
        Some((
            InstanceAt {
                inst: at.inst,
                iteration,
            },
            item,
        ))
    }

    /// Argument `argument` (kept by the loader: `region`) of the provider configuration a
    /// resource at `at` uses, evaluated in the module instance that declares that configuration.
    /// `provider` is the configuration as the resource names it (`aws`, or `aws.west` from its
    /// `provider` meta-argument). A module without a block of that name uses its caller's: the
    /// one the call's `providers` map passes, or for a default configuration the caller's own.
    /// `None`: no configuration sets it, or it is not known before apply.
    pub fn provider_argument(
        &self,
        at: &InstanceAt,
        provider: &str,
        argument: &str,
    ) -> Option<Value> {
        let mut i = at.inst;
        let mut name = provider.to_string();
        loop {
            let inst = self.inst(i);
            let ix = &self.index[&inst.path];
            let block = ix.providers.get(&name).map(|&n| &ix.items[n]);
            if let Some(block) = block {
                let expr = block.kept.get(argument)?;
                let scope = Scope {
                    ex: self,
                    inst: i,
                    iteration: &Iteration::None,
                };
                return eval::evaluate(expr, &scope)
                    .ok()
                    .filter(|v| !matches!(v, Value::Unknown | Value::Null));
            }
            let parent = inst.parent?;
            let call_name = inst.path.0.last()?;
            let caller = &self.index[&self.inst(parent).path];
            let &n = caller.calls.get(call_name)?;
            let ItemKind::Module(call) = &caller.items[n].kind else {
                return None;
            };
            name = match call.providers.get(&name) {
                Some(passed) => passed.clone(),
                // An aliased configuration is only ever passed explicitly.
                None if name.contains('.') => return None,
                None => name,
            };
            i = parent;
        }
    }

    /// The child instances of call `name` in module instance `i` (a stand-in when unknown).
    fn children(&self, i: usize, name: &str) -> Vec<usize> {
        let inst = self.inst(i);
        if let Some(c) = inst.children.borrow().get(name) {
            return c.clone();
        }
        let ix = &self.index[&inst.path];
        let Some(&n) = ix.calls.get(name) else {
            return Vec::new();
        };
        let child_path = inst.path.child(name);
        let mut made = Vec::new();
        let mut add = |prefix: String, iteration: Iteration, unknown: Option<Unknowable>| {
            let mut all = self.instances.borrow_mut();
            all.push(Rc::new(ModuleInstance::new(
                child_path.clone(),
                prefix,
                Some(i),
                iteration,
                unknown,
            )));
            made.push(all.len() - 1);
        };
        let base = format!("{}module.{name}", inst.prefix);
        match self.keys(i, n) {
            Expanded::Single => add(format!("{base}."), Iteration::None, inst.unknown.clone()),
            Expanded::Keys(keys) => {
                for (k, it) in keys {
                    add(format!("{base}{k}."), it, inst.unknown.clone());
                }
            }
            Expanded::Unknown(u) => {
                let it = match self.item(&inst.path, n).repetition {
                    Repetition::Count => Iteration::Count(Value::Unknown),
                    _ => Iteration::Each(Value::Unknown, Value::Unknown),
                };
                add(
                    format!("{base}[?]."),
                    it,
                    Some(inst.unknown.clone().unwrap_or(u)),
                );
            }
        }
        inst.children
            .borrow_mut()
            .insert(name.to_string(), made.clone());
        made
    }

    /// The keys of item `n` of module instance `i`.
    fn keys(&self, i: usize, n: usize) -> Expanded {
        let inst = self.inst(i);
        if let Some(Slot::Done(k)) = inst.keys.borrow().get(&n) {
            return k.clone();
        }
        let item = self.item(&inst.path, n);
        let (Some(expr), repetition) = (&item.repetition_expr, item.repetition) else {
            return Expanded::Single;
        };
        if repetition == Repetition::Single {
            return Expanded::Single;
        }
        if matches!(inst.keys.borrow().get(&n), Some(Slot::Busy)) {
            return Expanded::Unknown(self.unknowable(
                &inst,
                item,
                Some("it depends on itself".into()),
            ));
        }
        inst.keys.borrow_mut().insert(n, Slot::Busy);
        let scope = Scope {
            ex: self,
            inst: i,
            iteration: &Iteration::None,
        };
        let result = match eval::evaluate(expr, &scope) {
            Ok(v) => match instance_keys(repetition, &v) {
                Ok(Some(keys)) => Expanded::Keys(keys),
                Ok(None) => Expanded::Unknown(self.unknowable(&inst, item, None)),
                Err(e) => Expanded::Unknown(self.unknowable(&inst, item, Some(e))),
            },
            Err(e) => Expanded::Unknown(self.unknowable(&inst, item, Some(e.0))),
        };
        inst.keys.borrow_mut().insert(n, Slot::Done(result.clone()));
        result
    }

    fn unknowable(&self, inst: &ModuleInstance, item: &Item, detail: Option<String>) -> Unknowable {
        let local = match &item.kind {
            ItemKind::Resource {
                resource_type: kind,
                name,
            } => format!("{kind}.{name}"),
            ItemKind::Data {
                resource_type: kind,
                name,
            } => format!("data.{kind}.{name}"),
            ItemKind::Module(call) => format!("module.{}", call.name),
            _ => String::new(),
        };
        Unknowable {
            address: format!("{}{local}", inst.path.prefix()),
            argument: if item.repetition == Repetition::Count {
                "count"
            } else {
                "for_each"
            },
            expression: item
                .repetition_expr
                .as_ref()
                .map(expression_text)
                .unwrap_or_default(),
            location: item
                .repetition_at
                .clone()
                .unwrap_or_else(|| item.location.clone()),
            detail,
        }
    }

    fn var(&self, i: usize, name: &str) -> eval::Result<Value> {
        let inst = self.inst(i);
        if let Some(Slot::Done(v)) = inst.vars.borrow().get(name) {
            return Ok(v.clone());
        }
        if matches!(inst.vars.borrow().get(name), Some(Slot::Busy)) {
            return Ok(Value::Unknown);
        }
        let ix = &self.index[&inst.path];
        let Some(&n) = ix.vars.get(name) else {
            return eval::fail(format!("no variable {name:?} is declared"));
        };
        inst.vars.borrow_mut().insert(name.to_string(), Slot::Busy);
        let decl = &ix.items[n];
        let given: Option<Value> = match inst.parent {
            None => self.root_values.get(name).cloned(),
            Some(p) => {
                let parent = self.inst(p);
                let call_name = inst.path.0.last().expect("a child has a call name");
                let pix = &self.index[&parent.path];
                let call = match pix.calls.get(call_name).map(|&c| &pix.items[c].kind) {
                    Some(ItemKind::Module(call)) => Some(call),
                    _ => None,
                };
                match call.and_then(|c| c.input_exprs.get(name)) {
                    Some(expr) => {
                        let scope = Scope {
                            ex: self,
                            inst: p,
                            iteration: &inst.iteration,
                        };
                        // An input that fails to evaluate is unknown here, not an error.
                        Some(eval::evaluate(expr, &scope).unwrap_or(Value::Unknown))
                    }
                    None => None,
                }
            }
        };
        let default = || {
            decl.value
                .as_ref()
                .map(|d| eval::evaluate(d, &eval::NoNames).unwrap_or(Value::Unknown))
        };
        let value = match given {
            // `nullable = false`: Terraform gives a null input the default.
            Some(Value::Null) if decl.non_nullable => default().unwrap_or(Value::Unknown),
            Some(v) => v,
            // A variable without a value is required; Terraform would ask for it.
            None => default().unwrap_or(Value::Unknown),
        };
        let value = match &decl.type_expr {
            Some(t) => eval::convert(value, t),
            None => value,
        };
        inst.vars
            .borrow_mut()
            .insert(name.to_string(), Slot::Done(value.clone()));
        Ok(value)
    }

    fn named(
        &self,
        i: usize,
        name: &str,
        slots: impl Fn(&ModuleInstance) -> &RefCell<HashMap<String, Slot<Value>>>,
        find: impl Fn(&ModuleIndex) -> Option<usize>,
        what: &str,
    ) -> eval::Result<Value> {
        let inst = self.inst(i);
        match slots(&inst).borrow().get(name) {
            Some(Slot::Done(v)) => return Ok(v.clone()),
            Some(Slot::Busy) => return Ok(Value::Unknown),
            None => {}
        }
        let ix = &self.index[&inst.path];
        let Some(n) = find(ix) else {
            return eval::fail(format!("no {what} {name:?} is declared"));
        };
        let Some(expr) = &ix.items[n].value else {
            return Ok(Value::Unknown);
        };
        slots(&inst)
            .borrow_mut()
            .insert(name.to_string(), Slot::Busy);
        let scope = Scope {
            ex: self,
            inst: i,
            iteration: &Iteration::None,
        };
        let value = eval::evaluate(expr, &scope);
        // Errors are remembered as unknown for later readers, but reported to this one.
        let stored = value.clone().unwrap_or(Value::Unknown);
        slots(&inst)
            .borrow_mut()
            .insert(name.to_string(), Slot::Done(stored));
        value
    }

    fn local(&self, i: usize, name: &str) -> eval::Result<Value> {
        self.named(
            i,
            name,
            |m| &m.locals,
            |ix| ix.locals.get(name).copied(),
            "local value",
        )
    }

    fn output(&self, i: usize, name: &str) -> eval::Result<Value> {
        self.named(
            i,
            name,
            |m| &m.outputs,
            |ix| ix.outputs.get(name).copied(),
            "output",
        )
    }

    /// `module.NAME` as a value: the object of its outputs, or a list/map of them.
    fn module_value(
        &self,
        i: usize,
        call: &str,
        output: Option<&str>,
    ) -> eval::Result<(Value, usize)> {
        let inst = self.inst(i);
        let ix = &self.index[&inst.path];
        let Some(&n) = ix.calls.get(call) else {
            return eval::fail(format!("no module call {call:?} is declared"));
        };
        let child_path = inst.path.child(call);
        let Some(child_ix) = self.index.get(&child_path) else {
            // Not installed: its outputs are unknown.
            return Ok((Value::Unknown, 1));
        };
        let whole = |c: usize| -> eval::Result<Value> {
            let mut out = BTreeMap::new();
            for name in child_ix.outputs.keys() {
                out.insert(name.clone(), self.output(c, name).unwrap_or(Value::Unknown));
            }
            Ok(Value::map(out))
        };
        let item = &ix.items[n];
        match (item.repetition, self.keys(i, n)) {
            (_, Expanded::Unknown(_)) => Ok((Value::Unknown, 1)),
            (_, Expanded::Single) => {
                let c = self.children(i, call)[0];
                match output {
                    Some(o) => Ok((self.output(c, o)?, 2)),
                    None => Ok((whole(c)?, 1)),
                }
            }
            (Repetition::Count, Expanded::Keys(_)) => {
                let cs = self.children(i, call);
                Ok((
                    Value::list(cs.into_iter().map(whole).collect::<eval::Result<_>>()?),
                    1,
                ))
            }
            (_, Expanded::Keys(keys)) => {
                let cs = self.children(i, call);
                let mut out = BTreeMap::new();
                for ((k, _), c) in keys.iter().zip(cs) {
                    let key = match k {
                        InstanceKey::Str(s) => s.clone(),
                        InstanceKey::Int(n) => n.to_string(),
                    };
                    out.insert(key, whole(c)?);
                }
                Ok((Value::map(out), 1))
            }
        }
    }

    /// A resource or data source as a value: unknown attributes, shaped by its keys.
    fn resource_value(&self, i: usize, data: bool, kind: &str, name: &str) -> eval::Result<Value> {
        let inst = self.inst(i);
        let ix = &self.index[&inst.path];
        let Some(&n) = ix
            .resources
            .get(&(data, kind.to_string(), name.to_string()))
        else {
            return eval::fail(format!(
                "{}{kind}.{name} is not declared",
                if data { "data." } else { "" }
            ));
        };
        let repetition = ix.items[n].repetition;
        Ok(match (repetition, self.keys(i, n)) {
            (_, Expanded::Single) | (_, Expanded::Unknown(_)) => Value::Unknown,
            (Repetition::Count, Expanded::Keys(k)) => Value::list(vec![Value::Unknown; k.len()]),
            (_, Expanded::Keys(k)) => Value::map(
                k.into_iter()
                    .map(|(key, _)| {
                        let key = match key {
                            InstanceKey::Str(s) => s,
                            InstanceKey::Int(n) => n.to_string(),
                        };
                        (key, Value::Unknown)
                    })
                    .collect(),
            ),
        })
    }
}

impl ModuleInstance {
    fn new(
        path: ModulePath,
        prefix: String,
        parent: Option<usize>,
        iteration: Iteration,
        unknown: Option<Unknowable>,
    ) -> ModuleInstance {
        ModuleInstance {
            path,
            prefix,
            parent,
            iteration,
            unknown,
            vars: RefCell::default(),
            locals: RefCell::default(),
            outputs: RefCell::default(),
            keys: RefCell::default(),
            children: RefCell::default(),
        }
    }
}

/// `path.module` as Terraform gives it: the module's directory relative to the root.
fn module_dir(config: &Configuration, dir: &Path) -> String {
    let rel = crate::load::relative_to(dir, &config.root_dir);
    let s = display_path(&rel);
    if s.is_empty() {
        ".".into()
    } else {
        s
    }
}

/// Names seen from one module instance, with the `each`/`count` of the block being evaluated.
struct Scope<'e, 'c> {
    ex: &'e Expander<'c>,
    inst: usize,
    iteration: &'e Iteration,
}

impl Resolver for Scope<'_, '_> {
    fn resolve(&self, root: &str, attrs: &[&str]) -> eval::Result<(Value, usize)> {
        let first = attrs.first().copied();
        match (root, first) {
            ("var", Some(name)) => Ok((self.ex.var(self.inst, name)?, 1)),
            ("local", Some(name)) => Ok((self.ex.local(self.inst, name)?, 1)),
            ("each", Some(attr)) => match (self.iteration, attr) {
                (Iteration::Each(k, _), "key") => Ok((k.clone(), 1)),
                (Iteration::Each(_, v), "value") => Ok((v.clone(), 1)),
                _ => eval::fail("each is only valid in a block with for_each"),
            },
            ("count", Some("index")) => match self.iteration {
                Iteration::Count(i) => Ok((i.clone(), 1)),
                _ => eval::fail("count.index is only valid in a block with count"),
            },
            ("path", Some(attr)) => {
                let inst = self.ex.inst(self.inst);
                let v = match attr {
                    "module" => self.ex.index[&inst.path].dir.clone(),
                    "root" => ".".to_string(),
                    "cwd" => display_path(&self.ex.config.root_dir),
                    other => return eval::fail(format!("path.{other} does not exist")),
                };
                Ok((Value::String(v), 1))
            }
            ("terraform", Some("workspace")) => Ok((Value::string("default"), 1)),
            ("module", Some(call)) => self.ex.module_value(self.inst, call, attrs.get(1).copied()),
            ("data", Some(kind)) => match attrs.get(1) {
                Some(name) => Ok((self.ex.resource_value(self.inst, true, kind, name)?, 2)),
                None => eval::fail("data needs a type and a name"),
            },
            ("self", _) => Ok((Value::Unknown, 0)),
            (kind, Some(name)) if kind.contains('_') || self.declares(kind, name) => {
                Ok((self.ex.resource_value(self.inst, false, kind, name)?, 1))
            }
            _ => eval::fail(format!("{root} is not a value here")),
        }
    }

    fn base_dir(&self) -> Option<&Path> {
        Some(&self.ex.config.root_dir)
    }
}

impl Scope<'_, '_> {
    fn declares(&self, kind: &str, name: &str) -> bool {
        let inst = self.ex.inst(self.inst);
        self.ex.index[&inst.path].resources.contains_key(&(
            false,
            kind.to_string(),
            name.to_string(),
        ))
    }
}

/// The expression as HCL text, for messages.
pub fn expression_text(expr: &Expression) -> String {
    hcl::format::to_string(expr)
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "(expression)".into())
}

/// Instance keys of a `count`/`for_each` value: `Ok(None)` when unknown before apply.
fn instance_keys(
    repetition: Repetition,
    value: &Value,
) -> Result<Option<Vec<(InstanceKey, Iteration)>>, String> {
    match (repetition, value) {
        (_, Value::Unknown) => Ok(None),
        (Repetition::Count, v) => {
            let n = v.to_number().map_err(|e| format!("count: {e}"))?;
            if n < 0.0 || n.fract() != 0.0 {
                return Err(format!("count must be a whole number, not {n}"));
            }
            Ok(Some(
                (0..n as i64)
                    .map(|i| {
                        (
                            InstanceKey::Int(i),
                            Iteration::Count(Value::Number(i as f64)),
                        )
                    })
                    .collect(),
            ))
        }
        (Repetition::ForEach, Value::Map(m)) => Ok(Some(
            m.iter()
                .map(|(k, v)| {
                    (
                        InstanceKey::Str(k.clone()),
                        Iteration::Each(Value::string(k.clone()), v.clone()),
                    )
                })
                .collect(),
        )),
        (Repetition::ForEach, Value::List(items)) => {
            let mut keys = Vec::with_capacity(items.len());
            for v in items.iter() {
                match v {
                    Value::Unknown => return Ok(None),
                    Value::String(s) => keys.push(s.clone()),
                    Value::Number(_) | Value::Bool(_) => keys.push(v.to_str().unwrap_or_default()),
                    other => {
                        return Err(format!(
                            "for_each over a set of {} values; Terraform needs strings",
                            other.type_name()
                        ))
                    }
                }
            }
            keys.sort();
            keys.dedup();
            Ok(Some(
                keys.into_iter()
                    .map(|k| {
                        (
                            InstanceKey::Str(k.clone()),
                            Iteration::Each(Value::string(k.clone()), Value::String(k)),
                        )
                    })
                    .collect(),
            ))
        }
        (Repetition::ForEach, Value::Null) => Err("for_each is null".into()),
        (Repetition::ForEach, other) => Err(format!(
            "for_each needs a map or a set of strings, not a {}",
            other.type_name()
        )),
        (Repetition::Single, _) => Ok(Some(Vec::new())),
    }
}

#[cfg(test)]
mod tests {
    //! Instance keys from defaults, tfvars, module inputs and locals, and what stays unknown.

    use super::*;

    fn expand(files: &[(&str, &str)], var_file: Option<&str>) -> Instances {
        let tmp = crate::testing::tree(files);
        let config = crate::load::load(tmp.path()).unwrap();
        Instances::evaluate(&config, var_file.map(|f| tmp.path().join(f)).as_deref()).unwrap()
    }

    fn addrs(i: &Instances, config_address: &str, local: &str) -> Option<Vec<String>> {
        i.get(config_address).unwrap().addresses(local)
    }

    #[test]
    fn keys_come_from_defaults_tfvars_inputs_and_locals() {
        let files = [
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
  port     = each.value.port
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
                "variable \"names\" {}\nvariable \"port\" {}\nmodule \"inner\" {\n  source   = \"../r\"\n  for_each = toset([for n in var.names : \"${n}-${var.port}\"])\n}\n",
            ),
            ("r/main.tf", "resource \"aws_sqs_queue\" \"q\" {}\n"),
            ("prod.tfvars", "services = {\n  api = { port = 1 }\n  web = { port = 2 }\n}\nreplicas = 3\n"),
        ];
        let dev = expand(&files, None);
        assert_eq!(
            addrs(
                &dev,
                "module.svc.module.inner.aws_sqs_queue.q",
                "aws_sqs_queue.q"
            )
            .unwrap(),
            vec!["module.svc[\"api\"].module.inner[\"api-80\"].aws_sqs_queue.q"]
        );
        assert_eq!(addrs(&dev, "module.r", "").unwrap().len(), 1);
        let gated = dev.get("module.gated").unwrap();
        assert!(!gated.is_absent());
        let u = gated.unknown().unwrap();
        assert_eq!(u.argument, "count");
        assert_eq!(u.expression, "aws_s3_bucket.b.id == \"\" ? 0 : 1");
        assert_eq!((u.location.line, u.location.column), (19, 12));

        let prod = expand(&files, Some("prod.tfvars"));
        // Each instance of module.svc sees its own each.value: nested keys differ per instance.
        assert_eq!(
            addrs(
                &prod,
                "module.svc.module.inner.aws_sqs_queue.q",
                "aws_sqs_queue.q"
            )
            .unwrap(),
            vec![
                "module.svc[\"api\"].module.inner[\"api-1\"].aws_sqs_queue.q",
                "module.svc[\"api\"].module.inner[\"web-1\"].aws_sqs_queue.q",
                "module.svc[\"web\"].module.inner[\"api-2\"].aws_sqs_queue.q",
                "module.svc[\"web\"].module.inner[\"web-2\"].aws_sqs_queue.q",
            ]
        );
        assert_eq!(
            addrs(&prod, "module.r.aws_sqs_queue.q", "aws_sqs_queue.q")
                .unwrap()
                .len(),
            3
        );
    }

    // Repro 3 of issue 8: a map whose values reference resources still has known keys.
    #[test]
    fn keys_of_a_map_whose_values_hold_references_are_known() {
        let i = expand(
            &[
                (
                    "main.tf",
                    "resource \"aws_lb_target_group\" \"tg\" {}\nmodule \"svc\" {\n  source   = \"./svc\"\n  for_each = { api = { tg = aws_lb_target_group.tg.arn } }\n  tg_arn   = each.value.tg\n}\n",
                ),
                ("svc/main.tf", "variable \"tg_arn\" {}\nresource \"aws_ecs_service\" \"s\" {}\n"),
            ],
            None,
        );
        assert_eq!(
            addrs(&i, "module.svc.aws_ecs_service.s", "aws_ecs_service.s").unwrap(),
            vec!["module.svc[\"api\"].aws_ecs_service.s"]
        );
    }

    #[test]
    fn a_null_input_to_a_non_nullable_variable_takes_its_default() {
        // The Azure Verified Modules shape: an optional attribute left out is null, passed on to
        // a module whose variable is `nullable = false` with a default of `{}`.
        let child = |nullable: &str| {
            format!(
                "variable \"roles\" {{\n  default = {{}}\n{nullable}}}\nresource \"azapi_resource\" \"r\" {{\n  for_each = var.roles\n}}\n"
            )
        };
        let files = |nullable: &str| {
            [
                (
                    "main.tf".to_string(),
                    "module \"s\" {\n  source = \"./s\"\n  roles  = null\n}\n".to_string(),
                ),
                ("s/main.tf".to_string(), child(nullable)),
            ]
        };
        let expand_owned = |files: [(String, String); 2]| {
            let refs: Vec<(&str, &str)> = files
                .iter()
                .map(|(a, b)| (a.as_str(), b.as_str()))
                .collect();
            expand(&refs, None)
        };
        let strict = expand_owned(files("  nullable = false\n"));
        let r = strict.get("module.s.azapi_resource.r").unwrap();
        assert!(
            r.is_absent(),
            "for_each over the default {{}} gives no instances"
        );
        assert!(r.unknown().is_none());
        // Nullable (Terraform's default): the null stays null and the keys are not known.
        let lax = expand_owned(files(""));
        assert!(lax
            .get("module.s.azapi_resource.r")
            .unwrap()
            .unknown()
            .is_some());
    }

    #[test]
    fn switches_inside_modules_make_resources_absent() {
        let files = [
            (
                "main.tf",
                "variable \"on\" { default = false }\nmodule \"m\" {\n  source = \"./m\"\n  create = var.on\n  settings = { a = {} }\n}\nmodule \"off\" {\n  source = \"./m\"\n  count  = 0\n}\n",
            ),
            (
                "m/main.tf",
                r#"
variable "create" { default = true }
variable "settings" {
  type    = map(object({ enabled = optional(bool, true) }))
  default = {}
}
resource "aws_appautoscaling_target" "t" {
  count = var.create ? 1 : 0
}
resource "aws_sqs_queue" "q" {
  for_each = { for k, v in var.settings : k => v if v.enabled && var.create }
}
resource "aws_s3_bucket" "b" {}
resource "aws_iam_role" "r" {
  count = length(aws_s3_bucket.b.tags) > 0 ? 1 : 0
}
"#,
            ),
            ("on.tfvars", "on = true\n"),
        ];
        let off = expand(&files, None);
        assert!(off.is_absent("module.m.aws_appautoscaling_target.t"));
        assert!(off.is_absent("module.m.aws_sqs_queue.q"));
        assert!(!off.is_absent("module.m.aws_s3_bucket.b"));
        assert!(
            !off.is_absent("module.m.aws_iam_role.r"),
            "unknown is not absent"
        );
        assert!(off.is_absent("module.off.aws_s3_bucket.b"));
        assert!(off.is_absent("module.off"));
        let on = expand(&files, Some("on.tfvars"));
        assert!(!on.is_absent("module.m.aws_appautoscaling_target.t"));
        assert_eq!(
            addrs(&on, "module.m.aws_sqs_queue.q", "aws_sqs_queue.q").unwrap(),
            vec!["module.m.aws_sqs_queue.q[\"a\"]"],
            "the optional attribute got its default"
        );
    }

    #[test]
    fn references_to_keyed_resources_and_module_outputs_have_known_shapes() {
        let i = expand(
            &[
                (
                    "main.tf",
                    r#"
resource "aws_subnet" "s" { count = 2 }
resource "aws_route_table_association" "a" { count = length(aws_subnet.s) }
resource "aws_eip" "e" { for_each = aws_subnet.s_map }
resource "aws_subnet" "s_map" { for_each = toset(["a", "b"]) }
module "vpc" { source = "./vpc" }
resource "aws_nat_gateway" "n" { count = length(module.vpc.subnets) }
resource "aws_instance" "x" { count = try(aws_iam_role.infra[0].arn, "") == "" ? 0 : 1 }
resource "aws_iam_role" "infra" { count = 0 }
"#,
                ),
                (
                    "vpc/main.tf",
                    "resource \"aws_subnet\" \"p\" { count = 3 }\noutput \"subnets\" { value = aws_subnet.p[*].id }\n",
                ),
            ],
            None,
        );
        assert_eq!(
            addrs(&i, "aws_route_table_association.a", "x")
                .unwrap()
                .len(),
            2
        );
        assert_eq!(
            addrs(&i, "aws_eip.e", "aws_eip.e").unwrap(),
            vec!["aws_eip.e[\"a\"]", "aws_eip.e[\"b\"]"]
        );
        assert_eq!(addrs(&i, "aws_nat_gateway.n", "x").unwrap().len(), 3);
        assert!(i.is_absent("aws_instance.x"));
    }

    #[test]
    fn auto_loaded_tfvars_come_before_the_environment() {
        let files = [
            ("main.tf", "variable \"n\" { default = 1 }\nresource \"aws_sqs_queue\" \"q\" { count = var.n }\n"),
            ("terraform.tfvars", "n = 2\n"),
            ("b.auto.tfvars.json", "{\"n\": 3}"),
            ("env.tfvars", "n = 4\n"),
        ];
        assert_eq!(
            addrs(&expand(&files, None), "aws_sqs_queue.q", "q")
                .unwrap()
                .len(),
            3
        );
        assert_eq!(
            addrs(&expand(&files, Some("env.tfvars")), "aws_sqs_queue.q", "q")
                .unwrap()
                .len(),
            4
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
