//! The usage file (`--usage`, TOML): usage values (`gb_processed = 500`) per resource type
//! (`[aws_nat_gateway]`), per resource instance address
//! (`["module.app.aws_nat_gateway.this[0]"]`) or per address with `[*]` for any key at a
//! position (`["module.svc[*].aws_ecs_service.this"]`). For one instance each value comes from
//! the most specific table that sets it: an exact address, then wildcard addresses (fewer `[*]`
//! first), then its type; the price entry's documented default lies under them all. This module
//! parses and matches; it does not price.

use std::ops::Range;
use std::path::Path;

use hcl::{Map, Value};

use crate::error::Error;

const HELP: &str = "a table per resource type (`[aws_nat_gateway]`) or per resource address, \
                    `[*]` for any key (`[\"module.svc[*].aws_ecs_service.this\"]`), then values \
                    such as `gb_processed = 500`";

/// Usage values by type and address, in the order the file gives them.
#[derive(Debug, Clone, Default)]
pub struct Usage {
    tables: Vec<Table>,
}

#[derive(Debug, Clone)]
struct Table {
    /// The key as written.
    key: String,
    pattern: Pattern,
    values: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq)]
enum Pattern {
    Type(String),
    /// Address steps (`module`, `svc[*]`, `aws_ecs_service`, `this`).
    Address(Vec<Step>),
}

#[derive(Debug, Clone, PartialEq)]
struct Step {
    name: String,
    key: Key,
}

#[derive(Debug, Clone, PartialEq)]
enum Key {
    None,
    /// `[*]`: any key.
    Any,
    /// `[0]` or `["api"]`, as Terraform prints it.
    Is(String),
}

impl Pattern {
    /// How specific a matching table is: 0 for an exact address, the number of `[*]` for a
    /// wildcard address, and last a type.
    fn rank(&self) -> usize {
        match self {
            Pattern::Type(_) => usize::MAX,
            Pattern::Address(steps) => steps.iter().filter(|s| s.key == Key::Any).count(),
        }
    }

    fn matches(&self, address: &[Step], resource_type: &str) -> bool {
        match self {
            Pattern::Type(t) => t == resource_type,
            Pattern::Address(steps) => {
                steps.len() == address.len()
                    && steps.iter().zip(address).all(|(p, a)| {
                        p.name == a.name
                            && match (&p.key, &a.key) {
                                (Key::Any, k) => *k != Key::None,
                                (p, a) => p == a,
                            }
                    })
            }
        }
    }
}

impl Usage {
    /// Parses a usage file read from `path`. A key that is neither a resource type nor a
    /// resource address is an error pointing at it.
    pub fn parse(path: &Path, text: &str) -> Result<Usage, Error> {
        type Raw = std::collections::BTreeMap<toml::Spanned<String>, Map<String, Value>>;
        let wrong = |span: Option<Range<usize>>, message: String| {
            Error::input(path, text, span, message, Some(HELP.into()))
        };
        let raw: Raw = toml::from_str(text).map_err(|e| wrong(e.span(), e.message().into()))?;
        let mut tables: Vec<Table> = Vec::new();
        for (key, values) in raw {
            let span = key.span();
            let key = key.into_inner();
            let pattern = parse_key(&key).map_err(|why| {
                wrong(
                    Some(span.clone()),
                    format!("usage key {key:?} is neither a resource type nor a resource address: {why}"),
                )
            })?;
            // `[aws_nat_gateway.this]` unquoted is a table inside a table, not an address.
            if let Some((name, _)) = values.iter().find(|(_, v)| v.is_object()) {
                let message = format!(
                    "usage values are numbers, and {key}.{name} is a table: quote an address \
                     key, as in [\"{key}.{name}\"]"
                );
                return Err(wrong(Some(span), message));
            }
            tables.push(Table {
                key,
                pattern,
                values,
            });
        }
        tables.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(Usage { tables })
    }

    /// Usage values for one resource type (tests and callers without a file).
    pub fn for_types(types: &[(&str, Map<String, Value>)]) -> Usage {
        Usage {
            tables: types
                .iter()
                .map(|(t, values)| Table {
                    key: t.to_string(),
                    pattern: Pattern::Type(t.to_string()),
                    values: values.clone(),
                })
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.tables.is_empty()
    }

    /// The tables' keys, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.tables.iter().map(|t| t.key.as_str())
    }

    /// The values for the instance at `address` of `resource_type`: each from the most
    /// specific table that sets it.
    pub fn for_instance(&self, address: &str, resource_type: &str) -> Map<String, Value> {
        let mut out = Map::new();
        if self.tables.is_empty() {
            return out;
        }
        let steps = address_steps(address).unwrap_or_default();
        let mut matching: Vec<&Table> = self
            .tables
            .iter()
            .filter(|t| t.pattern.matches(&steps, resource_type))
            .collect();
        // Least specific first, so that more specific tables overwrite; between equally
        // specific ones the first key in sort order wins.
        matching.sort_by(|a, b| {
            b.pattern
                .rank()
                .cmp(&a.pattern.rank())
                .then(b.key.cmp(&a.key))
        });
        for t in matching {
            out.extend(t.values.clone());
        }
        out
    }

    /// The keys that match none of these instances (address, type): shared usage files may
    /// name what another environment has, so the report warns instead of failing.
    pub fn unmatched<'a>(&self, instances: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<&str> {
        let instances: Vec<(Vec<Step>, &str)> = instances
            .map(|(a, t)| (address_steps(a).unwrap_or_default(), t))
            .collect();
        self.tables
            .iter()
            .filter(|t| !instances.iter().any(|(a, ty)| t.pattern.matches(a, ty)))
            .map(|t| t.key.as_str())
            .collect()
    }
}

/// A usage key: a resource type (lower case, with a `_`) or a managed resource address.
fn parse_key(key: &str) -> Result<Pattern, String> {
    if !key.contains(['.', '[']) {
        let is_type = key.contains('_')
            && key.starts_with(|c: char| c.is_ascii_lowercase())
            && key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        return if is_type {
            Ok(Pattern::Type(key.to_string()))
        } else {
            Err("a type is lower case with an underscore (`aws_nat_gateway`)".into())
        };
    }
    let steps = address_steps(key)?;
    let mut i = 0;
    while steps.get(i).is_some_and(|s| s.name == "module") && i + 2 < steps.len() {
        if steps[i].key != Key::None {
            return Err("`module` takes no key".into());
        }
        i += 2;
    }
    match &steps[i..] {
        [t, _] if t.key == Key::None && t.name != "data" && t.name != "module" => {
            Ok(Pattern::Address(steps))
        }
        [t, _, _] if t.name == "data" => Err("data sources have no usage".into()),
        _ => Err("expected `module.NAME[KEY]....TYPE.NAME[KEY]`".into()),
    }
}

/// The steps of an address (`module.svc["api"].aws_x.y[0]`): names split on dots outside
/// brackets, each with the key that follows it.
fn address_steps(address: &str) -> Result<Vec<Step>, String> {
    let mut steps: Vec<Step> = Vec::new();
    let mut rest = address.trim();
    loop {
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        let name = &rest[..end];
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(format!("{name:?} is not a name"));
        }
        rest = &rest[end..];
        let mut key = Key::None;
        if let Some(after) = rest.strip_prefix('[') {
            let close = key_end(after).ok_or("a `[` without its `]`")?;
            key = parse_instance_key(after[..close].trim())?;
            rest = &after[close + 1..];
        }
        steps.push(Step {
            name: name.to_string(),
            key,
        });
        match rest.strip_prefix('.') {
            Some(r) => rest = r,
            None if rest.is_empty() => return Ok(steps),
            None => return Err(format!("unexpected {rest:?}")),
        }
    }
}

/// Where the `]` closing a key is, honouring quoted strings.
fn key_end(s: &str) -> Option<usize> {
    let mut in_str = false;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_str => escaped = true,
            '"' => in_str = !in_str,
            ']' if !in_str => return Some(i),
            _ => {}
        }
    }
    None
}

fn parse_instance_key(key: &str) -> Result<Key, String> {
    if key == "*" {
        return Ok(Key::Any);
    }
    let quoted = key.len() >= 2 && key.starts_with('"') && key.ends_with('"');
    if quoted || (!key.is_empty() && key.chars().all(|c| c.is_ascii_digit())) {
        Ok(Key::Is(key.to_string()))
    } else {
        Err(format!(
            "[{key}] is not a key: `[0]`, `[\"name\"]` or `[*]`"
        ))
    }
}

#[cfg(test)]
mod tests {
    //! Usage tables matched to instances by address, wildcard and type, most specific first;
    //! bad keys are errors at their line, unused ones are reported.

    use super::*;

    const FILE: &str = r#"
[aws_nat_gateway]
gb_processed = 100
hours_note = 1

["aws_nat_gateway.this[*]"]
gb_processed = 200

["module.app.aws_nat_gateway.this[0]"]
gb_processed = 500

["module.svc[*].aws_ecs_service.this"]
tasks = 3

["module.svc[*].module.x[*].aws_ecs_service.this"]
tasks = 4

["module.svc[\"api\"].module.x[*].aws_ecs_service.this"]
tasks = 5

["module.gone.aws_nat_gateway.this"]
gb_processed = 1
"#;

    fn usage() -> Usage {
        Usage::parse(Path::new("usage.toml"), FILE).unwrap()
    }

    fn value(u: &Usage, address: &str, t: &str, name: &str) -> Option<Value> {
        u.for_instance(address, t).get(name).cloned()
    }

    #[test]
    fn an_exact_address_beats_a_wildcard_which_beats_the_type() {
        let u = usage();
        let nat = "aws_nat_gateway";
        let gb = |a: &str| value(&u, a, nat, "gb_processed");
        assert_eq!(gb("module.app.aws_nat_gateway.this[0]"), Some(500.into()));
        assert_eq!(gb("aws_nat_gateway.this[1]"), Some(200.into()));
        assert_eq!(gb("aws_nat_gateway.this[\"a\"]"), Some(200.into()));
        // `[*]` needs a key there; a type table covers the rest.
        assert_eq!(gb("aws_nat_gateway.this"), Some(100.into()));
        assert_eq!(gb("module.app.aws_nat_gateway.this[1]"), Some(100.into()));
        // Values the specific table does not set still come from the type's.
        let exact = u.for_instance("module.app.aws_nat_gateway.this[0]", nat);
        assert_eq!(exact.get("hours_note"), Some(&Value::from(1)));
        assert_eq!(value(&u, "aws_vpc.x", "aws_vpc", "gb_processed"), None);
    }

    #[test]
    fn fewer_wildcards_are_more_specific() {
        let u = usage();
        let svc = "aws_ecs_service";
        let tasks = |a: &str| value(&u, a, svc, "tasks");
        assert_eq!(
            tasks("module.svc[\"web\"].aws_ecs_service.this"),
            Some(3.into())
        );
        assert_eq!(
            tasks("module.svc[\"web\"].module.x[0].aws_ecs_service.this"),
            Some(4.into())
        );
        assert_eq!(
            tasks("module.svc[\"api\"].module.x[0].aws_ecs_service.this"),
            Some(5.into())
        );
        assert_eq!(tasks("module.svc.aws_ecs_service.this"), None);
    }

    #[test]
    fn keys_that_match_nothing_are_listed() {
        let u = usage();
        let unused = u.unmatched(
            [
                ("aws_nat_gateway.this[0]", "aws_nat_gateway"),
                ("module.svc[\"a\"].aws_ecs_service.this", "aws_ecs_service"),
            ]
            .into_iter(),
        );
        assert_eq!(
            unused,
            vec![
                "module.app.aws_nat_gateway.this[0]",
                "module.gone.aws_nat_gateway.this",
                "module.svc[\"api\"].module.x[*].aws_ecs_service.this",
                "module.svc[*].module.x[*].aws_ecs_service.this",
            ]
        );
    }

    #[test]
    fn a_key_that_is_no_type_nor_address_is_an_error_at_its_line() {
        for (key, why) in [
            ("NAT", "a type is lower case"),
            ("module.app", "expected"),
            ("aws_nat_gateway.this[x]", "is not a key"),
            ("aws_nat_gateway.this[0", "without its"),
            ("data.aws_ami.x", "data sources"),
            ("module[0].app.aws_x.y", "`module` takes no key"),
        ] {
            let text = format!("[aws_eip]\nx = 1\n\n[{key:?}]\ngb_processed = 5\n");
            let err = Usage::parse(Path::new("u.toml"), &text).unwrap_err();
            let msg = format!("{err}");
            assert!(msg.starts_with("u.toml:4:"), "{key}: {msg}");
            assert!(msg.contains(why), "{key}: {msg}");
        }
        assert!(Usage::parse(Path::new("u.toml"), "[aws_eip]\nx = [\n").is_err());
        // An address left unquoted is a table inside a type's table.
        let err = Usage::parse(Path::new("u.toml"), "[aws_eip.this]\nx = 1\n").unwrap_err();
        assert!(
            err.to_string().contains(
                "aws_eip.this is a table: quote an address key, as in [\"aws_eip.this\"]"
            ),
            "{err}"
        );
    }
}
