//! Fault injection: `TFSCOPE_MOCK_FAULT` makes chosen resource operations
//! fail or stall, for tfscope's fault-injection tests.
//!
//! ```text
//! TFSCOPE_MOCK_FAULT = RULE[;RULE...]
//! RULE      = EFFECT:OPERATION:TYPE[:ATTR=VALUE]
//! EFFECT    = fail | sleep=SECONDS
//! OPERATION = create | update | delete
//! ```
//!
//! Providers never see resource addresses, so a rule names an operation, a
//! resource type and, optionally, the string value of one top-level
//! attribute of the object (planned or configured value for create and
//! update, prior state for delete). VALUE is the rest of the rule, so it may
//! contain `:` and `=` (not `;`). Empty rules (a trailing `;`) are ignored.

use std::fmt;
use std::time::Duration;

use rmpv::Value;

use crate::cty;

pub const FAULT_ENV: &str = "TFSCOPE_MOCK_FAULT";

/// The grammar, for error messages.
pub const GRAMMAR: &str =
    "expected RULE[;RULE...] with RULE = EFFECT:OPERATION:TYPE[:ATTR=VALUE], \
     EFFECT = fail or sleep=SECONDS, OPERATION = create, update or delete, \
     e.g. fail:create:aws_vpc or sleep=5:delete:aws_subnet:cidr_block=10.0.1.0/24";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Create,
    Update,
    Delete,
}

impl Operation {
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Create => "create",
            Operation::Update => "update",
            Operation::Delete => "delete",
        }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// The operation returns an error diagnostic and changes nothing.
    Fail,
    /// Wait this long, then do the operation normally.
    Sleep(Duration),
}

impl Effect {
    /// `fail` or `sleep`, as logged.
    pub fn name(&self) -> &'static str {
        match self {
            Effect::Fail => "fail",
            Effect::Sleep(_) => "sleep",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub effect: Effect,
    pub operation: Operation,
    pub type_name: String,
    /// Only objects whose top-level attribute `.0` is the string `.1`.
    pub attr: Option<(String, String)>,
    /// The rule as written (trimmed), for messages and the log.
    pub text: String,
}

impl Rule {
    /// Whether the rule applies to `operation` on an object of `type_name`.
    /// `objects` are the top-level objects to look for the attribute in:
    /// planned state and config for create and update, prior state for
    /// delete. It is enough that one of them holds the value.
    pub fn matches(&self, operation: Operation, type_name: &str, objects: &[&Value]) -> bool {
        if self.operation != operation || self.type_name != type_name {
            return false;
        }
        match &self.attr {
            None => true,
            Some((name, want)) => objects.iter().any(|o| {
                cty::get(o, name)
                    .and_then(cty::as_plain_string)
                    .is_some_and(|v| v == *want)
            }),
        }
    }
}

/// Type and attribute names: what Terraform allows in an identifier.
fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn parse_effect(s: &str) -> Result<Effect, String> {
    if s == "fail" {
        return Ok(Effect::Fail);
    }
    if s == "sleep" {
        return Err("sleep needs a duration: sleep=SECONDS".to_string());
    }
    let Some(secs) = s.strip_prefix("sleep=") else {
        return Err(format!(
            "unknown EFFECT \"{s}\" (expected fail or sleep=SECONDS)"
        ));
    };
    let bad = || format!("SECONDS must be a non-negative number, got \"{secs}\"");
    // f64 parsing also takes "inf", "nan" and "+1": only plain decimals here.
    if secs.is_empty()
        || !secs.chars().all(|c| c.is_ascii_digit() || c == '.')
        || !secs.starts_with(|c: char| c.is_ascii_digit())
    {
        return Err(bad());
    }
    let n: f64 = secs.parse().map_err(|_| bad())?;
    Duration::try_from_secs_f64(n)
        .map(Effect::Sleep)
        .map_err(|_| bad())
}

fn parse_operation(s: &str) -> Result<Operation, String> {
    match s {
        "create" => Ok(Operation::Create),
        "update" => Ok(Operation::Update),
        "delete" => Ok(Operation::Delete),
        _ => Err(format!(
            "unknown OPERATION \"{s}\" (expected create, update or delete)"
        )),
    }
}

/// One rule, already trimmed and not empty.
fn parse_rule(text: &str) -> Result<Rule, String> {
    let mut parts = text.splitn(4, ':');
    let effect = parse_effect(parts.next().unwrap_or_default())?;
    let operation = parse_operation(parts.next().ok_or("missing OPERATION and TYPE")?)?;
    let type_name = parts.next().ok_or("missing TYPE")?;
    if !is_name(type_name) {
        return Err(format!(
            "TYPE \"{type_name}\" is not a resource type name (letters, digits, _ and -)"
        ));
    }
    let attr = match parts.next() {
        None => None,
        Some(filter) => {
            let (name, value) = filter
                .split_once('=')
                .ok_or_else(|| format!("\"{filter}\" is not ATTR=VALUE"))?;
            if !is_name(name) {
                return Err(format!(
                    "ATTR \"{name}\" is not an attribute name (letters, digits, _ and -)"
                ));
            }
            Some((name.to_string(), value.to_string()))
        }
    };
    Ok(Rule {
        effect,
        operation,
        type_name: type_name.to_string(),
        attr,
        text: text.to_string(),
    })
}

/// Every rule of a `TFSCOPE_MOCK_FAULT` value, in order. The error names the
/// variable and the first bad rule.
pub fn parse(spec: &str) -> Result<Vec<Rule>, String> {
    spec.split(';')
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(|r| parse_rule(r).map_err(|why| format!("{FAULT_ENV}: bad rule \"{r}\": {why}")))
        .collect()
}

/// The rules in the environment: none when `TFSCOPE_MOCK_FAULT` is unset.
pub fn from_env() -> Result<Vec<Rule>, String> {
    match std::env::var_os(FAULT_ENV) {
        None => Ok(vec![]),
        Some(v) => match v.into_string() {
            Ok(s) => parse(&s),
            Err(raw) => Err(format!(
                "{FAULT_ENV}: not valid UTF-8: {}",
                raw.to_string_lossy()
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cty::Ty;

    fn one(spec: &str) -> Rule {
        let mut rules = parse(spec).unwrap();
        assert_eq!(rules.len(), 1, "{spec}");
        rules.remove(0)
    }

    fn err(spec: &str) -> String {
        parse(spec).expect_err(spec)
    }

    #[test]
    fn parses_good_rules() {
        assert_eq!(
            one("fail:create:aws_ecs_service"),
            Rule {
                effect: Effect::Fail,
                operation: Operation::Create,
                type_name: "aws_ecs_service".to_string(),
                attr: None,
                text: "fail:create:aws_ecs_service".to_string(),
            }
        );
        let r = one("sleep=5:delete:aws_subnet:cidr_block=10.0.1.0/24");
        assert_eq!(r.effect, Effect::Sleep(Duration::from_secs(5)));
        assert_eq!(r.operation, Operation::Delete);
        assert_eq!(r.type_name, "aws_subnet");
        assert_eq!(
            r.attr,
            Some(("cidr_block".to_string(), "10.0.1.0/24".to_string()))
        );
        assert_eq!(
            one("sleep=0.25:update:aws_vpc").effect,
            Effect::Sleep(Duration::from_millis(250))
        );
        assert_eq!(
            one("sleep=0:update:aws_vpc").effect,
            Effect::Sleep(Duration::ZERO)
        );
        // VALUE is the rest of the rule: ':' and '=' belong to it; it may be empty.
        assert_eq!(
            one("fail:update:aws_iam_role:arn=arn:aws:iam::1:role/a=b").attr,
            Some(("arn".to_string(), "arn:aws:iam::1:role/a=b".to_string()))
        );
        assert_eq!(
            one("fail:update:aws_vpc:name=").attr,
            Some(("name".to_string(), String::new()))
        );
    }

    #[test]
    fn parses_lists_of_rules() {
        assert_eq!(parse("").unwrap(), vec![]);
        assert_eq!(parse(" ; ").unwrap(), vec![]);
        let rules = parse(" sleep=2:create:aws_vpc ;fail:create:aws_vpc;").unwrap();
        assert_eq!(rules.len(), 2);
        assert_eq!(rules[0].text, "sleep=2:create:aws_vpc");
        assert_eq!(rules[0].effect, Effect::Sleep(Duration::from_secs(2)));
        assert_eq!(rules[1].text, "fail:create:aws_vpc");
        assert_eq!(rules[1].effect, Effect::Fail);
    }

    #[test]
    fn rejects_bad_rules() {
        for (spec, why) in [
            ("fail", "missing OPERATION and TYPE"),
            ("fail:create", "missing TYPE"),
            ("fail:create:", "TYPE \"\" is not a resource type name"),
            ("fail:create:aws vpc", "TYPE \"aws vpc\""),
            ("crash:create:aws_vpc", "unknown EFFECT \"crash\""),
            ("FAIL:create:aws_vpc", "unknown EFFECT \"FAIL\""),
            ("sleep:create:aws_vpc", "sleep needs a duration"),
            ("sleep=:create:aws_vpc", "got \"\""),
            ("sleep=5s:create:aws_vpc", "got \"5s\""),
            ("sleep=-1:create:aws_vpc", "got \"-1\""),
            ("sleep=inf:create:aws_vpc", "got \"inf\""),
            ("sleep=1.2.3:create:aws_vpc", "got \"1.2.3\""),
            ("sleep=1e99999:create:aws_vpc", "got \"1e99999\""),
            ("fail:read:aws_vpc", "unknown OPERATION \"read\""),
            ("fail:destroy:aws_vpc", "unknown OPERATION \"destroy\""),
            ("fail:create:aws_vpc:name", "\"name\" is not ATTR=VALUE"),
            (
                "fail:create:aws_vpc:=x",
                "ATTR \"\" is not an attribute name",
            ),
            ("fail:create:aws_vpc:a.b=x", "ATTR \"a.b\""),
        ] {
            let e = err(spec);
            assert!(
                e.starts_with(&format!("TFSCOPE_MOCK_FAULT: bad rule \"{spec}\": ")),
                "{spec}: {e}"
            );
            assert!(e.contains(why), "{spec}: {e}");
        }
        // The first bad rule is named, even after good ones.
        let e = err("fail:create:aws_vpc; sleep=x:delete:aws_vpc ;fail:nope:aws_vpc");
        assert!(
            e.starts_with("TFSCOPE_MOCK_FAULT: bad rule \"sleep=x:delete:aws_vpc\": "),
            "{e}"
        );
    }

    /// A top-level object as Terraform sends it: dynamic attributes wrapped.
    fn object(attrs: &[(&str, Value)]) -> Value {
        Value::Map(
            attrs
                .iter()
                .map(|(k, v)| {
                    let v = match v {
                        Value::Nil => Value::Nil,
                        Value::String(_) => cty::wrap(&Ty::String, v.clone()),
                        other => cty::wrap(&Ty::Number, other.clone()),
                    };
                    (Value::from(*k), v)
                })
                .collect(),
        )
    }

    #[test]
    fn matches_operation_type_and_attribute() {
        let any = one("fail:create:aws_subnet");
        let a = object(&[("id", Value::Nil), ("name", Value::from("a"))]);
        let b = object(&[("id", Value::Nil), ("name", Value::from("b"))]);
        assert!(any.matches(Operation::Create, "aws_subnet", &[&a]));
        assert!(any.matches(Operation::Create, "aws_subnet", &[]));
        assert!(!any.matches(Operation::Update, "aws_subnet", &[&a]));
        assert!(!any.matches(Operation::Delete, "aws_subnet", &[&a]));
        assert!(!any.matches(Operation::Create, "aws_subnets", &[&a]));
        assert!(!any.matches(Operation::Create, "aws_vpc", &[&a]));

        let only_b = one("fail:create:aws_subnet:name=b");
        assert!(!only_b.matches(Operation::Create, "aws_subnet", &[&a]));
        assert!(only_b.matches(Operation::Create, "aws_subnet", &[&b]));
        // One of the objects (planned, config) is enough.
        assert!(only_b.matches(Operation::Create, "aws_subnet", &[&a, &b]));
        assert!(!only_b.matches(Operation::Create, "aws_subnet", &[]));
        // A plain (not dynamic-wrapped) string matches too.
        let plain = Value::Map(vec![(Value::from("name"), Value::from("b"))]);
        assert!(only_b.matches(Operation::Create, "aws_subnet", &[&plain]));

        // Null, missing, unknown and non-string values never match.
        let other = object(&[("name", Value::Nil), ("count", Value::from(3))]);
        assert!(!only_b.matches(Operation::Create, "aws_subnet", &[&other]));
        let unknown = Value::Map(vec![(Value::from("name"), cty::unknown())]);
        assert!(!only_b.matches(Operation::Create, "aws_subnet", &[&unknown]));
        let three = one("fail:create:aws_subnet:count=3");
        assert!(!three.matches(Operation::Create, "aws_subnet", &[&other]));
        // The empty VALUE matches the empty string, not null.
        let empty = one("fail:create:aws_subnet:name=");
        assert!(!empty.matches(Operation::Create, "aws_subnet", &[&other]));
        let blank = object(&[("name", Value::from(""))]);
        assert!(empty.matches(Operation::Create, "aws_subnet", &[&blank]));
    }
}
