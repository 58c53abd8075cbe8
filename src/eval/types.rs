//! Converts a variable's value to its declared `type`, as Terraform does before anything reads
//! it: `optional(T, default)` attributes of objects get their defaults (or null), undeclared
//! object attributes are dropped, primitives convert (`"2"` to a number), sets are sorted.
//! A type constraint tfscope does not understand leaves the value as it is.

use std::collections::BTreeMap;

use hcl::expr::{Expression, ObjectKey};

use super::expr::{evaluate, NoNames};
use super::value::Value;

/// The value converted to `ty`; unconvertible parts are left unchanged (Terraform would reject
/// them, and tfscope is not a validator).
pub fn convert(value: Value, ty: &Expression) -> Value {
    if matches!(value, Value::Null | Value::Unknown) {
        return value;
    }
    match ty {
        Expression::Variable(v) => match v.as_str() {
            "string" => match &value {
                Value::Number(_) | Value::Bool(_) => {
                    Value::String(value.to_str().unwrap_or_default())
                }
                _ => value,
            },
            "number" => match &value {
                Value::String(_) => value.to_number().map(Value::Number).unwrap_or(value),
                _ => value,
            },
            "bool" => match &value {
                Value::String(_) => value.to_bool().map(Value::Bool).unwrap_or(value),
                _ => value,
            },
            _ => value,
        },
        Expression::FuncCall(call) if call.name.namespace.is_empty() => {
            let inner = call.args.first();
            match (call.name.name.as_str(), inner, &value) {
                ("list", Some(t), Value::List(items)) => {
                    Value::list(items.iter().map(|v| convert(v.clone(), t)).collect())
                }
                ("set", Some(t), Value::List(items)) => {
                    Value::set(items.iter().map(|v| convert(v.clone(), t)).collect())
                }
                ("map", Some(t), Value::Map(m)) => Value::map(
                    m.iter()
                        .map(|(k, v)| (k.clone(), convert(v.clone(), t)))
                        .collect(),
                ),
                ("tuple", Some(Expression::Array(ts)), Value::List(items)) => Value::list(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, v)| match ts.get(i) {
                            Some(t) => convert(v.clone(), t),
                            None => v.clone(),
                        })
                        .collect(),
                ),
                ("object", Some(Expression::Object(attrs)), Value::Map(m)) => {
                    let mut out = BTreeMap::new();
                    for (key, attr_ty) in attrs.iter() {
                        let name = match key {
                            ObjectKey::Identifier(id) => id.as_str().to_string(),
                            ObjectKey::Expression(Expression::String(s)) => s.clone(),
                            ObjectKey::Expression(Expression::Variable(v)) => {
                                v.as_str().to_string()
                            }
                            _ => continue,
                        };
                        let (attr_ty, default) = optional(attr_ty);
                        let v = match m.get(&name) {
                            Some(Value::Null) | None => default.unwrap_or(Value::Null),
                            Some(v) => v.clone(),
                        };
                        out.insert(name, convert(v, attr_ty));
                    }
                    Value::map(out)
                }
                _ => value,
            }
        }
        _ => value,
    }
}

/// `optional(T, default)` → (T, converted default); any other type → (itself, None).
fn optional(ty: &Expression) -> (&Expression, Option<Value>) {
    if let Expression::FuncCall(call) = ty {
        if call.name.namespace.is_empty() && call.name.name.as_str() == "optional" {
            if let Some(inner) = call.args.first() {
                let default = call
                    .args
                    .get(1)
                    .and_then(|d| evaluate(d, &NoNames).ok())
                    .map(|d| convert(d, inner));
                return (inner, default);
            }
        }
    }
    (ty, None)
}

#[cfg(test)]
mod tests {
    //! Type conversion: optional attributes, dropped attributes, sorted sets.

    use super::*;

    fn conv(value: &str, ty: &str) -> Value {
        let v = evaluate(&value.parse().unwrap(), &NoNames).unwrap();
        convert(v, &ty.parse().unwrap())
    }

    fn val(src: &str) -> Value {
        evaluate(&src.parse().unwrap(), &NoNames).unwrap()
    }

    #[test]
    fn optional_attributes_get_their_defaults() {
        let v = conv(
            "{ api = { port = \"80\" }, web = { port = 81, create = false } }",
            "map(object({ port = number, create = optional(bool, true), name = optional(string) }))",
        );
        assert_eq!(
            v,
            val("{ api = { port = 80, create = true, name = null }, web = { port = 81, create = false, name = null } }")
        );
    }

    #[test]
    fn undeclared_attributes_are_dropped_and_sets_sorted() {
        assert_eq!(
            conv("{ a = 1, extra = 2 }", "object({ a = string })"),
            val("{ a = \"1\" }")
        );
        assert_eq!(
            conv("[\"b\", \"a\", \"b\"]", "set(string)"),
            val("[\"a\", \"b\"]")
        );
        assert_eq!(conv("[1]", "any"), val("[1]"));
    }
}
