//! Evaluates HCL expressions the way Terraform does, with unknowns: every operator, traversal,
//! splat, `for` expression, conditional and template. Names at the root of a reference (`var`,
//! `local`, `each`, `module`, resource types, ...) are looked up through a [`Resolver`], so the
//! same evaluator serves module instances, tfvars files and tests. Functions are in
//! [`super::functions`].

use std::collections::BTreeMap;

use hcl::expr::{
    BinaryOperator, Expression, ForExpr, ObjectKey, TemplateExpr, TraversalOperator, UnaryOperator,
};
use hcl::template::{Directive, Element, Template};

use super::functions;
use super::value::{fail, Result, Value};

/// Looks up the value a reference starts with. `attrs` are the attribute names that follow the
/// root (`var.x.y` → root `var`, attrs `[x, y]`); the resolver says how many it consumed.
pub trait Resolver {
    fn resolve(&self, root: &str, attrs: &[&str]) -> Result<(Value, usize)>;

    /// The directory `file()` and friends read relative paths from; `None`: no file access.
    fn base_dir(&self) -> Option<&std::path::Path> {
        None
    }
}

/// Resolves nothing: for literals such as tfvars files and variable defaults.
pub struct NoNames;

impl Resolver for NoNames {
    fn resolve(&self, root: &str, _: &[&str]) -> Result<(Value, usize)> {
        fail(format!("{root} cannot be used here"))
    }
}

/// An evaluation: a resolver plus the iterator variables of enclosing `for` expressions.
pub struct Evaluator<'r> {
    resolver: &'r dyn Resolver,
    bindings: Vec<(String, Value)>,
}

/// Evaluates one expression.
pub fn evaluate(expr: &Expression, resolver: &dyn Resolver) -> Result<Value> {
    Evaluator {
        resolver,
        bindings: Vec::new(),
    }
    .eval(expr)
}

impl Evaluator<'_> {
    pub fn base_dir(&self) -> Option<&std::path::Path> {
        self.resolver.base_dir()
    }

    pub fn eval(&mut self, expr: &Expression) -> Result<Value> {
        match expr {
            Expression::Null => Ok(Value::Null),
            Expression::Bool(b) => Ok(Value::Bool(*b)),
            Expression::Number(n) => Ok(Value::Number(n.as_f64().unwrap_or(0.0))),
            Expression::String(s) => Ok(Value::String(s.clone())),
            Expression::Array(items) => Ok(Value::list(
                items.iter().map(|e| self.eval(e)).collect::<Result<_>>()?,
            )),
            Expression::Object(obj) => {
                let mut out = BTreeMap::new();
                let mut unknown_key = false;
                for (k, v) in obj.iter() {
                    let key = match k {
                        ObjectKey::Identifier(id) => Value::string(id.as_str()),
                        ObjectKey::Expression(e) => self.eval(e)?,
                        _ => return Ok(Value::Unknown),
                    };
                    let value = self.eval(v)?;
                    if key.is_unknown() {
                        unknown_key = true;
                        continue;
                    }
                    // Duplicate keys: the last one wins, as in Terraform.
                    out.insert(key.to_str()?, value);
                }
                Ok(if unknown_key {
                    Value::Unknown
                } else {
                    Value::map(out)
                })
            }
            Expression::TemplateExpr(t) => self.template_expr(t),
            Expression::Variable(v) => self.reference(v.as_str(), &[]),
            Expression::Traversal(t) => self.traversal(&t.expr, &t.operators),
            Expression::FuncCall(call) => {
                let name = call.name.name.as_str();
                if !call.name.namespace.is_empty() {
                    // Provider-defined functions (`provider::aws::arn_parse`): not known here.
                    return Ok(Value::Unknown);
                }
                functions::call(self, name, &call.args, call.expand_final)
            }
            Expression::Parenthesis(e) => self.eval(e),
            Expression::Conditional(c) => {
                let cond = self.eval(&c.cond_expr)?;
                if cond.is_unknown() {
                    return Ok(Value::Unknown);
                }
                if cond.to_bool()? {
                    self.eval(&c.true_expr)
                } else {
                    self.eval(&c.false_expr)
                }
            }
            Expression::Operation(op) => match op.as_ref() {
                hcl::expr::Operation::Unary(u) => {
                    let v = self.eval(&u.expr)?;
                    if v.is_unknown() {
                        return Ok(Value::Unknown);
                    }
                    match u.operator {
                        UnaryOperator::Not => Ok(Value::Bool(!v.to_bool()?)),
                        UnaryOperator::Neg => Ok(Value::Number(-v.to_number()?)),
                    }
                }
                hcl::expr::Operation::Binary(b) => {
                    let lhs = self.eval(&b.lhs_expr)?;
                    let rhs = self.eval(&b.rhs_expr)?;
                    binary(b.operator, &lhs, &rhs)
                }
            },
            Expression::ForExpr(f) => self.for_expr(f),
            _ => Ok(Value::Unknown),
        }
    }

    fn reference(&mut self, root: &str, attrs: &[&str]) -> Result<Value> {
        if let Some((_, v)) = self.bindings.iter().rev().find(|(n, _)| n == root) {
            return Ok(v.clone());
        }
        Ok(self.resolver.resolve(root, attrs)?.0)
    }

    fn traversal(&mut self, expr: &Expression, ops: &[TraversalOperator]) -> Result<Value> {
        let (mut value, consumed) = match expr {
            Expression::Variable(v) => {
                let root = v.as_str();
                if let Some((_, v)) = self.bindings.iter().rev().find(|(n, _)| n == root) {
                    (v.clone(), 0)
                } else {
                    let attrs: Vec<&str> = ops
                        .iter()
                        .map_while(|op| match op {
                            TraversalOperator::GetAttr(id) => Some(id.as_str()),
                            _ => None,
                        })
                        .collect();
                    self.resolver.resolve(root, &attrs)?
                }
            }
            other => (self.eval(other)?, 0),
        };
        let mut i = consumed;
        while i < ops.len() {
            match &ops[i] {
                TraversalOperator::GetAttr(id) => value = get_attr(&value, id.as_str())?,
                TraversalOperator::Index(e) => {
                    let key = self.eval(e)?;
                    value = index(&value, &key)?;
                }
                TraversalOperator::LegacyIndex(n) => {
                    value = index(&value, &Value::Number(*n as f64))?;
                }
                TraversalOperator::AttrSplat | TraversalOperator::FullSplat => {
                    // The rest of the traversal applies to each element.
                    let rest = &ops[i + 1..];
                    let attr_only = matches!(ops[i], TraversalOperator::AttrSplat);
                    let (each, after) = if attr_only {
                        let n = rest
                            .iter()
                            .take_while(|o| matches!(o, TraversalOperator::GetAttr(_)))
                            .count();
                        (&rest[..n], &rest[n..])
                    } else {
                        (rest, &[][..])
                    };
                    let elements = match &value {
                        Value::Unknown => return Ok(Value::Unknown),
                        Value::Null => Vec::new(),
                        Value::List(items) => items.as_ref().clone(),
                        // A splat on a single value makes a one-element list.
                        other => vec![other.clone()],
                    };
                    let mut out = Vec::with_capacity(elements.len());
                    for el in elements {
                        let mut v = el;
                        for op in each {
                            v = self.step(&v, op)?;
                        }
                        out.push(v);
                    }
                    value = Value::list(out);
                    for op in after {
                        value = self.step(&value, op)?;
                    }
                    return Ok(value);
                }
            }
            i += 1;
        }
        Ok(value)
    }

    fn step(&mut self, value: &Value, op: &TraversalOperator) -> Result<Value> {
        match op {
            TraversalOperator::GetAttr(id) => get_attr(value, id.as_str()),
            TraversalOperator::Index(e) => {
                let key = self.eval(e)?;
                index(value, &key)
            }
            TraversalOperator::LegacyIndex(n) => index(value, &Value::Number(*n as f64)),
            // A nested splat: treat the element as already splatted.
            _ => Ok(value.clone()),
        }
    }

    fn for_expr(&mut self, f: &ForExpr) -> Result<Value> {
        let collection = self.eval(&f.collection_expr)?;
        let pairs: Vec<(Value, Value)> = match &collection {
            Value::Unknown => return Ok(Value::Unknown),
            Value::List(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (Value::Number(i as f64), v.clone()))
                .collect(),
            Value::Map(m) => m
                .iter()
                .map(|(k, v)| (Value::string(k.clone()), v.clone()))
                .collect(),
            Value::Null => return fail("a for expression cannot iterate over null"),
            other => {
                return fail(format!(
                    "a for expression needs a collection, not a {}",
                    other.type_name()
                ))
            }
        };
        let mut list = Vec::new();
        let mut map: BTreeMap<String, Value> = BTreeMap::new();
        let mut groups: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        let mut unknown = false;
        for (k, v) in pairs {
            let mark = self.bindings.len();
            if let Some(kv) = &f.key_var {
                self.bindings.push((kv.as_str().to_string(), k));
            }
            self.bindings.push((f.value_var.as_str().to_string(), v));
            let result = self.for_element(f);
            self.bindings.truncate(mark);
            match result? {
                None => {}
                Some((None, value)) => list.push(value),
                Some((Some(Value::Unknown), _)) => unknown = true,
                Some((Some(key), value)) => {
                    let key = key.to_str()?;
                    if f.grouping {
                        groups.entry(key).or_default().push(value);
                    } else if map.insert(key.clone(), value).is_some() {
                        return fail(format!(
                            "duplicate key {key:?} in a for expression (use ... to group)"
                        ));
                    }
                }
            }
        }
        if unknown {
            return Ok(Value::Unknown);
        }
        Ok(match &f.key_expr {
            None => Value::list(list),
            Some(_) if f.grouping => Value::map(
                groups
                    .into_iter()
                    .map(|(k, v)| (k, Value::list(v)))
                    .collect(),
            ),
            Some(_) => Value::map(map),
        })
    }

    /// One element of a `for`: `None` when its condition drops it; an unknown condition makes
    /// the key unknown, since whether the element is there is unknown.
    #[allow(clippy::type_complexity)]
    fn for_element(&mut self, f: &ForExpr) -> Result<Option<(Option<Value>, Value)>> {
        if let Some(cond) = &f.cond_expr {
            let c = self.eval(cond)?;
            if c.is_unknown() {
                return Ok(Some((Some(Value::Unknown), Value::Unknown)));
            }
            if !c.to_bool()? {
                return Ok(None);
            }
        }
        let key = match &f.key_expr {
            Some(k) => Some(self.eval(k)?),
            None => None,
        };
        let value = self.eval(&f.value_expr)?;
        Ok(Some((key, value)))
    }

    fn template_expr(&mut self, t: &TemplateExpr) -> Result<Value> {
        if let TemplateExpr::QuotedString(s) = t {
            if !s.contains("${") && !s.contains("%{") {
                return Ok(Value::String(s.clone()));
            }
        }
        let template = match Template::from_expr(t) {
            Ok(t) => t,
            Err(e) => return fail(format!("invalid template: {e}")),
        };
        let elements = template.elements();
        // A template that is a single interpolation yields the value itself, not a string.
        if let [Element::Interpolation(i)] = elements {
            return self.eval(&i.expr);
        }
        let mut out = String::new();
        if self.template(&template, &mut out)? {
            Ok(Value::String(out))
        } else {
            Ok(Value::Unknown)
        }
    }

    /// Renders a template; false when part of it is unknown.
    fn template(&mut self, t: &Template, out: &mut String) -> Result<bool> {
        for el in t.elements() {
            match el {
                Element::Literal(s) => out.push_str(s),
                Element::Interpolation(i) => {
                    let v = self.eval(&i.expr)?;
                    if !v.is_wholly_known() {
                        return Ok(false);
                    }
                    out.push_str(&v.to_str()?);
                }
                Element::Directive(d) => match d.as_ref() {
                    Directive::If(d) => {
                        let c = self.eval(&d.cond_expr)?;
                        if c.is_unknown() {
                            return Ok(false);
                        }
                        let branch = if c.to_bool()? {
                            Some(&d.true_template)
                        } else {
                            d.false_template.as_ref()
                        };
                        if let Some(b) = branch {
                            if !self.template(b, out)? {
                                return Ok(false);
                            }
                        }
                    }
                    Directive::For(d) => {
                        let collection = self.eval(&d.collection_expr)?;
                        let pairs: Vec<(Value, Value)> = match &collection {
                            Value::Unknown => return Ok(false),
                            Value::List(items) => items
                                .iter()
                                .enumerate()
                                .map(|(i, v)| (Value::Number(i as f64), v.clone()))
                                .collect(),
                            Value::Map(m) => m
                                .iter()
                                .map(|(k, v)| (Value::string(k.clone()), v.clone()))
                                .collect(),
                            _ => return fail("a template for directive needs a collection"),
                        };
                        for (k, v) in pairs {
                            let mark = self.bindings.len();
                            if let Some(kv) = &d.key_var {
                                self.bindings.push((kv.as_str().to_string(), k));
                            }
                            self.bindings.push((d.value_var.as_str().to_string(), v));
                            let r = self.template(&d.template, out);
                            self.bindings.truncate(mark);
                            if !r? {
                                return Ok(false);
                            }
                        }
                    }
                },
            }
        }
        Ok(true)
    }
}

/// `value.name`: an object attribute (a map element, too).
pub fn get_attr(value: &Value, name: &str) -> Result<Value> {
    match value {
        Value::Unknown => Ok(Value::Unknown),
        Value::Map(m) => match m.get(name) {
            Some(v) => Ok(v.clone()),
            None => fail(format!("this object has no attribute {name:?}")),
        },
        Value::Null => fail(format!("cannot read {name:?} of null")),
        other => fail(format!(
            "cannot read attribute {name:?} of a {}",
            other.type_name()
        )),
    }
}

/// `value[key]`.
pub fn index(value: &Value, key: &Value) -> Result<Value> {
    match (value, key) {
        (Value::Unknown, _) | (_, Value::Unknown) => Ok(Value::Unknown),
        (Value::List(items), k) => {
            let n = k.to_number()?;
            if n < 0.0 || n.fract() != 0.0 || n as usize >= items.len() {
                return fail(format!(
                    "index {} is out of range for a list of {}",
                    super::value::format_number(n),
                    items.len()
                ));
            }
            Ok(items[n as usize].clone())
        }
        (Value::Map(m), k) => {
            let k = k.to_str()?;
            m.get(&k)
                .cloned()
                .ok_or_else(|| super::value::EvalError(format!("no element with key {k:?}")))
        }
        (Value::Null, _) => fail("cannot index null"),
        (other, _) => fail(format!("cannot index a {}", other.type_name())),
    }
}

fn binary(op: BinaryOperator, lhs: &Value, rhs: &Value) -> Result<Value> {
    use BinaryOperator::*;
    // Logical operators decide without an unknown side when the known side is enough.
    match op {
        And => {
            return Ok(match (known_bool(lhs)?, known_bool(rhs)?) {
                (Some(false), _) | (_, Some(false)) => Value::Bool(false),
                (Some(true), Some(true)) => Value::Bool(true),
                _ => Value::Unknown,
            })
        }
        Or => {
            return Ok(match (known_bool(lhs)?, known_bool(rhs)?) {
                (Some(true), _) | (_, Some(true)) => Value::Bool(true),
                (Some(false), Some(false)) => Value::Bool(false),
                _ => Value::Unknown,
            })
        }
        Eq | NotEq => {
            return Ok(match equal(lhs, rhs) {
                Some(same) => Value::Bool(same == (op == Eq)),
                None => Value::Unknown,
            })
        }
        _ => {}
    }
    if !lhs.is_wholly_known() || !rhs.is_wholly_known() {
        return Ok(Value::Unknown);
    }
    Ok(match op {
        Less => Value::Bool(lhs.to_number()? < rhs.to_number()?),
        LessEq => Value::Bool(lhs.to_number()? <= rhs.to_number()?),
        Greater => Value::Bool(lhs.to_number()? > rhs.to_number()?),
        GreaterEq => Value::Bool(lhs.to_number()? >= rhs.to_number()?),
        Plus => Value::Number(lhs.to_number()? + rhs.to_number()?),
        Minus => Value::Number(lhs.to_number()? - rhs.to_number()?),
        Mul => Value::Number(lhs.to_number()? * rhs.to_number()?),
        Div => Value::Number(lhs.to_number()? / rhs.to_number()?),
        Mod => Value::Number(lhs.to_number()? % rhs.to_number()?),
        And | Or | Eq | NotEq => unreachable!("handled above"),
    })
}

fn known_bool(v: &Value) -> Result<Option<bool>> {
    if v.is_unknown() {
        Ok(None)
    } else {
        v.to_bool().map(Some)
    }
}

/// Terraform's `==` (cty's `Equals`): no conversion between types. Null-ness is known even
/// for a collection with unknown elements, so `var.services != null` is known for a map of
/// resource references; `None` when the answer depends on an unknown.
fn equal(a: &Value, b: &Value) -> Option<bool> {
    match (a, b) {
        (Value::Unknown, _) | (_, Value::Unknown) => None,
        (Value::Null, other) | (other, Value::Null) => Some(matches!(other, Value::Null)),
        (Value::List(x), Value::List(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            let mut all = Some(true);
            for (p, q) in x.iter().zip(y.iter()) {
                match equal(p, q) {
                    Some(false) => return Some(false),
                    None => all = None,
                    Some(true) => {}
                }
            }
            all
        }
        (Value::Map(x), Value::Map(y)) => {
            if x.len() != y.len() || x.keys().ne(y.keys()) {
                return Some(false);
            }
            let mut all = Some(true);
            for (p, q) in x.values().zip(y.values()) {
                match equal(p, q) {
                    Some(false) => return Some(false),
                    None => all = None,
                    Some(true) => {}
                }
            }
            all
        }
        _ => Some(a == b),
    }
}

#[cfg(test)]
mod tests {
    //! Expressions with unknowns: conditionals, for expressions, maps with unknown values.

    use super::*;

    /// `var.*` from a map, `aws_x.*` unknown: enough to test the evaluator on its own.
    struct Names(BTreeMap<String, Value>);

    impl Resolver for Names {
        fn resolve(&self, root: &str, attrs: &[&str]) -> Result<(Value, usize)> {
            match (root, attrs.first()) {
                ("var", Some(name)) => match self.0.get(*name) {
                    Some(v) => Ok((v.clone(), 1)),
                    None => fail(format!("no variable {name}")),
                },
                (_, Some(_)) => Ok((Value::Unknown, 1)),
                _ => fail(format!("unknown name {root}")),
            }
        }
    }

    fn eval_with(src: &str, vars: &[(&str, Value)]) -> Result<Value> {
        let expr: Expression = src.parse().expect("expression parses");
        let names = Names(
            vars.iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        );
        evaluate(&expr, &names)
    }

    fn eval(src: &str) -> Value {
        eval_with(src, &[]).unwrap_or_else(|e| panic!("{src}: {e}"))
    }

    fn s(x: &str) -> Value {
        Value::string(x)
    }

    #[test]
    fn a_map_whose_values_are_unknown_keeps_known_keys() {
        let v = eval("{ api = { tg = aws_lb_target_group.tg.arn } }");
        let Value::Map(m) = v else { panic!() };
        assert_eq!(m.keys().collect::<Vec<_>>(), vec!["api"]);
        assert_eq!(m["api"], Value::map([("tg".into(), Value::Unknown)].into()));
    }

    #[test]
    fn conditionals_count_switches_and_unknown_conditions() {
        let off = [("create", Value::Bool(false))];
        assert_eq!(
            eval_with("var.create ? 1 : 0", &off).unwrap(),
            Value::Number(0.0)
        );
        assert!(eval("aws_s3_bucket.b.id == \"\" ? 0 : 1").is_unknown());
        assert_eq!(
            eval_with("var.create && aws_x.y.enabled", &off).unwrap(),
            Value::Bool(false)
        );
    }

    #[test]
    fn for_expressions_filter_and_group() {
        let services = Value::map(
            [
                (
                    "api".into(),
                    Value::map([("on".into(), Value::Bool(true))].into()),
                ),
                (
                    "web".into(),
                    Value::map([("on".into(), Value::Bool(false))].into()),
                ),
            ]
            .into(),
        );
        let vars = [("s", services)];
        let v = eval_with("{ for k, v in var.s : k => v if v.on }", &vars).unwrap();
        assert_eq!(
            v,
            Value::map(
                [(
                    "api".into(),
                    Value::map([("on".into(), Value::Bool(true))].into())
                )]
                .into()
            )
        );
        let v = eval_with("[for k, v in var.s : upper(k)]", &vars).unwrap();
        assert_eq!(v, Value::list(vec![s("API"), s("WEB")]));
        let v = eval("{ for x in [\"a\", \"b\", \"a\"] : x => x... }");
        assert_eq!(
            v,
            Value::map(
                [
                    ("a".into(), Value::list(vec![s("a"), s("a")])),
                    ("b".into(), Value::list(vec![s("b")]))
                ]
                .into()
            )
        );
        // An unknown condition: which elements exist is unknown.
        assert!(eval("{ for x in [\"a\"] : x => x if aws_x.y.on }").is_unknown());
    }

    #[test]
    fn splats_and_indexes() {
        let v = eval("[{ id = 1 }, { id = 2 }][*].id");
        assert_eq!(v, Value::list(vec![Value::Number(1.0), Value::Number(2.0)]));
        assert!(eval_with("[1][3]", &[]).is_err());
        assert_eq!(eval("{ a = [10, 20] }[\"a\"][1]"), Value::Number(20.0));
        assert!(eval("aws_x.y[*].id").is_unknown());
    }

    #[test]
    fn templates_render_or_become_unknown() {
        let vars = [("n", s("app")), ("i", Value::Number(2.0))];
        assert_eq!(
            eval_with("\"${var.n}-${var.i}\"", &vars).unwrap(),
            s("app-2")
        );
        assert!(eval("\"x-${aws_x.y.id}\"").is_unknown());
        assert_eq!(
            eval_with("\"%{ for x in [1, 2] }${x}%{ endfor }\"", &[]).unwrap(),
            s("12")
        );
        assert_eq!(
            eval_with("\"${var.i}\"", &vars).unwrap(),
            Value::Number(2.0)
        );
    }

    // ECS complete: `for_each = var.create && var.services != null ? var.services : {}` with
    // services whose values reference resources was unknown.
    #[test]
    fn a_collection_with_unknown_elements_is_known_not_to_be_null() {
        assert_eq!(eval("{ a = aws_x.y.id } != null"), Value::Bool(true));
        assert_eq!(eval("[aws_x.y.id] == null"), Value::Bool(false));
        assert!(eval("aws_x.y.id == null").is_unknown());
        assert!(eval("{ a = aws_x.y.id } == { a = \"x\" }").is_unknown());
        assert_eq!(
            eval("{ a = aws_x.y.id } == { b = \"x\" }"),
            Value::Bool(false)
        );
    }

    #[test]
    fn arithmetic_and_comparison_convert_like_terraform() {
        assert_eq!(eval("\"2\" * 3"), Value::Number(6.0));
        assert_eq!(eval("1 == 1.0"), Value::Bool(true));
        assert_eq!(eval("\"1\" == 1"), Value::Bool(false));
        assert!(eval("aws_x.y.n + 1").is_unknown());
    }
}
