//! Recreate hazards: resources that `down` can destroy but `up` cannot simply create again (a
//! name held through a recovery window, an ID never released, a key that cannot be deleted),
//! or that `down` cannot destroy while they hold data. The rules are data,
//! `data/catalog/hazards.toml`: per resource type, the runs it breaks, the arguments that
//! decide it and the value that avoids it, and the words of the message. This module loads
//! and checks that file and judges units from the arguments the graph evaluated per instance
//! ([`crate::graph::Unit::arguments`]); an argument that cannot be evaluated counts as
//! unsafe. It never branches on a type name, and it does not decide which units matter: the
//! caller passes the units a run destroys (`check` passes those outside the protected scopes).

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use crate::classify::config::ScopeId;
use crate::classify::Classification;
use crate::error::Location;
use crate::eval::instances::{ArgumentValue, Scalar};
use crate::eval::{format_number, Value};
use crate::graph::{ResourceGraph, Unit, UnitId, UnitKind};

/// A run of the routine cycle that a hazard breaks.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Run {
    /// Destroying the resource fails.
    Down,
    /// Creating it again fails, or does not bring back what was there.
    Up,
}

/// A value written in the hazard catalog: an argument's default, or the value that avoids the
/// hazard.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Literal {
    Bool(bool),
    Number(f64),
    String(String),
}

impl Literal {
    /// Whether a known argument value is this literal, after Terraform's conversions (`"0"` is
    /// `0`, `"true"` is `true`).
    fn matches(&self, value: &Value) -> bool {
        match self {
            Literal::Bool(b) => value.to_bool().is_ok_and(|v| v == *b),
            Literal::Number(n) => value.to_number().is_ok_and(|v| v == *n),
            Literal::String(s) => value.to_str().is_ok_and(|v| v == *s),
        }
    }

    fn text(&self) -> String {
        match self {
            Literal::Bool(b) => b.to_string(),
            Literal::Number(n) => format_number(*n),
            Literal::String(s) => s.clone(),
        }
    }
}

/// When an argument avoids the hazard.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Safe {
    /// It is this value: `safe = { equals = 0 }`.
    Equals(Literal),
    /// It is not set, or null: `safe = "unset"`.
    Unset,
}

/// An argument that decides a hazard or appears in its message.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Argument {
    /// Its value when unset: the provider's default.
    #[serde(default)]
    pub default: Option<Literal>,
    #[serde(default)]
    pub safe: Option<Safe>,
    /// What the message shows for it when it cannot be evaluated before apply (`7-30`).
    #[serde(default)]
    pub range: Option<String>,
}

/// One entry of the hazard catalog.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    #[serde(rename = "type")]
    pub resource_type: String,
    pub breaks: Vec<Run>,
    /// What happens, written after the address; `{name}` is the value of argument `name`.
    pub effect: String,
    pub why: String,
    /// The setting that avoids it, when one does.
    #[serde(default)]
    pub fix: Option<String>,
    /// Where the behaviour is documented.
    pub source: String,
    #[serde(default, rename = "argument")]
    pub arguments: BTreeMap<String, Argument>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    hazard: Vec<Rule>,
}

/// The hazard catalog file, compiled in.
const BUILTIN: &str = include_str!("../../data/catalog/hazards.toml");

/// The hazard rules by resource type.
#[derive(Debug)]
pub struct HazardCatalog {
    rules: BTreeMap<String, Rule>,
}

impl HazardCatalog {
    /// The built-in catalog, parsed once. The file is checked by the unit tests, so parsing
    /// cannot fail at run time for a released binary.
    pub fn builtin() -> &'static HazardCatalog {
        static BUILTIN_CATALOG: std::sync::OnceLock<HazardCatalog> = std::sync::OnceLock::new();
        BUILTIN_CATALOG.get_or_init(|| {
            HazardCatalog::parse(BUILTIN).expect("built-in hazard catalog is valid (see tests)")
        })
    }

    /// Parses and checks a hazard catalog: every type once, every `{name}` in an effect an
    /// argument with a default and a range, every argument used, and a `fix` exactly when an
    /// argument can avoid the hazard.
    pub fn parse(text: &str) -> Result<HazardCatalog, String> {
        let file: File = toml::from_str(text).map_err(|e| format!("hazards.toml: {e}"))?;
        let mut rules = BTreeMap::new();
        for rule in file.hazard {
            let t = rule.resource_type.clone();
            let bad = |what: String| Err(format!("hazards.toml: {t}: {what}"));
            if rule.breaks.is_empty() {
                return bad("breaks names no run".into());
            }
            if rule.breaks.iter().collect::<BTreeSet<_>>().len() != rule.breaks.len() {
                return bad("breaks names a run twice".into());
            }
            for (field, text) in [
                ("effect", &rule.effect),
                ("why", &rule.why),
                ("source", &rule.source),
            ] {
                if text.trim().is_empty() {
                    return bad(format!("{field} is empty"));
                }
            }
            let shown =
                placeholders(&rule.effect).map_err(|e| format!("hazards.toml: {t}: {e}"))?;
            for name in &shown {
                let Some(arg) = rule.arguments.get(name) else {
                    return bad(format!("effect shows {{{name}}}, which is no argument"));
                };
                if arg.default.is_none() || arg.range.is_none() {
                    return bad(format!(
                        "argument {name} appears in effect, so it needs a default and a range"
                    ));
                }
            }
            for (name, arg) in &rule.arguments {
                if arg.safe.is_none() && !shown.contains(name) {
                    return bad(format!(
                        "argument {name} neither avoids the hazard nor appears in effect"
                    ));
                }
            }
            let avoidable = rule.arguments.values().any(|a| a.safe.is_some());
            if avoidable != rule.fix.is_some() {
                return bad(if avoidable {
                    "an argument avoids the hazard, so it needs a fix".into()
                } else {
                    "a fix needs an argument whose safe value avoids the hazard".into()
                });
            }
            if rules.insert(t.clone(), rule).is_some() {
                return bad("is listed twice".into());
            }
        }
        Ok(HazardCatalog { rules })
    }

    pub fn rule(&self, resource_type: &str) -> Option<&Rule> {
        self.rules.get(resource_type)
    }

    /// Every rule, by type.
    pub fn rules(&self) -> impl Iterator<Item = &Rule> {
        self.rules.values()
    }

    /// `(type, argument)` for every argument a rule reads: what the parser must keep.
    pub fn arguments(&self) -> impl Iterator<Item = (&str, &str)> {
        self.rules.values().flat_map(|r| {
            r.arguments
                .keys()
                .map(|a| (r.resource_type.as_str(), a.as_str()))
        })
    }
}

/// The `{name}` placeholders of an effect text.
fn placeholders(text: &str) -> Result<BTreeSet<String>, String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err(format!("unclosed {{ in effect {text:?}"));
        };
        out.insert(after[..close].to_string());
        rest = &after[close + 1..];
    }
    if rest.contains('}') {
        return Err(format!("unopened }} in effect {text:?}"));
    }
    Ok(out)
}

/// A unit that a run would destroy and that `up` cannot simply bring back (or that `down`
/// cannot destroy while it holds data).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Hazard {
    pub address: String,
    pub resource_type: String,
    /// The unit's scope.
    pub scope: String,
    pub location: Location,
    pub breaks: Vec<Run>,
    /// The whole sentence: address, what happens, why, and what to do.
    pub message: String,
    /// What to do: the setting that avoids it, or moving it to a scope `down` keeps.
    pub fix: String,
    /// Where the behaviour is documented.
    pub source: String,
}

/// The hazards among `units` (indices into `graph.units`), by address. Only managed resources
/// can have one; data sources and opaque modules never do.
pub fn hazards(
    graph: &ResourceGraph,
    class: &Classification,
    units: impl IntoIterator<Item = UnitId>,
) -> Vec<Hazard> {
    hazards_in(HazardCatalog::builtin(), graph, class, units)
}

/// [`hazards`] with the rules of `catalog`.
pub fn hazards_in(
    catalog: &HazardCatalog,
    graph: &ResourceGraph,
    class: &Classification,
    units: impl IntoIterator<Item = UnitId>,
) -> Vec<Hazard> {
    let units: BTreeSet<UnitId> = units.into_iter().collect();
    let mut out: Vec<Hazard> = units
        .into_iter()
        .filter_map(|u| {
            let unit = &graph.units[u];
            if unit.kind != UnitKind::Managed {
                return None;
            }
            let rule = catalog.rule(&unit.resource_type)?;
            let found = judge(rule, unit)?;
            let scope = class.scope_name(u);
            let fix = fix(rule, class, class.units[u].scope);
            let mut message = format!("{} ({scope}) {}: {}", unit.address, found.effect, rule.why);
            for note in &found.unknown {
                message.push_str("; ");
                message.push_str(note);
            }
            message.push_str("; ");
            message.push_str(&fix);
            Some(Hazard {
                address: unit.address.clone(),
                resource_type: unit.resource_type.clone(),
                scope: scope.to_string(),
                location: unit.location.clone(),
                breaks: rule.breaks.clone(),
                message,
                fix,
                source: rule.source.clone(),
            })
        })
        .collect();
    out.sort();
    out
}

/// What to do about a hazard of a unit in `scope`: the setting that avoids it, or moving the
/// unit to the earliest protected scope (one `down` keeps). A unit already in a protected
/// scope is destroyed only on purpose, so only the setting is offered.
fn fix(rule: &Rule, class: &Classification, scope: ScopeId) -> String {
    if class.protected.contains(&scope) {
        return rule
            .fix
            .clone()
            .unwrap_or_else(|| "no setting avoids it".to_string());
    }
    let keep = class
        .protected
        .iter()
        .min()
        .map_or(class.scopes[0].as_str(), |&s| class.scopes[s].as_str());
    match &rule.fix {
        Some(f) => format!("{f} or move it to {keep}"),
        None => format!("move it to {keep}"),
    }
}

/// An argument of one instance.
enum State<'a> {
    Unset,
    Known(Value),
    Unknown { expression: &'a str, why: &'a str },
}

fn state(value: Option<&ArgumentValue>) -> State<'_> {
    match value {
        None
        | Some(ArgumentValue::Scalar {
            value: Scalar::Null,
            ..
        }) => State::Unset,
        Some(ArgumentValue::Known(s)) => State::Known(Value::String(s.clone())),
        Some(ArgumentValue::Scalar {
            value: Scalar::Bool(b),
            ..
        }) => State::Known(Value::Bool(*b)),
        Some(ArgumentValue::Scalar {
            value: Scalar::Number(n),
            ..
        }) => State::Known(Value::Number(*n)),
        Some(ArgumentValue::Unknown { expression, why }) => State::Unknown { expression, why },
    }
}

/// A unit's hazard: the effect with its arguments filled in, and a note for each argument
/// that could not be evaluated.
struct Found {
    effect: String,
    unknown: Vec<String>,
}

/// Judges every instance of a unit; `None` when every instance avoids the hazard. The effect
/// shows the values of the instances that do not (several joined with "or").
fn judge(rule: &Rule, unit: &Unit) -> Option<Found> {
    let values = |name: &str| unit.arguments.get(name).map(Vec::as_slice).unwrap_or(&[]);
    let instances = rule
        .arguments
        .keys()
        .map(|name| values(name).len())
        .max()
        .unwrap_or(0)
        .max(1);
    let mut shown: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut unknown: Vec<String> = Vec::new();
    let mut hazardous = false;
    for i in 0..instances {
        let states: Vec<(&str, &Argument, State)> = rule
            .arguments
            .iter()
            .map(|(name, arg)| (name.as_str(), arg, state(values(name).get(i))))
            .collect();
        let safe = states.iter().any(|(_, arg, st)| match (&arg.safe, st) {
            (Some(Safe::Unset), State::Unset) => true,
            (Some(Safe::Equals(want)), State::Unset) => arg.default.as_ref() == Some(want),
            (Some(Safe::Equals(want)), State::Known(v)) => want.matches(v),
            _ => false,
        });
        if safe {
            continue;
        }
        hazardous = true;
        for (name, arg, st) in &states {
            let text = match st {
                State::Unset => arg.default.as_ref().map(Literal::text),
                State::Known(v) => v.to_str().ok(),
                State::Unknown { expression, why } => {
                    let note = format!("{name} = {expression} cannot be evaluated ({why})");
                    if !unknown.contains(&note) {
                        unknown.push(note);
                    }
                    arg.range.clone()
                }
            };
            let list = shown.entry(name).or_default();
            if let Some(text) = text.filter(|t| !list.contains(t)) {
                list.push(text);
            }
        }
    }
    if !hazardous {
        return None;
    }
    let mut effect = rule.effect.clone();
    for (name, texts) in shown {
        effect = effect.replace(&format!("{{{name}}}"), &texts.join(" or "));
    }
    Some(Found { effect, unknown })
}

#[cfg(test)]
mod tests {
    //! The recreate-hazard catalog loads, rejects bad entries, and finds hazards in configurations.

    use super::*;

    /// The hazards of every managed unit outside the protected scopes of a one-file
    /// configuration, whose `tfscope.hcl` is `config`.
    fn found(files: &[(&str, &str)], config: &str) -> Vec<Hazard> {
        let (graph, class) = crate::testing::analyse(files, config);
        let routine = graph
            .unit_ids()
            .filter(|&u| !class.protected.contains(&class.units[u].scope))
            .collect::<Vec<_>>();
        hazards(&graph, &class, routine)
    }

    /// Everything is runtime: every unit is one `down` destroys.
    const RUNTIME: &str = "rule \"all\" {\n  type  = \"*\"\n  scope = \"runtime\"\n}\n";

    fn messages(files: &[(&str, &str)]) -> Vec<String> {
        found(files, RUNTIME)
            .into_iter()
            .map(|h| h.message)
            .collect()
    }

    #[test]
    fn the_builtin_catalog_loads_and_every_type_is_a_provider_type() {
        let c = HazardCatalog::parse(BUILTIN).unwrap();
        assert!(c.rules().count() >= 10, "{} rules", c.rules().count());
        let listed: BTreeSet<&str> = crate::classify::catalog::PROVIDER_LISTS
            .iter()
            .flat_map(|(_, text)| text.lines().map(str::trim))
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        for rule in c.rules() {
            assert!(
                listed.contains(rule.resource_type.as_str()),
                "{} is in no provider list",
                rule.resource_type
            );
            assert!(
                rule.source.starts_with("https://"),
                "{}",
                rule.resource_type
            );
        }
    }

    #[test]
    fn a_bad_hazard_catalog_is_rejected_with_the_reason() {
        let entry = |extra: &str| {
            format!(
                "[[hazard]]\ntype = \"x_thing\"\nbreaks = [\"up\"]\neffect = \"blocks for {{days}} days\"\nwhy = \"w\"\nsource = \"s\"\n{extra}"
            )
        };
        let days = "[hazard.argument.days]\ndefault = 30\nrange = \"7-30\"\n";
        assert!(HazardCatalog::parse(&entry(days)).is_ok());
        let cases = [
            (entry(""), "which is no argument"),
            (
                entry("[hazard.argument.days]\ndefault = 30\n"),
                "a default and a range",
            ),
            (
                entry(&format!("{days}[hazard.argument.other]\ndefault = 1\n")),
                "neither avoids",
            ),
            (
                entry(&format!("{days}[hazard.argument.off]\nsafe = \"unset\"\n")),
                "needs a fix",
            ),
            (entry(&format!("fix = \"f\"\n{days}")), "a fix needs"),
            (entry(&format!("colour = \"red\"\n{days}")), "unknown field"),
            (format!("{}{}", entry(days), entry(days)), "listed twice"),
        ];
        for (text, want) in cases {
            let err = HazardCatalog::parse(&text).unwrap_err();
            assert!(err.contains(want), "{want}: {err}");
        }
    }

    #[test]
    fn every_builtin_type_is_kept_and_no_other_type_is() {
        for rule in HazardCatalog::builtin().rules() {
            let kept = crate::classify::kept_arguments(&rule.resource_type);
            for name in rule.arguments.keys() {
                assert!(kept.contains(&name.as_str()), "{}", rule.resource_type);
            }
        }
        assert!(crate::classify::kept_arguments("aws_vpc").is_empty());
        assert_eq!(crate::classify::kept_arguments("azapi_resource"), &["type"]);
    }

    #[test]
    fn a_secret_blocks_up_for_its_recovery_window_unless_it_is_zero() {
        let m = messages(&[(
            "main.tf",
            r#"
resource "aws_secretsmanager_secret" "now" {
  recovery_window_in_days = 0
}
resource "aws_secretsmanager_secret" "week" {
  recovery_window_in_days = 7
}
resource "aws_secretsmanager_secret" "unset" {}
resource "aws_secretsmanager_secret" "text" {
  recovery_window_in_days = "0"
}
resource "aws_secretsmanager_secret" "null" {
  recovery_window_in_days = null
}
"#,
        )]);
        assert_eq!(m.len(), 3, "{m:#?}");
        assert!(m[0].starts_with("aws_secretsmanager_secret.null (runtime) will block `up` for 30 days: Secrets Manager"), "{}", m[0]);
        assert!(
            m[1].starts_with(
                "aws_secretsmanager_secret.unset (runtime) will block `up` for 30 days:"
            ),
            "{}",
            m[1]
        );
        assert!(
            m[2].starts_with(
                "aws_secretsmanager_secret.week (runtime) will block `up` for 7 days:"
            ),
            "{}",
            m[2]
        );
        assert!(
            m[2].ends_with("; set recovery_window_in_days = 0 or move it to base"),
            "{}",
            m[2]
        );
    }

    #[test]
    fn a_value_from_a_module_input_is_evaluated_per_instance() {
        let files = [
            (
                "main.tf",
                r#"
variable "windows" {
  default = { a = 7, b = 0 }
}
module "app" {
  source   = "./app"
  for_each = var.windows
  window   = each.value
}
module "quick" {
  source = "./app"
  window = 0
}
"#,
            ),
            (
                "app/main.tf",
                "variable \"window\" {}\nresource \"aws_secretsmanager_secret\" \"x\" {\n  recovery_window_in_days = var.window\n}\n",
            ),
        ];
        let h = found(&files, RUNTIME);
        assert_eq!(h.len(), 1, "{h:#?}");
        assert_eq!(h[0].address, "module.app.aws_secretsmanager_secret.x");
        assert!(
            h[0].message.contains("will block `up` for 7 days"),
            "only the instance with 7 is hazardous: {}",
            h[0].message
        );
        assert_eq!(h[0].scope, "runtime");
        assert!(
            h[0].location.file.ends_with("app/main.tf"),
            "{:?}",
            h[0].location
        );
        assert_eq!(h[0].breaks, vec![Run::Up]);
    }

    #[test]
    fn instances_that_disagree_show_every_value() {
        let m = messages(&[(
            "main.tf",
            "resource \"aws_kms_key\" \"k\" {\n  for_each                = { a = 7, b = 10, c = 7 }\n  deletion_window_in_days = each.value\n}\n",
        )]);
        assert_eq!(m.len(), 1);
        assert!(
            m[0].contains("is only scheduled for deletion by `down`, 7 or 10 days ahead"),
            "{}",
            m[0]
        );
        assert!(
            m[0].ends_with("; move it to base"),
            "no setting avoids it: {}",
            m[0]
        );
    }

    #[test]
    fn an_argument_that_cannot_be_evaluated_warns_and_says_why() {
        let m = messages(&[(
            "main.tf",
            r#"
resource "aws_secretsmanager_secret" "s" {
  recovery_window_in_days = length(aws_sqs_queue.q.arn)
}
resource "aws_ecr_repository" "r" {
  force_delete = aws_sqs_queue.q.fifo_queue
}
resource "aws_sqs_queue" "q" {
  name = "${aws_ecr_repository.other.name}-jobs"
}
resource "aws_ecr_repository" "other" {
  force_delete = true
}
"#,
        )]);
        assert_eq!(m.len(), 3, "{m:#?}");
        assert!(
            m[0].starts_with(
                "aws_ecr_repository.r (runtime) makes `down` fail while it holds images:"
            ),
            "{}",
            m[0]
        );
        assert!(
            m[0].contains("; force_delete = aws_sqs_queue.q.fifo_queue cannot be evaluated (it is known only after apply); set force_delete = true"),
            "{}",
            m[0]
        );
        assert!(
            m[1].contains("will block `up` for 7-30 days")
                && m[1].contains(
                    "recovery_window_in_days = length(aws_sqs_queue.q.arn) cannot be evaluated"
                ),
            "{}",
            m[1]
        );
        // A name that is set, known or not, is a fixed name.
        assert!(
            m[2].starts_with("aws_sqs_queue.q (runtime) cannot be created again for 60 seconds"),
            "{}",
            m[2]
        );
    }

    #[test]
    fn the_fixing_setting_removes_the_hazard() {
        let m = messages(&[(
            "main.tf",
            r#"
variable "force" {
  default = true
}
resource "aws_ecr_repository" "forced" {
  force_delete = var.force
}
resource "aws_s3_bucket" "forced" {
  force_destroy = "true"
}
resource "aws_sqs_queue" "generated" {
  name_prefix = "jobs-"
}
resource "google_sql_database_instance" "generated" {}
resource "azurerm_key_vault" "purgeable" {
  soft_delete_retention_days = 7
}
resource "azurerm_key_vault" "protected" {
  purge_protection_enabled   = true
  soft_delete_retention_days = 7
}
data "aws_s3_bucket" "read" {
  bucket = "elsewhere"
}
"#,
        )]);
        assert_eq!(m.len(), 1, "{m:#?}");
        assert!(
            m[0].starts_with("azurerm_key_vault.protected (runtime) is only soft-deleted by `down` and keeps its name for 7 days:"),
            "{}",
            m[0]
        );
    }

    #[test]
    fn json_syntax_is_judged_like_native_syntax() {
        let m = messages(&[(
            "main.tf.json",
            r#"{
  "resource": {
    "aws_secretsmanager_secret": {
      "zero": { "recovery_window_in_days": 0 },
      "week": { "recovery_window_in_days": "${3 + 4}" }
    },
    "aws_sqs_queue": {
      "named": { "name": "jobs" },
      "prefixed": { "name_prefix": "jobs-" }
    }
  }
}"#,
        )]);
        assert_eq!(m.len(), 2, "{m:#?}");
        assert!(
            m[0].starts_with("aws_secretsmanager_secret.week (runtime) will block `up` for 7 days"),
            "{}",
            m[0]
        );
        assert!(
            m[1].starts_with("aws_sqs_queue.named (runtime) cannot be created again"),
            "{}",
            m[1]
        );
    }

    #[test]
    fn protected_scopes_are_not_asked_to_move_to_base() {
        let (graph, class) = crate::testing::analyse(
            &[(
                "main.tf",
                "resource \"aws_s3_bucket\" \"b\" {}\nresource \"google_project\" \"p\" {\n  project_id = \"p\"\n  name       = \"p\"\n}\n",
            )],
            "",
        );
        let all = hazards(&graph, &class, graph.unit_ids());
        let fixes: Vec<(&str, &str)> = all
            .iter()
            .map(|h| (h.address.as_str(), h.fix.as_str()))
            .collect();
        assert_eq!(
            fixes,
            vec![
                (
                    "aws_s3_bucket.b",
                    "set force_destroy = true (and apply it before the next `down`)"
                ),
                ("google_project.p", "no setting avoids it"),
            ]
        );
        assert_eq!(all[1].breaks, vec![Run::Down, Run::Up]);
        assert_eq!(all[1].scope, "base");
    }
}
