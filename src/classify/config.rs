//! The user's `tfscope.hcl`: ordered scopes, the default scope, the tag key, where catalog layers
//! and categories land, and classification rules. Parsed with hcl-edit so every mistake is
//! reported at its file, line and column. Owns reading and validating the file, not applying it.

use std::path::Path;

use globset::{Glob, GlobMatcher};
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Attribute, Block, Body, Structure};
use hcl_edit::Span;

use crate::classify::catalog::{Layer, CATEGORIES};
use crate::error::{display_path, Error, LineIndex, Location};
use crate::load::address::ModulePath;

pub use super::schedules::Schedule;

pub const FILE_NAME: &str = "tfscope.hcl";

/// A declared scope: its position in the configuration's `scopes`, so earlier compares less
/// (applied first, destroyed last). `Vec`s and slices kept per scope index by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ScopeId(usize);

impl ScopeId {
    /// The position in `scopes` (and in any vector kept per scope).
    pub fn index(self) -> usize {
        self.0
    }

    /// The scope at position `index` of `scopes`.
    pub fn at(index: usize) -> ScopeId {
        ScopeId(index)
    }

    /// Every scope of a list of `n`, earliest first.
    pub fn all(n: usize) -> impl DoubleEndedIterator<Item = ScopeId> + ExactSizeIterator {
        (0..n).map(ScopeId)
    }
}

impl<T> std::ops::Index<ScopeId> for Vec<T> {
    type Output = T;
    fn index(&self, s: ScopeId) -> &T {
        &self[s.0]
    }
}

impl<T> std::ops::Index<ScopeId> for [T] {
    type Output = T;
    fn index(&self, s: ScopeId) -> &T {
        &self[s.0]
    }
}

impl<T> std::ops::IndexMut<ScopeId> for Vec<T> {
    fn index_mut(&mut self, s: ScopeId) -> &mut T {
        &mut self[s.0]
    }
}

/// Validated settings; scope references are indices into `scopes` (earlier = applied first).
#[derive(Debug, Clone)]
pub struct Config {
    pub scopes: Vec<String>,
    /// Where unclassified resources go: the earliest scope unless `default_scope` says otherwise.
    pub default_scope: ScopeId,
    pub tag_keys: Vec<String>,
    /// Scopes whose stateful resources need no `allow_destroy` (default: where catalog base goes).
    pub protected: Vec<ScopeId>,
    pub catalog_base: ScopeId,
    pub catalog_runtime: ScopeId,
    /// Category → scope overrides for catalog matches.
    pub categories: Vec<(String, ScopeId)>,
    pub rules: Vec<Rule>,
    /// `schedule` blocks: when which environments' scopes go down and come back up.
    pub schedules: Vec<Schedule>,
    /// Where the config came from, if a file.
    pub file: Option<String>,
}

/// One `rule` block. All given matchers must match.
#[derive(Debug, Clone)]
pub struct Rule {
    pub name: String,
    pub location: Location,
    pub address: Vec<GlobMatcher>,
    pub resource_type: Vec<GlobMatcher>,
    pub module: Vec<ModulePath>,
    pub scope: Option<ScopeId>,
    pub reason: Option<String>,
    pub allow_destroy: Option<bool>,
    pub stateful: Option<bool>,
}

impl Rule {
    pub fn matches(&self, address: &str, resource_type: &str, module: &ModulePath) -> bool {
        (self.address.is_empty() || self.address.iter().any(|g| g.is_match(address)))
            && (self.resource_type.is_empty()
                || self.resource_type.iter().any(|g| g.is_match(resource_type)))
            && (self.module.is_empty() || self.module.iter().any(|m| module.starts_with(m)))
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            scopes: vec!["base".into(), "runtime".into()],
            default_scope: ScopeId(0),
            tag_keys: vec!["Scope".into(), "scope".into()],
            protected: vec![ScopeId(0)],
            catalog_base: ScopeId(0),
            catalog_runtime: ScopeId(1),
            categories: Vec::new(),
            rules: Vec::new(),
            schedules: Vec::new(),
            file: None,
        }
    }
}

impl Config {
    pub fn scope_index(&self, name: &str) -> Option<ScopeId> {
        self.scopes.iter().position(|s| s == name).map(ScopeId)
    }

    /// Resolves a user-given scope name, with the list of valid ones on error.
    pub fn require_scope(&self, name: &str) -> Result<ScopeId, Error> {
        self.scope_index(name).ok_or_else(|| Error::UnknownScope {
            name: name.to_string(),
            known: self.scopes.clone(),
        })
    }

    /// Where a catalog match lands.
    pub fn catalog_scope(&self, layer: Layer, category: &str) -> ScopeId {
        self.categories
            .iter()
            .find(|(c, _)| c == category)
            .map(|(_, s)| *s)
            .unwrap_or(match layer {
                Layer::Base => self.catalog_base,
                Layer::Runtime => self.catalog_runtime,
            })
    }

    /// The protected scopes when the file names none: where catalog base goes, and where the
    /// `data` and `data-config` categories go.
    fn default_protected(&self) -> Vec<ScopeId> {
        let mut protected = vec![self.catalog_base];
        for (category, scope) in &self.categories {
            if matches!(category.as_str(), "data" | "data-config") && !protected.contains(scope) {
                protected.push(*scope);
            }
        }
        protected.sort();
        protected
    }

    /// Reads `path` if given, else `ROOT/tfscope.hcl` if it exists, else the defaults.
    pub fn discover(root: &Path, path: Option<&Path>) -> Result<Config, Error> {
        let (path, required) = match path {
            Some(p) => (p.to_path_buf(), true),
            None => (root.join(FILE_NAME), false),
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => Config::parse(&display_path(&path), &text),
            Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => {
                Ok(Config::default())
            }
            Err(source) => Err(Error::Io { path, source }),
        }
    }

    pub fn parse(file: &str, text: &str) -> Result<Config, Error> {
        let body = crate::load::hcl_syntax::parse_body(text).map_err(|e| {
            let offset = e.location().offset();
            Error::syntax(file, text, offset..offset + 1, e.message().to_string())
        })?;
        Reader {
            file,
            text,
            index: LineIndex::new(text),
        }
        .config(&body)
    }
}

pub(super) struct Reader<'a> {
    file: &'a str,
    text: &'a str,
    index: LineIndex,
}

const TOP_KEYS: &[&str] = &["scopes", "default_scope", "tag_key", "protected_scopes"];
const RULE_KEYS: &[&str] = &[
    "address",
    "type",
    "module",
    "scope",
    "reason",
    "allow_destroy",
    "stateful",
];

impl Reader<'_> {
    pub(super) fn location(&self, span: Option<std::ops::Range<usize>>) -> Location {
        self.index
            .location(self.file, self.text, span.map_or(0, |s| s.start))
    }

    /// An error at `span` (the file's start when none), with the line and a caret.
    pub(super) fn err(
        &self,
        span: Option<std::ops::Range<usize>>,
        message: String,
        help: &str,
    ) -> Error {
        let (location, src, caret) = match span {
            Some(s) => {
                let (location, src, caret) = crate::error::locate(self.file, self.text, s);
                (location, Some(src), Some(caret))
            }
            None => (self.location(None), None, None),
        };
        Error::Config(Box::new(crate::error::ConfigError {
            location,
            message,
            help: Some(help.to_string()),
            src,
            span: caret,
        }))
    }

    pub(super) fn string(&self, attr: &Attribute) -> Result<String, Error> {
        match &attr.value {
            Expression::String(s) => Ok(s.value().to_string()),
            other => Err(self.err(
                other.span(),
                format!("`{}` must be a string literal", attr.key.as_str()),
                "write it in double quotes",
            )),
        }
    }

    pub(super) fn strings(&self, attr: &Attribute) -> Result<Vec<String>, Error> {
        match &attr.value {
            Expression::String(s) => Ok(vec![s.value().to_string()]),
            Expression::Array(items) => items
                .iter()
                .map(|e| match e {
                    Expression::String(s) => Ok(s.value().to_string()),
                    other => Err(self.err(
                        other.span(),
                        format!("`{}` must list string literals", attr.key.as_str()),
                        "write each item in double quotes",
                    )),
                })
                .collect(),
            other => Err(self.err(
                other.span(),
                format!(
                    "`{}` must be a string or a list of strings",
                    attr.key.as_str()
                ),
                "e.g. [\"a\", \"b\"]",
            )),
        }
    }

    fn bool(&self, attr: &Attribute) -> Result<bool, Error> {
        match &attr.value {
            Expression::Bool(b) => Ok(*b.value()),
            other => Err(self.err(
                other.span(),
                format!("`{}` must be true or false", attr.key.as_str()),
                "write true or false without quotes",
            )),
        }
    }

    pub(super) fn scope(&self, scopes: &[String], attr: &Attribute) -> Result<ScopeId, Error> {
        self.named_scope(scopes, &self.string(attr)?, attr)
    }

    /// The index of scope `name`, which `attr` gives, or an error listing the declared scopes.
    fn named_scope(
        &self,
        scopes: &[String],
        name: &str,
        attr: &Attribute,
    ) -> Result<ScopeId, Error> {
        scopes
            .iter()
            .position(|s| s == name)
            .map(ScopeId)
            .ok_or_else(|| {
                self.err(
                    attr.value.span(),
                    format!("unknown scope {name:?}"),
                    &format!("declared scopes: {}", scopes.join(", ")),
                )
            })
    }

    /// The whole file: `scopes` first, since the other settings name scopes; then every
    /// setting and block in the order written; then the protected scopes if none are given.
    fn config(&self, body: &Body) -> Result<Config, Error> {
        let mut config = Config {
            file: Some(self.file.to_string()),
            ..Config::default()
        };
        if let Some(attr) = body.get_attribute("scopes") {
            self.declare_scopes(attr, &mut config)?;
        }
        for structure in body.iter() {
            match structure {
                Structure::Attribute(attr) => self.setting(attr, &mut config)?,
                Structure::Block(block) => self.block(block, &mut config)?,
            }
        }
        if body.get_attribute("protected_scopes").is_none() {
            config.protected = config.default_protected();
        }
        Ok(config)
    }

    /// `scopes`: checks the names, then points the catalog layers and the default scope at them.
    fn declare_scopes(&self, attr: &Attribute, config: &mut Config) -> Result<(), Error> {
        let scopes = self.strings(attr)?;
        if scopes.is_empty() {
            return Err(self.err(
                attr.span(),
                "`scopes` is empty".into(),
                "declare at least one scope, e.g. [\"base\", \"runtime\"]",
            ));
        }
        for (i, s) in scopes.iter().enumerate() {
            if s == "all" || s.is_empty() || scopes[..i].contains(s) {
                return Err(self.err(
                    attr.span(),
                    format!("invalid or repeated scope name {s:?}"),
                    "scope names are unique and `all` is reserved",
                ));
            }
        }
        let last = scopes.len() - 1;
        let position = |name: &str| scopes.iter().position(|s| s == name);
        config.catalog_base = ScopeId(position("base").unwrap_or(0));
        config.catalog_runtime = ScopeId(position("runtime").unwrap_or(last));
        // What tfscope does not understand is kept: the earliest scope, which no `down` of a
        // later scope destroys.
        config.default_scope = ScopeId(0);
        config.scopes = scopes;
        Ok(())
    }

    /// One top-level setting (`scopes` was read before all others).
    fn setting(&self, attr: &Attribute, config: &mut Config) -> Result<(), Error> {
        let key = attr.key.as_str();
        match key {
            "scopes" => {}
            "default_scope" => config.default_scope = self.scope(&config.scopes, attr)?,
            "tag_key" => config.tag_keys = self.strings(attr)?,
            "protected_scopes" => config.protected = self.protected_scopes(&config.scopes, attr)?,
            _ => {
                return Err(self.err(
                    attr.span(),
                    format!("unknown setting `{key}`"),
                    &format!(
                        "settings: {}; blocks: catalog, rule, schedule",
                        TOP_KEYS.join(", ")
                    ),
                ))
            }
        }
        Ok(())
    }

    /// `protected_scopes`: a list of declared scope names.
    fn protected_scopes(&self, scopes: &[String], attr: &Attribute) -> Result<Vec<ScopeId>, Error> {
        self.strings(attr)?
            .iter()
            .map(|n| self.named_scope(scopes, n, attr))
            .collect()
    }

    /// One top-level block: `catalog` or `rule`.
    fn block(&self, block: &Block, config: &mut Config) -> Result<(), Error> {
        match block.ident.as_str() {
            "catalog" => self.catalog(block, config)?,
            "rule" => {
                let rule = self.rule(block, &config.scopes, config.rules.len())?;
                config.rules.push(rule);
            }
            "schedule" => {
                let schedule = self.schedule(block, config)?;
                config.schedules.push(schedule);
            }
            other => {
                return Err(self.err(
                    block.span(),
                    format!("unknown block `{other}`"),
                    "blocks: catalog, rule, schedule",
                ))
            }
        }
        Ok(())
    }

    fn catalog(&self, block: &Block, config: &mut Config) -> Result<(), Error> {
        for attr in block.body.attributes() {
            let key = attr.key.as_str();
            let scope = self.scope(&config.scopes, attr)?;
            match key {
                "base" => config.catalog_base = scope,
                "runtime" => config.catalog_runtime = scope,
                c if CATEGORIES.contains(&c) => config.categories.push((c.to_string(), scope)),
                _ => {
                    return Err(self.err(
                        attr.span(),
                        format!("unknown catalog layer or category `{key}`"),
                        &format!(
                            "use base, runtime, or a category: {}",
                            CATEGORIES.join(", ")
                        ),
                    ))
                }
            }
        }
        Ok(())
    }

    /// One `rule` block, the `n`th before it (an unnamed rule is called `#n+1`).
    fn rule(&self, block: &Block, scopes: &[String], n: usize) -> Result<Rule, Error> {
        let location = self.location(block.span());
        let name = block
            .labels
            .first()
            .map(|l| l.as_str().to_string())
            .unwrap_or_else(|| format!("#{}", n + 1));
        let mut rule = Rule {
            name,
            location,
            address: Vec::new(),
            resource_type: Vec::new(),
            module: Vec::new(),
            scope: None,
            reason: None,
            allow_destroy: None,
            stateful: None,
        };
        for attr in block.body.attributes() {
            match attr.key.as_str() {
                "address" => rule.address = self.globs(attr)?,
                "type" => rule.resource_type = self.globs(attr)?,
                "module" => rule.module = self.module_paths(attr)?,
                "scope" => rule.scope = Some(self.scope(scopes, attr)?),
                "reason" => rule.reason = Some(self.string(attr)?),
                "allow_destroy" => rule.allow_destroy = Some(self.bool(attr)?),
                "stateful" => rule.stateful = Some(self.bool(attr)?),
                other => {
                    return Err(self.err(
                        attr.span(),
                        format!("unknown rule setting `{other}`"),
                        &format!("rule settings: {}", RULE_KEYS.join(", ")),
                    ))
                }
            }
        }
        self.check_rule(block, &rule)?;
        Ok(rule)
    }

    /// A rule's `address` or `type`: one glob or a list of them.
    fn globs(&self, attr: &Attribute) -> Result<Vec<GlobMatcher>, Error> {
        self.strings(attr)?
            .iter()
            .map(|p| {
                Glob::new(p).map(|g| g.compile_matcher()).map_err(|e| {
                    self.err(
                        attr.value.span(),
                        format!("invalid glob {p:?}: {e}"),
                        "globs use * and ?, e.g. \"aws_s3_*\"",
                    )
                })
            })
            .collect()
    }

    /// A rule's `module`: one module path or a list of them.
    fn module_paths(&self, attr: &Attribute) -> Result<Vec<ModulePath>, Error> {
        self.strings(attr)?
            .iter()
            .map(|m| match crate::load::address::parse_address(m) {
                Some((path, None)) => Ok(path),
                _ => Err(self.err(
                    attr.value.span(),
                    format!("{m:?} is not a module path"),
                    "write it like module.app or module.app.module.db",
                )),
            })
            .collect()
    }

    /// A rule must match by something and set something.
    fn check_rule(&self, block: &Block, rule: &Rule) -> Result<(), Error> {
        if rule.address.is_empty() && rule.resource_type.is_empty() && rule.module.is_empty() {
            return Err(self.err(
                block.span(),
                format!(
                    "rule {} matches nothing: it has no address, type or module",
                    rule.name
                ),
                "add address = \"GLOB\", type = \"GLOB\" or module = \"module.NAME\"",
            ));
        }
        if rule.scope.is_none() && rule.allow_destroy.is_none() && rule.stateful.is_none() {
            return Err(self.err(
                block.span(),
                format!("rule {} sets nothing", rule.name),
                "set scope, allow_destroy or stateful",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    //! `tfscope.hcl`: defaults, custom scopes and rules, and the errors bad input gets.

    use super::*;

    #[test]
    fn defaults_are_base_then_runtime() {
        let c = Config::default();
        assert_eq!(c.scopes, vec!["base", "runtime"]);
        assert_eq!(
            c.default_scope,
            ScopeId(0),
            "what tfscope does not know is kept"
        );
        assert_eq!(c.catalog_scope(Layer::Base, "network"), ScopeId(0));
    }

    #[test]
    fn custom_scopes_rules_and_catalog_mapping() {
        let c = Config::parse(
            "tfscope.hcl",
            r#"
scopes        = ["network", "data", "edge", "app", "ops"]
default_scope = "app"
tag_key       = "Layer"

catalog {
  base          = "network"
  runtime       = "app"
  data          = "data"
  load-balancer = "edge"
}

rule "monitoring" {
  module = "module.monitoring"
  scope  = "ops"
  reason = "dashboards come last"
}

rule {
  type          = ["aws_cloudwatch_log_group"]
  allow_destroy = true
}
"#,
        )
        .unwrap();
        assert_eq!(c.scopes.len(), 5);
        assert_eq!(c.default_scope, ScopeId(3));
        assert_eq!(c.tag_keys, vec!["Layer"]);
        assert_eq!(c.catalog_scope(Layer::Base, "data"), ScopeId(1));
        assert_eq!(c.catalog_scope(Layer::Base, "load-balancer"), ScopeId(2));
        assert_eq!(c.catalog_scope(Layer::Base, "network"), ScopeId(0));
        assert_eq!(c.catalog_scope(Layer::Runtime, "compute"), ScopeId(3));
        assert_eq!(c.protected, vec![ScopeId(0), ScopeId(1)]);
        assert_eq!(c.rules.len(), 2);
        assert_eq!(c.rules[1].name, "#2");
        let m = ModulePath::root().child("monitoring").child("inner");
        assert!(c.rules[0].matches("module.monitoring.module.inner.x.y", "x", &m));
        assert!(!c.rules[0].matches("x.y", "x", &ModulePath::root()));
    }

    #[test]
    fn mistakes_are_reported_at_their_line_and_column() {
        let cases = [
            (
                "scopes = [\"a\", \"b\"]\ndefault_scope = \"c\"\n",
                "tfscope.hcl:2:17: unknown scope \"c\"",
            ),
            (
                "rule \"x\" {\n  scope = \"base\"\n}\n",
                "tfscope.hcl:1:1: rule x matches nothing",
            ),
            (
                "rule \"x\" {\n  type = \"a\"\n  scop = \"base\"\n}\n",
                "tfscope.hcl:3:3: unknown rule setting `scop`",
            ),
            (
                "scopes = [\"a\", \"a\"]\n",
                "tfscope.hcl:1:1: invalid or repeated scope name \"a\"",
            ),
            (
                "colour = \"blue\"\n",
                "tfscope.hcl:1:1: unknown setting `colour`",
            ),
            (
                "rule {\n  type = \"[\"\n  scope = \"base\"\n}\n",
                "tfscope.hcl:2:10: invalid glob",
            ),
        ];
        for (text, want) in cases {
            let err = Config::parse("tfscope.hcl", text).unwrap_err().to_string();
            assert!(err.starts_with(want), "{err}\nwanted: {want}");
        }
    }
}
