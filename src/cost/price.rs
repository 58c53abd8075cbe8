//! The offline price catalog: one entry per priced component of a resource type, with its unit,
//! price, region, source and date, a `when` condition and a `quantity` expression (HCL) over the
//! resource's evaluated arguments (`self`), the resources it references (`refs`), usage values
//! (`usage`, with documented defaults) and the hours it is up (`hours`). This module parses the
//! catalog and evaluates one entry for one resource instance; it does not read configurations.

use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

use hcl::eval::{Context, Evaluate, FuncArgs, FuncDef, ParamType};
use hcl::expr::{Expression, Operation};
use hcl::{Map, Value};
use serde::Deserialize;

use crate::error::Error;

/// Units a price may be quoted in.
pub const UNITS: &[&str] = &[
    "hour",
    "month",
    "GB",
    "GB-month",
    "LCU-hour",
    "NLCU-hour",
    "vCPU-hour",
    "GB-hour",
    "VM-hour",
    "AZ-hour",
];

/// The built-in price files, one per provider family (format: `data/prices/README.md`).
const BUILTIN: &[(&str, &str)] = &[
    (
        "data/prices/aws.toml",
        include_str!("../../data/prices/aws.toml"),
    ),
    (
        "data/prices/google.toml",
        include_str!("../../data/prices/google.toml"),
    ),
    (
        "data/prices/azure.toml",
        include_str!("../../data/prices/azure.toml"),
    ),
    (
        "data/prices/generic.toml",
        include_str!("../../data/prices/generic.toml"),
    ),
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    price: Vec<toml::Spanned<RawEntry>>,
    #[serde(default)]
    free: Vec<toml::Spanned<TypeGroup>>,
    #[serde(default)]
    unpriced: Vec<toml::Spanned<TypeGroup>>,
    #[serde(default)]
    region: Vec<toml::Spanned<Region>>,
}

/// Types (names or `*` globs) with no charge of their own (`[[free]]`, with where that is
/// stated), or deliberately left unpriced (`[[unpriced]]`, with why).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TypeGroup {
    #[serde(alias = "reason")]
    source: String,
    types: Vec<String>,
}

/// A region's prices relative to a provider's base region, for entries without an exact
/// `regional` figure for it.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Region {
    /// The type prefix the factor applies to: `aws`, `google`, `azurerm`.
    pub provider: String,
    pub name: String,
    pub factor: f64,
    pub source: String,
    pub date: String,
    pub note: Option<String>,
}

/// Type names and globs, each with the text that explains it (a source or a reason).
#[derive(Debug, Clone, Default)]
pub struct TypeSet {
    exact: BTreeMap<String, String>,
    globs: Vec<(String, globset::GlobMatcher, String)>,
}

impl TypeSet {
    fn add(&mut self, pattern: String, why: String) -> Result<(), String> {
        if pattern.contains('*') {
            let glob = globset::Glob::new(&pattern).map_err(|e| format!("{pattern}: {e}"))?;
            self.globs.push((pattern, glob.compile_matcher(), why));
            // Longest pattern first: the most specific explanation wins.
            self.globs
                .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        } else {
            self.exact.insert(pattern, why);
        }
        Ok(())
    }

    /// Why `resource_type` is in the set (its source or reason), or `None`.
    pub fn get(&self, resource_type: &str) -> Option<&str> {
        self.exact
            .get(resource_type)
            .map(String::as_str)
            .or_else(|| {
                self.globs
                    .iter()
                    .find(|(_, m, _)| m.is_match(resource_type))
                    .map(|(_, _, why)| why.as_str())
            })
    }

    pub fn contains(&self, resource_type: &str) -> bool {
        self.get(resource_type).is_some()
    }

    fn extend(&mut self, other: TypeSet) {
        self.exact.extend(other.exact);
        for (pattern, m, why) in other.globs {
            self.globs.retain(|g| g.0 != pattern);
            self.globs.push((pattern, m, why));
        }
        self.globs
            .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    #[serde(rename = "type")]
    resource_type: String,
    component: String,
    unit: String,
    price: f64,
    region: String,
    source: String,
    date: String,
    quantity: String,
    when: Option<String>,
    #[serde(default)]
    usage: BTreeMap<String, f64>,
    #[serde(default)]
    regional: BTreeMap<String, f64>,
    note: Option<String>,
}

/// One priced component, with its expressions parsed.
#[derive(Debug, Clone)]
pub struct Entry {
    pub resource_type: String,
    pub component: String,
    pub unit: String,
    pub price: f64,
    pub region: String,
    pub source: String,
    pub date: String,
    pub quantity: Expression,
    pub when: Option<Expression>,
    /// Default usage values; a usage file overrides them.
    pub usage: BTreeMap<String, f64>,
    /// Exact prices in other regions than `region`, per unit.
    pub regional: BTreeMap<String, f64>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct PriceList {
    pub entries: Vec<Entry>,
    /// Types known to have no charge of their own.
    pub free: TypeSet,
    /// Types deliberately not priced, with the reason.
    pub unpriced: TypeSet,
    /// Regional factors per provider.
    pub regions: Vec<Region>,
}

impl PriceList {
    /// The prices shipped in `data/prices/`; their validity is checked by the tests.
    pub fn builtin() -> PriceList {
        let mut list = PriceList::default();
        for (path, text) in BUILTIN {
            list.extend(
                PriceList::parse(Path::new(path), text)
                    .expect("the built-in prices parse (see price tests)"),
            );
        }
        list
    }

    /// Parses a catalog file read from `path`. An error points at the bad entry (or, for
    /// invalid TOML, the bad token) with the line and a caret.
    pub fn parse(path: &Path, text: &str) -> Result<PriceList, Error> {
        let help = || Some("see data/prices/README.md for the format of an entry".to_string());
        let file: File = toml::from_str(text)
            .map_err(|e| Error::input(path, text, e.span(), e.message().to_string(), help()))?;
        let mut entries = Vec::new();
        for spanned in file.price {
            let span = spanned.span();
            let raw = spanned.into_inner();
            let wrong =
                |message: String| Error::input(path, text, Some(span.clone()), message, help());
            let at = format!("{} {:?}", raw.resource_type, raw.component);
            if !UNITS.contains(&raw.unit.as_str()) {
                return Err(wrong(format!(
                    "{at}: unknown unit {:?} (units: {})",
                    raw.unit,
                    UNITS.join(", ")
                )));
            }
            if !(raw.price >= 0.0 && raw.price.is_finite()) {
                return Err(wrong(format!("{at}: price must be zero or more")));
            }
            let parse = |e: &str| {
                Expression::from_str(e).map_err(|err| wrong(format!("{at}: {e:?}: {err}")))
            };
            entries.push(Entry {
                quantity: parse(&raw.quantity)?,
                when: raw.when.as_deref().map(parse).transpose()?,
                resource_type: raw.resource_type,
                component: raw.component,
                unit: raw.unit,
                price: raw.price,
                region: raw.region,
                source: raw.source,
                date: raw.date,
                usage: raw.usage,
                regional: raw.regional,
                note: raw.note,
            });
        }
        let sets = |groups: Vec<toml::Spanned<TypeGroup>>| -> Result<TypeSet, Error> {
            let mut set = TypeSet::default();
            for spanned in groups {
                let span = spanned.span();
                let group = spanned.into_inner();
                for t in group.types {
                    set.add(t, group.source.clone()).map_err(|message| {
                        Error::input(path, text, Some(span.clone()), message, help())
                    })?;
                }
            }
            Ok(set)
        };
        let free = sets(file.free)?;
        let unpriced = sets(file.unpriced)?;
        let mut regions = Vec::new();
        for spanned in file.region {
            let span = spanned.span();
            let region = spanned.into_inner();
            if !(region.factor > 0.0 && region.factor.is_finite()) {
                let message = format!("region {:?}: factor must be above zero", region.name);
                return Err(Error::input(path, text, Some(span), message, help()));
            }
            regions.push(region);
        }
        Ok(PriceList {
            entries,
            free,
            unpriced,
            regions,
        })
    }

    /// Entries of `other` replace entries with the same type and component; others are added.
    pub fn extend(&mut self, other: PriceList) {
        // A component priced per class has one entry per class: all of them replace all of ours.
        let replaced: std::collections::BTreeSet<(&str, &str)> = other
            .entries
            .iter()
            .map(|e| (e.resource_type.as_str(), e.component.as_str()))
            .collect();
        self.entries
            .retain(|x| !replaced.contains(&(x.resource_type.as_str(), x.component.as_str())));
        self.entries.extend(other.entries);
        self.free.extend(other.free);
        self.unpriced.extend(other.unpriced);
        for r in other.regions {
            self.regions
                .retain(|x| !(x.provider == r.provider && x.name == r.name));
            self.regions.push(r);
        }
    }

    pub fn for_type<'a>(&'a self, resource_type: &'a str) -> impl Iterator<Item = &'a Entry> + 'a {
        self.entries
            .iter()
            .filter(move |e| e.resource_type == resource_type)
    }
}

/// What one instance of a resource provides to price expressions.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// The resource's evaluated arguments.
    pub self_args: Map<String, Value>,
    /// Argument name -> evaluated arguments of the resource it references.
    pub refs: Map<String, Value>,
    /// The user's usage values for this resource type (override the entry's defaults).
    pub usage: Map<String, Value>,
}

/// A component priced for one instance and month.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Priced {
    pub quantity: f64,
    pub monthly: f64,
}

/// Prices `entry` for an instance up `hours` a month. `Ok(None)`: its `when` is false.
/// `Err`: something it needs is unknown (the reason, for the report's unpriced list).
pub fn evaluate(entry: &Entry, inputs: &Inputs, hours: f64) -> Result<Option<Priced>, String> {
    InstanceContext::new(&inputs.self_args, &inputs.refs, &inputs.usage).evaluate(entry, hours)
}

/// What price expressions see for one instance, built once however many entries and hours are
/// evaluated for it: `self`, `refs` and the functions are declared here, `hours` and `usage`
/// (the entry's defaults under the user's values) by each [`InstanceContext::evaluate`].
pub struct InstanceContext {
    ctx: Context<'static>,
    usage: Map<String, Value>,
}

impl InstanceContext {
    /// `self_args`, `refs` and the user's `usage` values as in [`Inputs`].
    pub fn new(
        self_args: &Map<String, Value>,
        refs: &Map<String, Value>,
        usage: &Map<String, Value>,
    ) -> InstanceContext {
        let mut ctx = Context::new();
        ctx.declare_var("hours", Value::Null);
        ctx.declare_var("self", Value::Object(self_args.clone()));
        ctx.declare_var("refs", Value::Object(refs.clone()));
        ctx.declare_var("usage", Value::Null);
        let any = || FuncDef::builder().variadic_param(ParamType::Any);
        ctx.declare_func("tonumber", any().build(fn_tonumber));
        ctx.declare_func("length", any().build(fn_length));
        ctx.declare_func("max", any().build(|a| fold(a, f64::max)));
        ctx.declare_func("min", any().build(|a| fold(a, f64::min)));
        ctx.declare_func("ceil", any().build(fn_ceil));
        ctx.declare_func("lookup", any().build(fn_lookup));
        ctx.declare_func("regex", any().build(fn_regex));
        ctx.declare_func("split", any().build(fn_split));
        ctx.declare_func("element", any().build(fn_element));
        InstanceContext {
            ctx,
            usage: usage.clone(),
        }
    }

    /// Prices one entry for this instance, up `hours` a month.
    pub fn evaluate(&mut self, entry: &Entry, hours: f64) -> Result<Option<Priced>, String> {
        let mut usage: Map<String, Value> = entry
            .usage
            .iter()
            .map(|(k, v)| (k.clone(), Value::from(*v)))
            .collect();
        usage.extend(self.usage.clone());
        self.ctx.declare_var("hours", Value::from(hours));
        self.ctx.declare_var("usage", Value::Object(usage));
        let ctx = &self.ctx;
        if let Some(when) = &entry.when {
            match resolve_try(when, ctx).evaluate(ctx) {
                Ok(Value::Bool(true)) => {}
                Ok(Value::Bool(false)) => return Ok(None),
                Ok(other) => return Err(format!("condition is {other}, not a bool")),
                Err(e) => return Err(format!("condition: {e}")),
            }
        }
        let value = resolve_try(&entry.quantity, ctx)
            .evaluate(ctx)
            .map_err(|e| format!("quantity: {e}"))?;
        let quantity = value
            .as_f64()
            .ok_or_else(|| format!("quantity is {value}, not a number"))?;
        Ok(Some(Priced {
            quantity,
            monthly: quantity * entry.price,
        }))
    }
}

/// Terraform's `try(a, b, ...)`: the first argument that evaluates. hcl-rs evaluates function
/// arguments eagerly, so calls are replaced by their value before evaluation.
fn resolve_try<'e>(expr: &'e Expression, ctx: &Context) -> std::borrow::Cow<'e, Expression> {
    if has_try(expr) {
        std::borrow::Cow::Owned(resolve_try_in(expr, ctx))
    } else {
        // Nothing to replace: the walk below would rebuild an equal copy.
        std::borrow::Cow::Borrowed(expr)
    }
}

/// Whether [`resolve_try_in`] finds a `try(...)` call to replace.
fn has_try(expr: &Expression) -> bool {
    match expr {
        Expression::FuncCall(call) => {
            call.name.name.as_str() == "try" || call.args.iter().any(has_try)
        }
        Expression::Parenthesis(inner) => has_try(inner),
        Expression::Traversal(t) => has_try(&t.expr),
        Expression::Array(items) => items.iter().any(has_try),
        Expression::Conditional(c) => {
            has_try(&c.cond_expr) || has_try(&c.true_expr) || has_try(&c.false_expr)
        }
        Expression::Operation(op) => match op.as_ref() {
            Operation::Unary(u) => has_try(&u.expr),
            Operation::Binary(b) => has_try(&b.lhs_expr) || has_try(&b.rhs_expr),
        },
        _ => false,
    }
}

fn resolve_try_in(expr: &Expression, ctx: &Context) -> Expression {
    match expr {
        Expression::FuncCall(call) if call.name.name.as_str() == "try" => {
            for arg in &call.args {
                let arg = resolve_try_in(arg, ctx);
                if let Ok(v) = arg.evaluate(ctx) {
                    return Expression::from(v);
                }
            }
            expr.clone()
        }
        Expression::FuncCall(call) => {
            let mut call = call.clone();
            call.args = call.args.iter().map(|a| resolve_try_in(a, ctx)).collect();
            Expression::FuncCall(call)
        }
        Expression::Parenthesis(inner) => {
            Expression::Parenthesis(Box::new(resolve_try_in(inner, ctx)))
        }
        Expression::Array(items) => {
            Expression::Array(items.iter().map(|a| resolve_try_in(a, ctx)).collect())
        }
        Expression::Traversal(t) => {
            let mut t = t.clone();
            t.expr = resolve_try_in(&t.expr, ctx);
            Expression::Traversal(t)
        }
        Expression::Conditional(c) => {
            let mut c = c.clone();
            c.cond_expr = resolve_try_in(&c.cond_expr, ctx);
            c.true_expr = resolve_try_in(&c.true_expr, ctx);
            c.false_expr = resolve_try_in(&c.false_expr, ctx);
            Expression::Conditional(c)
        }
        Expression::Operation(op) => {
            let op = match op.as_ref() {
                Operation::Unary(u) => {
                    let mut u = u.clone();
                    u.expr = resolve_try_in(&u.expr, ctx);
                    Operation::Unary(u)
                }
                Operation::Binary(b) => {
                    let mut b = b.clone();
                    b.lhs_expr = resolve_try_in(&b.lhs_expr, ctx);
                    b.rhs_expr = resolve_try_in(&b.rhs_expr, ctx);
                    Operation::Binary(b)
                }
            };
            Expression::Operation(Box::new(op))
        }
        other => other.clone(),
    }
}

fn number(v: &Value) -> Result<f64, String> {
    match v {
        Value::Number(n) => n.as_f64().ok_or_else(|| "not a number".into()),
        Value::String(s) => s
            .trim()
            .parse()
            .map_err(|_| format!("{s:?} is not a number")),
        other => Err(format!("{other} is not a number")),
    }
}

fn fn_tonumber(args: FuncArgs) -> Result<Value, String> {
    let n = number(args.first().ok_or("tonumber takes one argument")?)?;
    Ok(Value::from(n))
}

fn fn_length(args: FuncArgs) -> Result<Value, String> {
    let n = match args.first() {
        Some(Value::Array(a)) => a.len(),
        Some(Value::Object(m)) => m.len(),
        Some(Value::String(s)) => s.chars().count(),
        _ => return Err("length takes a collection".into()),
    };
    Ok(Value::from(n as u64))
}

fn fold(args: FuncArgs, f: fn(f64, f64) -> f64) -> Result<Value, String> {
    let mut it = args.iter().map(number);
    let first = it.next().ok_or("needs at least one number")??;
    let mut acc = first;
    for n in it {
        acc = f(acc, n?);
    }
    Ok(Value::from(acc))
}

fn fn_ceil(args: FuncArgs) -> Result<Value, String> {
    Ok(Value::from(
        number(args.first().ok_or("ceil takes a number")?)?.ceil(),
    ))
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

fn string_arg<'a>(args: &'a FuncArgs, i: usize, what: &str) -> Result<&'a str, String> {
    match args.get(i) {
        Some(Value::String(s)) => Ok(s),
        Some(other) => Err(format!("{what} must be a string, not {other}")),
        None => Err(format!("missing {what}")),
    }
}

thread_local! {
    /// Compiled patterns: the same few patterns are evaluated for every instance and entry.
    static PATTERNS: std::cell::RefCell<BTreeMap<String, regex::Regex>> =
        const { std::cell::RefCell::new(BTreeMap::new()) };
}

/// Terraform's `regex(pattern, string)` (RE2 syntax): without capture groups, the matched
/// substring; with unnamed groups, the list of captures (null for a group that did not take
/// part); with named groups, an object of them. No match is an error, as in Terraform, so
/// `try(regex(...), null)` falls back.
fn fn_regex(args: FuncArgs) -> Result<Value, String> {
    let pattern = string_arg(&args, 0, "regex pattern")?;
    let text = string_arg(&args, 1, "regex string")?;
    // Matched in place: a cloned Regex would start with an empty match cache every call.
    PATTERNS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if !cache.contains_key(pattern) {
            let re = regex::Regex::new(pattern).map_err(|e| format!("invalid regex: {e}"))?;
            cache.insert(pattern.to_string(), re);
        }
        regex_result(&cache[pattern], pattern, text)
    })
}

fn regex_result(re: &regex::Regex, pattern: &str, text: &str) -> Result<Value, String> {
    let caps = re
        .captures(text)
        .ok_or_else(|| format!("pattern {pattern:?} does not match {text:?}"))?;
    let group = |m: Option<regex::Match>| m.map_or(Value::Null, |m| Value::from(m.as_str()));
    let names: Vec<Option<&str>> = re.capture_names().skip(1).collect();
    if names.is_empty() {
        return Ok(group(caps.get(0)));
    }
    if names.iter().all(Option::is_some) {
        let object = names
            .iter()
            .flatten()
            .map(|n| (n.to_string(), group(caps.name(n))))
            .collect();
        return Ok(Value::Object(object));
    }
    if names.iter().any(Option::is_some) {
        return Err("regex: named and unnamed capture groups cannot be mixed".into());
    }
    Ok(Value::Array(
        (1..caps.len()).map(|i| group(caps.get(i))).collect(),
    ))
}

/// Terraform's `split(separator, string)`: a list of strings.
fn fn_split(args: FuncArgs) -> Result<Value, String> {
    let sep = string_arg(&args, 0, "split separator")?;
    let text = string_arg(&args, 1, "split string")?;
    let parts: Vec<Value> = if sep.is_empty() {
        text.chars().map(|c| Value::from(c.to_string())).collect()
    } else {
        text.split(sep).map(Value::from).collect()
    };
    Ok(Value::Array(parts))
}

/// Terraform's `element(list, index)`: the index wraps around the list's length; a negative
/// index or an empty list is an error.
fn fn_element(args: FuncArgs) -> Result<Value, String> {
    let Some(Value::Array(items)) = args.first() else {
        return Err("element takes a list".into());
    };
    let index = number(args.get(1).ok_or("element takes a list and an index")?)?;
    if index < 0.0 || index.fract() != 0.0 {
        return Err(format!(
            "element index {index} must be a whole number, not negative"
        ));
    }
    if items.is_empty() {
        return Err("element of an empty list".into());
    }
    Ok(items[(index as usize) % items.len()].clone())
}

#[cfg(test)]
mod tests {
    //! List prices by hand: NAT gateway, Fargate and the other entries, against the schedules.

    use super::*;

    const CATALOG: &str = r#"
[[price]]
type = "aws_nat_gateway"
component = "gateway hours"
unit = "hour"
price = 0.045
region = "us-east-1"
source = "https://aws.amazon.com/vpc/pricing/"
date = "2025-06"
quantity = "hours"

[[price]]
type = "aws_nat_gateway"
component = "data processed"
unit = "GB"
price = 0.045
region = "us-east-1"
source = "https://aws.amazon.com/vpc/pricing/"
date = "2025-06"
quantity = "usage.gb_processed"
usage = { gb_processed = 100 }

[[price]]
type = "aws_ecs_service"
component = "Fargate vCPU"
unit = "vCPU-hour"
price = 0.04048
region = "us-east-1"
source = "https://aws.amazon.com/fargate/pricing/"
date = "2025-06"
quantity = "hours * try(tonumber(self.desired_count), 1) * tonumber(refs.task_definition.cpu) / 1024"
when = 'try(refs.task_definition.runtime_platform[0].cpu_architecture, "X86_64") == "X86_64"'

[[price]]
type = "aws_db_instance"
component = "instance"
unit = "hour"
price = 0.016
region = "us-east-1"
source = "https://aws.amazon.com/rds/postgresql/pricing/"
date = "2025-06"
quantity = "hours"
when = 'self.instance_class == "db.t4g.micro"'
"#;

    fn obj(pairs: &[(&str, Value)]) -> Map<String, Value> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    fn catalog() -> PriceList {
        PriceList::parse(Path::new("prices.toml"), CATALOG).unwrap()
    }

    #[test]
    fn one_nat_gateway_costs_32_85_a_month_before_data() {
        let c = catalog();
        let hours = c.for_type("aws_nat_gateway").next().unwrap();
        let p = evaluate(hours, &Inputs::default(), 730.0).unwrap().unwrap();
        assert!((p.monthly - 32.85).abs() < 1e-9, "{}", p.monthly);
        // 100 GB through it by default: $4.50; a usage file says 1,000 GB: $45.
        let data = c.for_type("aws_nat_gateway").nth(1).unwrap();
        let p = evaluate(data, &Inputs::default(), 730.0).unwrap().unwrap();
        assert!((p.monthly - 4.5).abs() < 1e-9);
        let heavy = Inputs {
            usage: obj(&[("gb_processed", Value::from(1000))]),
            ..Inputs::default()
        };
        assert!((evaluate(data, &heavy, 730.0).unwrap().unwrap().monthly - 45.0).abs() < 1e-9);
    }

    #[test]
    fn fargate_follows_the_task_definition_and_the_schedule() {
        let c = catalog();
        let vcpu = c.for_type("aws_ecs_service").next().unwrap();
        let inputs = Inputs {
            self_args: obj(&[("desired_count", Value::from(2))]),
            refs: obj(&[(
                "task_definition",
                Value::Object(obj(&[("cpu", Value::from("512"))])),
            )]),
            ..Inputs::default()
        };
        // 2 tasks x 0.5 vCPU x 730 h x $0.04048 = $29.5504
        let always = evaluate(vcpu, &inputs, 730.0).unwrap().unwrap();
        assert!(
            (always.monthly - 29.5504).abs() < 1e-9,
            "{}",
            always.monthly
        );
        // Down at night: half of it.
        let nights = evaluate(vcpu, &inputs, 365.0).unwrap().unwrap();
        assert!((nights.monthly - 14.7752).abs() < 1e-9);
        // ARM tasks do not match the x86 price.
        let arm = Inputs {
            refs: obj(&[(
                "task_definition",
                Value::Object(obj(&[
                    ("cpu", Value::from("512")),
                    (
                        "runtime_platform",
                        Value::Array(vec![Value::Object(obj(&[(
                            "cpu_architecture",
                            Value::from("ARM64"),
                        )]))]),
                    ),
                ])),
            )]),
            ..inputs.clone()
        };
        assert_eq!(evaluate(vcpu, &arm, 730.0).unwrap(), None);
    }

    #[test]
    fn conditions_select_the_class_and_unknowns_are_reported_not_zero() {
        let c = catalog();
        let db = c.for_type("aws_db_instance").next().unwrap();
        let micro = Inputs {
            self_args: obj(&[("instance_class", Value::from("db.t4g.micro"))]),
            ..Inputs::default()
        };
        assert!((evaluate(db, &micro, 730.0).unwrap().unwrap().monthly - 11.68).abs() < 1e-9);
        let large = Inputs {
            self_args: obj(&[("instance_class", Value::from("db.m7g.large"))]),
            ..Inputs::default()
        };
        assert_eq!(evaluate(db, &large, 730.0).unwrap(), None);
        // The class depends on something tfscope could not evaluate: an error, never $0.
        assert!(evaluate(db, &Inputs::default(), 730.0).is_err());
    }

    #[test]
    fn the_builtin_catalog_parses_and_prices_the_issue_figures() {
        let c = PriceList::builtin();
        assert!(c.entries.len() >= 50, "{}", c.entries.len());
        let nat = c
            .for_type("aws_nat_gateway")
            .find(|e| e.unit == "hour")
            .unwrap();
        let p = evaluate(nat, &Inputs::default(), 730.0).unwrap().unwrap();
        assert!((p.monthly - 32.85).abs() < 1e-9, "{}", p.monthly);
        assert!(c.free.contains("aws_vpc") && !c.free.contains("aws_nat_gateway"));
        let eip = c.for_type("aws_eip").next().unwrap();
        assert!(
            (evaluate(eip, &Inputs::default(), 730.0)
                .unwrap()
                .unwrap()
                .monthly
                - 3.65)
                .abs()
                < 1e-9
        );
        for e in &c.entries {
            for key in e.usage.keys() {
                assert!(!key.is_empty(), "{} {}", e.resource_type, e.component);
            }
        }
    }

    #[test]
    fn an_override_priced_per_class_keeps_every_class() {
        let entry = |class: &str, price: f64| {
            format!(
                "[[price]]\ntype = \"aws_db_instance\"\ncomponent = \"instance hours\"\nunit = \"hour\"\n\
                 price = {price}\nregion = \"us-east-1\"\nsource = \"s\"\ndate = \"2026-12\"\n\
                 quantity = \"hours\"\nwhen = 'self.instance_class == \"{class}\"'\n\n"
            )
        };
        let mut c = PriceList::builtin();
        let before = c.for_type("aws_db_instance").count();
        let mine = entry("db.t3.micro", 0.02) + &entry("db.t3.small", 0.04);
        c.extend(PriceList::parse(Path::new("mine.toml"), &mine).unwrap());
        let instance: Vec<f64> = c
            .for_type("aws_db_instance")
            .filter(|e| e.component == "instance hours")
            .map(|e| e.price)
            .collect();
        assert_eq!(instance, vec![0.02, 0.04], "both classes of the override");
        assert!(before > 2 && c.for_type("aws_db_instance").count() < before);
    }

    #[test]
    fn bad_catalog_entries_are_rejected_and_overrides_replace() {
        let bad_unit = CATALOG.replacen("unit = \"hour\"", "unit = \"fortnight\"", 1);
        let err = PriceList::parse(Path::new("p.toml"), &bad_unit).unwrap_err();
        assert!(err.to_string().contains("unknown unit"), "{err}");
        // The error points at the entry: the line of its `[[price]]` header or first key.
        assert!(err.to_string().starts_with("p.toml:"), "{err}");
        let bad_expr = CATALOG.replacen("quantity = \"hours\"", "quantity = \"hours *\"", 1);
        assert!(PriceList::parse(Path::new("p.toml"), &bad_expr).is_err());
        let mut c = catalog();
        let cheaper = CATALOG.replacen("price = 0.045", "price = 0.04", 1);
        c.extend(PriceList::parse(Path::new("mine.toml"), &cheaper).unwrap());
        assert_eq!(c.entries.len(), 4, "same type and component replace");
        let hours = c
            .entries
            .iter()
            .find(|e| e.component == "gateway hours")
            .unwrap();
        assert_eq!(hours.price, 0.04);
    }

    /// Evaluates one expression as price entries do, with `self` = `self_args`.
    fn eval(expr: &str, self_args: &[(&str, Value)]) -> Result<Value, String> {
        let ictx = InstanceContext::new(&obj(self_args), &Map::new(), &Map::new());
        let expr = Expression::from_str(expr).map_err(|e| e.to_string())?;
        resolve_try(&expr, &ictx.ctx)
            .evaluate(&ictx.ctx)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn regex_follows_terraform() {
        let mt = [("machine_type", Value::from("n2-custom-6-20480"))];
        // Capture groups: the list of captures, indexable.
        let shape = r#"regex("^(n2|e2)-custom-([0-9]+)-([0-9]+)$", self.machine_type)"#;
        assert_eq!(
            eval(shape, &mt).unwrap(),
            Value::Array(vec!["n2".into(), "6".into(), "20480".into()])
        );
        let n = format!("tonumber({shape}[1]) * 2 + tonumber({shape}[2]) / 1024");
        assert_eq!(eval(&n, &mt).unwrap().as_f64(), Some(32.0));
        // No groups: the first (leftmost) matched substring.
        assert_eq!(
            eval(r#"regex("[0-9]+", self.machine_type)"#, &mt).unwrap(),
            Value::from("2")
        );
        assert_eq!(
            eval(r#"regex("[0-9]+$", self.machine_type)"#, &mt).unwrap(),
            Value::from("20480")
        );
        // Named groups: an object; an optional group that did not match is null.
        let named = eval(
            r#"regex("custom-(?P<cpu>[0-9]+)-(?P<mb>[0-9]+)(?P<ext>-ext)?", self.machine_type)"#,
            &mt,
        )
        .unwrap();
        let named = named.as_object().unwrap();
        assert_eq!(named["cpu"], Value::from("6"));
        assert_eq!(named["mb"], Value::from("20480"));
        assert_eq!(named["ext"], Value::Null);
        // No match is an error, so try() falls back, in a quantity and in a condition.
        assert!(eval(r#"regex("^db-", self.machine_type)"#, &mt).is_err());
        assert_eq!(
            eval(r#"try(regex("^db-", self.machine_type), null)"#, &mt).unwrap(),
            Value::Null
        );
        let cond =
            r#"try(tonumber(regex("^db-custom-([0-9]+)", self.machine_type)[0]) > 0, false)"#;
        assert_eq!(eval(cond, &mt).unwrap(), Value::Bool(false));
        assert!(eval(r#"regex("(", "x")"#, &mt).is_err(), "invalid pattern");
        assert!(
            eval(r#"regex("(a)(?P<b>b)", "ab")"#, &mt).is_err(),
            "mixed groups"
        );
    }

    #[test]
    fn split_and_element_follow_terraform() {
        let mt = [("machine_type", Value::from("db-custom-3-7680"))];
        assert_eq!(
            eval(r#"split("-", self.machine_type)"#, &mt).unwrap(),
            Value::Array(vec![
                "db".into(),
                "custom".into(),
                "3".into(),
                "7680".into()
            ])
        );
        let parts = r#"split("-", self.machine_type)"#;
        assert_eq!(
            eval(&format!("element({parts}, 2)"), &mt).unwrap(),
            Value::from("3")
        );
        // The index wraps around the length, as in Terraform.
        assert_eq!(
            eval(&format!("element({parts}, 7)"), &mt).unwrap(),
            Value::from("7680")
        );
        assert_eq!(
            eval(
                &format!("tonumber(element({parts}, length({parts}) - 1)) / 1024"),
                &mt
            )
            .unwrap()
            .as_f64(),
            Some(7.5)
        );
        assert!(eval(&format!("element({parts}, -1)"), &mt).is_err());
        assert!(eval("element([], 0)", &mt).is_err());
        assert_eq!(
            eval(r#"split(",", "")"#, &mt).unwrap(),
            Value::Array(vec!["".into()])
        );
    }
}
