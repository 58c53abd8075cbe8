//! Terraform addresses as tfscope uses them: module paths (`module.a.module.b`), resource
//! addresses (`module.a.data.aws_x.y`), and module instance keys for targeting. Owns their
//! parsing, printing and shell quoting; knows nothing about graphs or scopes.

use std::fmt;

/// The static path of a module: the call names from the root. The root module is empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct ModulePath(pub Vec<String>);

impl ModulePath {
    pub fn root() -> Self {
        ModulePath(Vec::new())
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    pub fn child(&self, call: &str) -> Self {
        let mut steps = self.0.clone();
        steps.push(call.to_string());
        ModulePath(steps)
    }

    pub fn parent(&self) -> Option<ModulePath> {
        let (_, rest) = self.0.split_last()?;
        Some(ModulePath(rest.to_vec()))
    }

    /// True when `self` is `other` or nested inside it.
    pub fn starts_with(&self, other: &ModulePath) -> bool {
        self.0.starts_with(&other.0)
    }

    /// `module.a.module.b.` ready to prefix a resource address (empty for the root).
    pub fn prefix(&self) -> String {
        self.0.iter().map(|c| format!("module.{c}.")).collect()
    }

    /// The `modules.json` key of this path: call names joined by dots.
    pub fn json_key(&self) -> String {
        self.0.join(".")
    }
}

impl fmt::Display for ModulePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.prefix();
        f.write_str(s.strip_suffix('.').unwrap_or(""))
    }
}

/// Managed resources and data sources share the address space but not the semantics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Managed,
    Data,
}

/// A resource or data source in a module, without instance keys: what Terraform's graph tracks.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ResourceAddr {
    pub module: ModulePath,
    pub mode: Mode,
    pub kind: String,
    pub name: String,
}

impl fmt::Display for ResourceAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.module.prefix())?;
        if self.mode == Mode::Data {
            f.write_str("data.")?;
        }
        write!(f, "{}.{}", self.kind, self.name)
    }
}

/// One key of a module instance (`[0]` or `["api"]`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum InstanceKey {
    Int(i64),
    Str(String),
}

impl fmt::Display for InstanceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InstanceKey::Int(i) => write!(f, "[{i}]"),
            InstanceKey::Str(s) => {
                // Terraform prints keys as HCL strings.
                let escaped = s.replace('\\', "\\\\").replace('"', "\\\"");
                write!(f, "[\"{escaped}\"]")
            }
        }
    }
}

/// Quotes a word for POSIX shells when it holds anything a shell would interpret.
pub fn shell_quote(word: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "-_=./:,+@%".contains(c);
    if !word.is_empty() && word.chars().all(safe) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// A `-target=ADDR` flag, quoted for a shell when the address needs it (keys, brackets).
pub fn target_flag(address: &str) -> String {
    let quoted = shell_quote(address);
    format!("-target={quoted}")
}

/// The resource an instance address belongs to, keys dropped: `module.a["k"].aws_x.y[0]` ->
/// `module.a.aws_x.y`. `None` when it is not a resource address.
pub fn resource_address(instance: &str) -> Option<String> {
    match parse_address(instance)? {
        (module, Some((mode, kind, name))) => Some(
            ResourceAddr {
                module,
                mode,
                kind,
                name,
            }
            .to_string(),
        ),
        _ => None,
    }
}

/// A module path and, unless the address names a whole module, the resource in it.
pub type ParsedAddress = (ModulePath, Option<(Mode, String, String)>);

/// Parses a user-written address (`module.a["k"].aws_x.y[0]`, `data.t.n`, `module.a`) into its
/// static parts: the module path and, unless it names a whole module, the resource.
/// Instance keys are accepted and dropped; tfscope reasons per resource, as Terraform's graph does.
pub fn parse_address(input: &str) -> Option<ParsedAddress> {
    let steps = split_steps(input.trim())?;
    let mut module = Vec::new();
    let mut i = 0;
    while i < steps.len() && steps[i] == "module" {
        module.push(steps.get(i + 1)?.clone());
        i += 2;
    }
    let rest = &steps[i..];
    let resource = match rest {
        [] if !module.is_empty() => None,
        [d, t, n] if d == "data" => Some((Mode::Data, t.clone(), n.clone())),
        [t, n] => Some((Mode::Managed, t.clone(), n.clone())),
        _ => return None,
    };
    Some((ModulePath(module), resource))
}

/// Splits on dots outside brackets and strips `[...]` keys.
fn split_steps(input: &str) -> Option<Vec<String>> {
    let mut steps = Vec::new();
    let mut current = String::new();
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '.' => steps.push(std::mem::take(&mut current)),
            '[' => {
                // skip a key, honouring quoted strings
                let mut in_str = false;
                loop {
                    let c = chars.next()?;
                    match c {
                        '\\' if in_str => {
                            chars.next()?;
                        }
                        '"' => in_str = !in_str,
                        ']' if !in_str => break,
                        _ => {}
                    }
                }
            }
            c if c.is_alphanumeric() || c == '_' || c == '-' => current.push(c),
            _ => return None,
        }
    }
    steps.push(current);
    if steps.iter().any(String::is_empty) {
        return None;
    }
    Some(steps)
}

#[cfg(test)]
mod tests {
    //! Addresses print as Terraform prints them, and quote safely for a shell.

    use super::*;

    #[test]
    fn resource_addresses_print_like_terraform() {
        let addr = ResourceAddr {
            module: ModulePath::root().child("app").child("db"),
            mode: Mode::Data,
            kind: "aws_ami".into(),
            name: "x".into(),
        };
        assert_eq!(addr.to_string(), "module.app.module.db.data.aws_ami.x");
        assert_eq!(addr.module.to_string(), "module.app.module.db");
        assert_eq!(ModulePath::root().to_string(), "");
    }

    #[test]
    fn string_keys_are_quoted_for_a_shell() {
        let addr = format!(
            "module.svc{}.aws_ecs_service.this",
            InstanceKey::Str("api".into())
        );
        assert_eq!(addr, "module.svc[\"api\"].aws_ecs_service.this");
        assert_eq!(
            target_flag(&addr),
            "-target='module.svc[\"api\"].aws_ecs_service.this'"
        );
        assert_eq!(target_flag("module.net"), "-target=module.net");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
    }

    #[test]
    fn user_addresses_parse_with_keys_dropped() {
        let (m, r) = parse_address("module.a[\"x.y\"].module.b.aws_s3_bucket.logs[0]").unwrap();
        assert_eq!(m.0, vec!["a", "b"]);
        assert_eq!(
            r,
            Some((Mode::Managed, "aws_s3_bucket".into(), "logs".into()))
        );
        let (m, r) = parse_address("module.edge").unwrap();
        assert_eq!(m.0, vec!["edge"]);
        assert_eq!(r, None);
        assert!(parse_address("aws_vpc").is_none());
        assert!(parse_address("module.a.b.c.d").is_none());
        assert!(parse_address("").is_none());
    }
}
