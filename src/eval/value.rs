//! The values of tfscope's evaluator: Terraform's value model reduced to what deciding instance
//! keys needs, plus `Unknown` for what only exists after apply (resource attributes, data sources
//! read at plan time). Collections may hold unknown elements while their own shape is known: a
//! map whose values reference resources still has known keys, as in Terraform.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// A value, or `Unknown` where Terraform would only know it after apply.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    /// Lists, tuples and sets (sets are kept sorted and without duplicates).
    List(Arc<Vec<Value>>),
    /// Maps and objects; keys iterate in lexical order, like Terraform's.
    Map(Arc<BTreeMap<String, Value>>),
    Unknown,
}

/// Why an expression has no value: Terraform would reject it here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalError(pub String);

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub type Result<T> = std::result::Result<T, EvalError>;

pub fn fail<T>(message: impl Into<String>) -> Result<T> {
    Err(EvalError(message.into()))
}

impl Value {
    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Arc::new(items))
    }

    pub fn map(entries: BTreeMap<String, Value>) -> Value {
        Value::Map(Arc::new(entries))
    }

    pub fn string(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown)
    }

    /// True when nothing inside is unknown.
    pub fn is_wholly_known(&self) -> bool {
        match self {
            Value::Unknown => false,
            Value::List(items) => items.iter().all(Value::is_wholly_known),
            Value::Map(m) => m.values().all(Value::is_wholly_known),
            _ => true,
        }
    }

    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::List(_) => "list",
            Value::Map(_) => "map",
            Value::Unknown => "unknown",
        }
    }

    /// Terraform's automatic conversion to a string (numbers and bools convert).
    pub fn to_str(&self) -> Result<String> {
        match self {
            Value::String(s) => Ok(s.clone()),
            Value::Number(n) => Ok(format_number(*n)),
            Value::Bool(b) => Ok(b.to_string()),
            other => fail(format!("a string is required, not a {}", other.type_name())),
        }
    }

    /// Terraform's automatic conversion to a number (numeric strings convert).
    pub fn to_number(&self) -> Result<f64> {
        match self {
            Value::Number(n) => Ok(*n),
            Value::String(s) => s
                .trim()
                .parse::<f64>()
                .or_else(|_| fail(format!("{s:?} is not a number"))),
            other => fail(format!("a number is required, not a {}", other.type_name())),
        }
    }

    /// Terraform's automatic conversion to a bool ("true"/"false" convert).
    pub fn to_bool(&self) -> Result<bool> {
        match self {
            Value::Bool(b) => Ok(*b),
            Value::String(s) if s == "true" => Ok(true),
            Value::String(s) if s == "false" => Ok(false),
            other => fail(format!("a bool is required, not a {}", other.type_name())),
        }
    }

    /// The elements of a list, or the values of a map (in key order).
    pub fn elements(&self) -> Result<Vec<Value>> {
        match self {
            Value::List(items) => Ok(items.as_ref().clone()),
            Value::Map(m) => Ok(m.values().cloned().collect()),
            other => fail(format!(
                "a collection is required, not a {}",
                other.type_name()
            )),
        }
    }

    /// Builds a set: sorted, without duplicates. Unknown when an element is unknown, since then
    /// neither the order nor the size is known.
    pub fn set(items: Vec<Value>) -> Value {
        if items.iter().any(|v| !v.is_wholly_known()) {
            return Value::Unknown;
        }
        let mut items = items;
        items.sort_by(compare);
        items.dedup();
        Value::list(items)
    }
}

/// Numbers print the way Terraform prints them: integers without a fraction.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A total order for sorting known values (sets, `sort`): strings lexically, numbers by value.
pub fn compare(a: &Value, b: &Value) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.partial_cmp(y).unwrap_or(Ordering::Equal),
        (Value::String(x), Value::String(y)) => x.cmp(y),
        _ => a.to_string().cmp(&b.to_string()),
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Number(n) => f.write_str(&format_number(*n)),
            Value::String(s) => write!(f, "{s:?}"),
            Value::List(items) => {
                f.write_str("[")?;
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_str("]")
            }
            Value::Map(m) => {
                f.write_str("{")?;
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k:?} = {v}")?;
                }
                f.write_str("}")
            }
            Value::Unknown => f.write_str("(known after apply)"),
        }
    }
}

impl From<&serde_json::Value> for Value {
    fn from(v: &serde_json::Value) -> Value {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(0.0)),
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(a) => Value::list(a.iter().map(Value::from).collect()),
            serde_json::Value::Object(m) => {
                Value::map(m.iter().map(|(k, v)| (k.clone(), Value::from(v))).collect())
            }
        }
    }
}

impl Value {
    /// The value for hcl-rs (cost expressions); `None` when anything inside is unknown.
    pub fn to_hcl(&self) -> Option<hcl::Value> {
        Some(match self {
            Value::Null => hcl::Value::Null,
            Value::Bool(b) => hcl::Value::Bool(*b),
            Value::Number(n) => {
                if n.fract() == 0.0 && n.abs() < 9e15 {
                    hcl::Value::from(*n as i64)
                } else {
                    hcl::Value::from(hcl::Number::from_f64(*n)?)
                }
            }
            Value::String(s) => hcl::Value::String(s.clone()),
            Value::List(items) => {
                hcl::Value::Array(items.iter().map(Value::to_hcl).collect::<Option<_>>()?)
            }
            Value::Map(m) => hcl::Value::Object(
                m.iter()
                    .map(|(k, v)| Some((k.clone(), v.to_hcl()?)))
                    .collect::<Option<_>>()?,
            ),
            Value::Unknown => return None,
        })
    }

    /// Like [`Value::to_hcl`], but drops unknown map entries and list elements instead of
    /// failing: what is known stays usable.
    pub fn to_hcl_known(&self) -> Option<hcl::Value> {
        Some(match self {
            Value::List(items) => {
                hcl::Value::Array(items.iter().filter_map(Value::to_hcl_known).collect())
            }
            Value::Map(m) => hcl::Value::Object(
                m.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.to_hcl_known()?)))
                    .collect(),
            ),
            other => other.to_hcl()?,
        })
    }
}

#[cfg(test)]
mod tests {
    //! Values print and convert as Terraform's do.

    use super::*;

    #[test]
    fn numbers_print_like_terraform() {
        assert_eq!(format_number(3.0), "3");
        assert_eq!(format_number(1.5), "1.5");
        assert_eq!(Value::Number(-2.0).to_str().unwrap(), "-2");
    }

    #[test]
    fn automatic_conversions_follow_terraform() {
        assert_eq!(Value::string("2").to_number().unwrap(), 2.0);
        assert!(Value::string("two").to_number().is_err());
        assert!(Value::string("true").to_bool().unwrap());
        assert_eq!(Value::Bool(false).to_str().unwrap(), "false");
    }

    #[test]
    fn a_set_with_an_unknown_element_is_unknown() {
        let s = Value::set(vec![
            Value::string("b"),
            Value::string("a"),
            Value::string("b"),
        ]);
        assert_eq!(s, Value::list(vec![Value::string("a"), Value::string("b")]));
        assert!(Value::set(vec![Value::string("a"), Value::Unknown]).is_unknown());
    }
}
