//! Assigns every unit of the [`ResourceGraph`] a scope, with the reason. Precedence: the user's
//! rules, then a scope tag on the resource, then the built-in catalog; then promotion through
//! the graph (anything an earlier-scope resource depends on moves to that scope), and finally
//! the default scope for what is still unclassified. Explicit choices (rules, tags) are never
//! changed: a dependency that breaks the order is reported as a violation instead.

pub mod catalog;
pub mod check;
pub mod config;
pub mod gaps;
pub mod hazard;
pub mod schedules;
mod settle;

use std::collections::HashMap;

use crate::classify::catalog::{Catalog, Entry, Layer};
use crate::classify::config::{Config, ScopeId};
use crate::error::Warning;
use crate::graph::{Direction, HubMemo, ResourceGraph, Unit, UnitId, UnitKind};
use settle::settle;

/// What decided a unit's scope.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Decision {
    Rule {
        name: String,
    },
    Tag {
        key: String,
    },
    Catalog {
        category: String,
        pattern: String,
    },
    /// An attachment-like type that takes the latest scope of what it joins (`to`).
    Follows {
        to: String,
    },
    /// Moved to an earlier scope because `by` depends on it.
    Promoted {
        by: String,
    },
    /// A data source takes the scope of the earliest resource that reads it.
    DataSource,
    /// Nothing matched, for the reason `why` (`the catalog does not know custom_thing`): kept in
    /// `default_scope`.
    Default {
        why: String,
    },
}

impl Decision {
    /// Rules and tags are the user's word and are never changed by promotion.
    pub fn is_explicit(&self) -> bool {
        matches!(self, Decision::Rule { .. } | Decision::Tag { .. })
    }
}

#[derive(Debug, Clone)]
pub struct Classified {
    pub scope: ScopeId,
    pub decision: Decision,
    pub reason: String,
    pub stateful: bool,
    pub allow_destroy: bool,
}

/// A dependency from an earlier scope onto a later one that the user's own rules or tags caused.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Violation {
    pub dependent: UnitId,
    pub dependency: UnitId,
}

#[derive(Debug, Clone)]
pub struct Classification {
    pub scopes: Vec<String>,
    /// Parallel to `graph.units`.
    pub units: Vec<Classified>,
    pub violations: Vec<Violation>,
    /// Units that got the default scope because nothing classified them.
    pub unclassified: Vec<UnitId>,
    /// Scopes whose stateful resources are protected (no `allow_destroy` needed).
    pub protected: Vec<ScopeId>,
    pub warnings: Vec<Warning>,
}

impl Classification {
    /// Every scope with its name, earliest first.
    pub fn each_scope(&self) -> impl DoubleEndedIterator<Item = (ScopeId, &String)> {
        ScopeId::all(self.scopes.len()).zip(&self.scopes)
    }

    pub fn scope_name(&self, unit: UnitId) -> &str {
        &self.scopes[self.units[unit].scope]
    }
}

/// Every unit's scope with the reason: decided one by one, then settled through the graph.
pub fn classify(graph: &ResourceGraph, config: &Config, catalog: &Catalog) -> Classification {
    let n = graph.units.len();
    let mut rule_hits = vec![0usize; config.rules.len()];
    let mut units: Vec<Classified> = Vec::with_capacity(n);
    // Parallel to `units`: the catalog entry each managed unit matched, looked up once.
    let mut entries: Vec<Option<&Entry>> = Vec::with_capacity(n);
    let mut warnings = Vec::new();

    for unit in &graph.units {
        let (classified, entry) = decide(unit, config, catalog, &mut rule_hits, &mut warnings);
        entries.push(entry);
        units.push(classified);
    }

    let follows = attachments(&entries, &units);
    settle(graph, config, &follows, &mut units);
    let violations = violations(graph, &units);
    warn_unused_rules(config, &rule_hits, &mut warnings);
    let unclassified = graph
        .unit_ids()
        .filter(|&u| matches!(units[u].decision, Decision::Default { .. }))
        .collect();
    Classification {
        scopes: config.scopes.clone(),
        units,
        violations,
        unclassified,
        protected: config.protected.clone(),
        warnings,
    }
}

/// A scope, what decided it and the reason to give.
type Decided = (ScopeId, Decision, String);

/// One unit's scope before promotion (rules, then tags, then the catalog, else the default),
/// with the catalog entry a managed unit matched. Counts the rules that match in `rule_hits`.
fn decide<'c>(
    unit: &Unit,
    config: &Config,
    catalog: &'c Catalog,
    rule_hits: &mut [usize],
    warnings: &mut Vec<Warning>,
) -> (Classified, Option<&'c Entry>) {
    let ruled = apply_rules(unit, config, rule_hits);
    let mut decided = ruled.decided;
    if decided.is_none() && unit.kind == UnitKind::Managed {
        decided = tag_decision(unit, config, warnings);
    }
    let found = match unit.kind {
        UnitKind::Managed => catalog_entry(unit, catalog),
        _ => Found::Nothing,
    };
    let entry = match &found {
        Found::Entry(e, _) => Some(*e),
        _ => None,
    };
    if decided.is_none() {
        if let Found::Entry(e, reason) = &found {
            let scope = config.catalog_scope(e.layer, &e.category);
            decided = Some((
                scope,
                Decision::Catalog {
                    category: e.category.clone(),
                    pattern: e.pattern.clone(),
                },
                reason.clone(),
            ));
        }
    }
    let (scope, decision, reason) =
        decided.unwrap_or_else(|| default_decision(unit, config, &found));
    let classified = Classified {
        scope,
        decision,
        reason,
        stateful: ruled.stateful.unwrap_or(entry.is_some_and(|e| e.stateful)),
        allow_destroy: ruled.allow_destroy.unwrap_or(false),
    };
    (classified, entry)
}

/// What the rules that match a unit say; of each setting, the first rule that has it wins.
#[derive(Default)]
struct Ruled {
    decided: Option<Decided>,
    allow_destroy: Option<bool>,
    stateful: Option<bool>,
}

/// Applies the user's rules to a unit, counting each rule that matches in `rule_hits`.
fn apply_rules(unit: &Unit, config: &Config, rule_hits: &mut [usize]) -> Ruled {
    let mut ruled = Ruled::default();
    for (i, rule) in config.rules.iter().enumerate() {
        if !rule.matches(&unit.address, &unit.resource_type, &unit.module) {
            continue;
        }
        rule_hits[i] += 1;
        if ruled.allow_destroy.is_none() {
            ruled.allow_destroy = rule.allow_destroy;
        }
        if ruled.stateful.is_none() {
            ruled.stateful = rule.stateful;
        }
        if ruled.decided.is_none() {
            if let Some(scope) = rule.scope {
                let reason = match &rule.reason {
                    Some(r) => format!("rule {}: {r}", rule.name),
                    None => format!("rule {} ({})", rule.name, rule.location),
                };
                ruled.decided = Some((
                    scope,
                    Decision::Rule {
                        name: rule.name.clone(),
                    },
                    reason,
                ));
            }
        }
    }
    ruled
}

/// A name as a Google label writes it: keys and values hold only `[a-z0-9_-]` (lowercased, other
/// characters as `_`), at most 63 characters. `tfscope tag` writes scope labels in this form, so
/// it is read back as the scope it came from.
pub fn label_form(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(63)
        .collect()
}

/// The scope named by the first of the tag keys a managed unit carries with a scope as its
/// value (a key and a value also count in their label form, as `tag` writes Google labels); a
/// value that is not a scope is warned about and ignored.
fn tag_decision(unit: &Unit, config: &Config, warnings: &mut Vec<Warning>) -> Option<Decided> {
    for key in &config.tag_keys {
        let label_key = label_form(key);
        let found = [key, &label_key]
            .into_iter()
            .find_map(|k| unit.tags.get(k).map(|v| (k, v)));
        let Some((key, value)) = found else {
            continue;
        };
        let as_label = || {
            let mut named = config.scopes.iter().filter(|s| label_form(s) == *value);
            let first = named.next()?;
            // Two scopes with one label form: the label names neither.
            match named.next() {
                Some(_) => None,
                None => config.scope_index(first),
            }
        };
        match config.scope_index(value).or_else(as_label) {
            Some(scope) => {
                return Some((
                    scope,
                    Decision::Tag { key: key.clone() },
                    format!("tag {key} = {value:?}"),
                ));
            }
            None => warnings.push(Warning {
                location: Some(unit.location.clone()),
                message: format!(
                    "{}: tag {key} = {value:?} is not a scope (scopes: {}); ignored",
                    unit.address,
                    config.scopes.join(", ")
                ),
            }),
        }
    }
    None
}

/// The default scope for a unit nothing decided: a data source's until [`settle()`] places it,
/// anything else's as unclassified, with why.
fn default_decision(unit: &Unit, config: &Config, found: &Found) -> Decided {
    if unit.kind == UnitKind::Data {
        return (config.default_scope, Decision::DataSource, String::new());
    }
    let why = match found {
        Found::Unresolved(why) => why.clone(),
        _ if unit.kind == UnitKind::OpaqueModule => {
            "its module is not installed, so tfscope cannot see what it holds".into()
        }
        _ => format!("the catalog does not know {}", unit.resource_type),
    };
    let reason = format!(
        "unclassified: {why}; kept in {} until a rule or tag says otherwise",
        config.scopes[config.default_scope]
    );
    (config.default_scope, Decision::Default { why }, reason)
}

/// Parallel to `units`: for an attachment the catalog placed, the arguments that name the
/// principal it grants to (empty for one that is not a grant); `None` for every other unit.
fn attachments(entries: &[Option<&Entry>], units: &[Classified]) -> Vec<Option<Vec<String>>> {
    entries
        .iter()
        .zip(units)
        .map(|(entry, c)| {
            let entry = (*entry)?;
            (entry.follows && matches!(c.decision, Decision::Catalog { .. }))
                .then(|| entry.principal.clone())
        })
        .collect()
}

/// The dependencies from an earlier scope onto a later one, sorted.
fn violations(graph: &ResourceGraph, units: &[Classified]) -> Vec<Violation> {
    // The latest scope among each unit's direct dependencies tells which units have a
    // violation; only those are walked dependency by dependency.
    let mut violations = Vec::new();
    let mut latest = HubMemo::default();
    for from in graph.unit_ids() {
        let leaf = |d: UnitId| Some(units[d].scope);
        let reads = graph.fold_adjacent(
            Direction::Dependencies,
            from,
            &leaf,
            &std::cmp::max,
            &mut latest,
        );
        if reads.is_some_and(|s| s > units[from].scope) {
            for &to in graph.unit_deps(from).keys() {
                if units[to].scope > units[from].scope {
                    violations.push(Violation {
                        dependent: from,
                        dependency: to,
                    });
                }
            }
        }
    }
    violations.sort();
    violations
}

/// A warning for each rule that matches no resource, in the order of the rules.
fn warn_unused_rules(config: &Config, rule_hits: &[usize], warnings: &mut Vec<Warning>) {
    for (i, rule) in config.rules.iter().enumerate() {
        if rule_hits[i] == 0 {
            warnings.push(Warning {
                location: Some(rule.location.clone()),
                message: format!("rule {} matches no resource", rule.name),
            });
        }
    }
}

/// What the catalog says about a managed unit.
enum Found<'c> {
    /// An entry, with the reason to give.
    Entry(&'c Entry, String),
    /// A generic type whose argument does not resolve to an entry: why.
    Unresolved(String),
    Nothing,
}

/// The catalog entry of a unit's type; for a generic type (`azapi_resource`), of what its
/// argument says it is in every instance. Instances that disagree take the entry that lands
/// earliest (base before runtime), so nothing is destroyed on a guess.
fn catalog_entry<'c>(unit: &Unit, catalog: &'c Catalog) -> Found<'c> {
    if let Some(e) = catalog.lookup(&unit.resource_type) {
        return Found::Entry(
            e,
            format!("catalog: {} ({}, {})", e.category, e.pattern, e.source),
        );
    }
    let Some(keyed) = catalog.keyed(&unit.resource_type) else {
        return Found::Nothing;
    };
    let values = unit
        .arguments
        .get(&keyed.argument)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    if values.is_empty() {
        return Found::Unresolved(format!(
            "{} sets no {} argument tfscope could read",
            unit.resource_type, keyed.argument
        ));
    }
    let mut best: Option<(&Entry, &str)> = None;
    for value in values {
        match value.string() {
            Ok(v) => match catalog.lookup_in(keyed.catalog, v) {
                Some(e) => {
                    let rank = |e: &Entry| (e.layer != Layer::Base, !e.stateful);
                    if best.is_none_or(|(b, _)| rank(e) < rank(b)) {
                        best = Some((e, v));
                    }
                }
                None => {
                    return Found::Unresolved(format!(
                        "its {} {v:?} is not in the {} catalog",
                        keyed.argument, keyed.catalog
                    ))
                }
            },
            Err((expression, why)) => {
                return Found::Unresolved(format!(
                    "its {} = {expression} cannot be evaluated ({why})",
                    keyed.argument
                ))
            }
        }
    }
    let (e, v) = best.expect("values is not empty");
    Found::Entry(
        e,
        format!(
            "catalog: {} ({} {} = {v:?}: {}, {})",
            e.category, unit.resource_type, keyed.argument, e.pattern, e.source
        ),
    )
}

/// The arguments of a resource type whose expressions are kept for evaluation per instance:
/// what a generic type is (the catalog's `by_argument`: `azapi_resource`'s `type`) and what
/// decides a recreate hazard (`data/catalog/hazards.toml`). Every other type keeps nothing, so
/// a large configuration stores no expression that nothing reads.
pub fn kept_arguments(resource_type: &str) -> &'static [&'static str] {
    static KEPT: std::sync::OnceLock<HashMap<&'static str, Vec<&'static str>>> =
        std::sync::OnceLock::new();
    KEPT.get_or_init(|| {
        let keyed = catalog::Catalog::builtin().keyed_arguments();
        let hazards = hazard::HazardCatalog::builtin().arguments();
        let mut kept: HashMap<&'static str, Vec<&'static str>> = HashMap::new();
        for (resource_type, argument) in keyed.chain(hazards) {
            let arguments = kept.entry(resource_type).or_default();
            if !arguments.contains(&argument) {
                arguments.push(argument);
            }
        }
        kept
    })
    .get(resource_type)
    .map(Vec::as_slice)
    .unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    //! Decisions on small trees: catalog, rules, tags, promotion, attachments and data sources.

    use super::*;

    use crate::testing::analyse as run;

    fn scope_of<'a>(
        g: &ResourceGraph,
        c: &'a Classification,
        addr: &str,
    ) -> (&'a str, &'a Decision) {
        let i = g.find(addr).unwrap_or_else(|| panic!("no {addr}"));
        (c.scope_name(i), &c.units[i].decision)
    }

    const CERT: &str = r#"
resource "aws_acm_certificate" "cert" { domain_name = "example.com" }
resource "aws_route53_record" "validation" {
  for_each = { for o in aws_acm_certificate.cert.domain_validation_options : o.domain_name => o }
  name     = each.value.resource_record_name
}
resource "aws_acm_certificate_validation" "cert" {
  certificate_arn         = aws_acm_certificate.cert.arn
  validation_record_fqdns = [for r in aws_route53_record.validation : r.fqdn]
}
resource "aws_route53_record" "app" { name = "app" }
resource "random_password" "db" { length = 16 }
resource "aws_db_instance" "db" { password = random_password.db.result }
data "aws_iam_policy_document" "p" {}
resource "aws_iam_role" "r" { assume_role_policy = data.aws_iam_policy_document.p.json }
"#;

    #[test]
    fn catalog_then_promotion_through_dependencies() {
        let (g, c) = run(&[("main.tf", CERT)], "");
        assert_eq!(scope_of(&g, &c, "aws_acm_certificate.cert").0, "base");
        let (scope, why) = scope_of(&g, &c, "aws_route53_record.validation");
        assert_eq!(scope, "base");
        assert_eq!(
            why,
            &Decision::Promoted {
                by: "aws_acm_certificate_validation.cert".into()
            }
        );
        assert_eq!(scope_of(&g, &c, "aws_route53_record.app").0, "runtime");
        assert_eq!(scope_of(&g, &c, "random_password.db").0, "base");
        assert_eq!(
            scope_of(&g, &c, "data.aws_iam_policy_document.p").0,
            "runtime"
        );
        assert!(c.violations.is_empty());
        assert!(c.unclassified.is_empty());
        let i = g.find("random_password.db").unwrap();
        assert!(
            c.units[i]
                .reason
                .contains("aws_db_instance.db (base) depends on it"),
            "{}",
            c.units[i].reason
        );
    }

    #[test]
    fn google_labels_name_scopes_in_label_form() {
        let (g, c) = run(
            &[(
                "main.tf",
                r#"
resource "google_storage_bucket" "app" { labels = { layer = "app_tier" } }
resource "google_storage_bucket" "net" { labels = { layer = "base" } }
resource "google_storage_bucket" "odd" { labels = { layer = "app-tier" } }
"#,
            )],
            "scopes = [\"Base\", \"App Tier\"]\ntag_key = [\"Layer\"]\n",
        );
        assert_eq!(scope_of(&g, &c, "google_storage_bucket.app").0, "App Tier");
        assert_eq!(scope_of(&g, &c, "google_storage_bucket.net").0, "Base");
        assert!(matches!(
            scope_of(&g, &c, "google_storage_bucket.odd").1,
            Decision::Catalog { .. }
        ));
    }

    #[test]
    fn rules_beat_tags_beat_catalog() {
        let (g, c) = run(
            &[(
                "main.tf",
                r#"
resource "aws_s3_bucket" "scratch" { tags = { Scope = "runtime" } }
resource "aws_s3_bucket" "logs" { tags = merge(local.t, { Scope = "runtime" }) }
resource "aws_ecs_cluster" "c" {}
resource "custom_thing" "x" {}
locals { t = {} }
"#,
            )],
            r#"
rule "logs bucket" {
  address       = "aws_s3_bucket.logs"
  scope         = "base"
  reason        = "audit"
}
rule "scratch" {
  address       = "aws_s3_bucket.scratch"
  allow_destroy = true
}
"#,
        );
        assert_eq!(scope_of(&g, &c, "aws_s3_bucket.logs").0, "base");
        assert!(matches!(
            scope_of(&g, &c, "aws_s3_bucket.logs").1,
            Decision::Rule { .. }
        ));
        let (scope, why) = scope_of(&g, &c, "aws_s3_bucket.scratch");
        assert_eq!(
            (scope, why),
            (
                "runtime",
                &Decision::Tag {
                    key: "Scope".into()
                }
            )
        );
        let scratch = g.find("aws_s3_bucket.scratch").unwrap();
        assert!(c.units[scratch].allow_destroy && c.units[scratch].stateful);
        assert_eq!(
            scope_of(&g, &c, "custom_thing.x"),
            (
                "base",
                &Decision::Default {
                    why: "the catalog does not know custom_thing".into()
                }
            ),
            "a type nobody knows is kept"
        );
        assert_eq!(c.unclassified, vec![g.find("custom_thing.x").unwrap()]);
    }

    #[test]
    fn azapi_resources_are_classified_by_their_arm_type_in_every_instance() {
        let (g, c) = run(
            &[(
                "main.tf",
                r#"
variable "kinds" {
  default = { web = "Microsoft.Web/sites@2023-12-01", data = "Microsoft.Storage/storageAccounts@2023-05-01" }
}
resource "azapi_resource" "storage" {
  type = "Microsoft.Storage/storageAccounts@2023-05-01"
}
resource "azapi_resource" "web" {
  type = "microsoft.web/SITES@2023-12-01"
}
resource "azapi_resource" "mixed" {
  for_each = var.kinds
  type     = each.value
}
resource "azapi_resource" "odd" {
  type = "Contoso.Widgets/gadgets@2020-01-01"
}
resource "azapi_resource" "later" {
  type = "${azapi_resource.storage.id}@x"
}
"#,
            )],
            "",
        );
        let storage = g.find("azapi_resource.storage").unwrap();
        assert_eq!(c.scope_name(storage), "base");
        assert!(c.units[storage].stateful, "a storage account holds data");
        assert!(
            c.units[storage]
                .reason
                .contains("Microsoft.Storage/storageAccounts"),
            "{}",
            c.units[storage].reason
        );
        assert_eq!(
            scope_of(&g, &c, "azapi_resource.web").0,
            "runtime",
            "case-insensitive"
        );
        // Instances that disagree take the earliest, stateful entry: nothing goes on a guess.
        let mixed = g.find("azapi_resource.mixed").unwrap();
        assert_eq!(
            (c.scope_name(mixed), c.units[mixed].stateful),
            ("base", true)
        );
        for unknown in ["azapi_resource.odd", "azapi_resource.later"] {
            let (scope, decision) = scope_of(&g, &c, unknown);
            assert_eq!(scope, "base", "{unknown}");
            assert!(matches!(decision, Decision::Default { .. }), "{unknown}");
        }
        let odd = g.find("azapi_resource.odd").unwrap();
        assert!(
            c.units[odd].reason.contains("Contoso.Widgets/gadgets"),
            "{}",
            c.units[odd].reason
        );
        let later = g.find("azapi_resource.later").unwrap();
        assert!(
            c.units[later].reason.contains("cannot be evaluated"),
            "{}",
            c.units[later].reason
        );
    }

    #[test]
    fn an_explicit_rule_that_inverts_the_order_is_a_violation_not_a_change() {
        let (g, c) = run(
            &[(
                "main.tf",
                r#"
resource "aws_iam_role" "r" {}
resource "aws_db_instance" "db" { monitoring_role_arn = aws_iam_role.r.arn }
"#,
            )],
            "rule \"roles\" {\n  type = \"aws_iam_role\"\n  scope = \"runtime\"\n}\nrule \"x\" {\n  type = \"nothing_*\"\n  scope = \"base\"\n}\n",
        );
        assert_eq!(scope_of(&g, &c, "aws_iam_role.r").0, "runtime");
        assert_eq!(
            c.violations,
            vec![Violation {
                dependent: g.find("aws_db_instance.db").unwrap(),
                dependency: g.find("aws_iam_role.r").unwrap()
            }]
        );
        assert_eq!(c.warnings.len(), 1);
        assert!(c.warnings[0].message.contains("rule x matches no resource"));
    }

    #[test]
    fn attachments_follow_the_latest_scope_of_what_they_join() {
        let (g, c) = run(
            &[(
                "main.tf",
                r#"
resource "aws_iam_role" "monitoring" {}
resource "aws_db_instance" "db" { monitoring_role_arn = aws_iam_role.monitoring.arn }
resource "aws_iam_role_policy_attachment" "monitoring" {
  role       = aws_iam_role.monitoring.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
}
resource "aws_ebs_volume" "data" { size = 1 }
resource "aws_instance" "worker" {}
resource "aws_volume_attachment" "data" {
  volume_id   = aws_ebs_volume.data.id
  instance_id = aws_instance.worker.id
}
"#,
            )],
            "",
        );
        // The role is promoted to base by the database; its attachment follows it there, so
        // tearing runtime down does not break the database's enhanced monitoring.
        let (scope, why) = scope_of(&g, &c, "aws_iam_role_policy_attachment.monitoring");
        assert_eq!(scope, "base");
        assert_eq!(
            why,
            &Decision::Follows {
                to: "aws_iam_role.monitoring".into()
            }
        );
        // A base volume attached to a runtime instance: the attachment is runtime.
        assert_eq!(scope_of(&g, &c, "aws_volume_attachment.data").0, "runtime");
        assert!(c.violations.is_empty());
    }

    #[test]
    fn promotion_follows_the_earliest_of_many_scopes() {
        let (g, c) = run(
            &[(
                "main.tf",
                r#"
resource "aws_vpc" "v" {}
resource "aws_lb" "edge" { x = random_id.suffix.hex }
resource "aws_ecs_service" "app" { x = random_id.suffix.hex }
resource "random_id" "suffix" { byte_length = 4 }
"#,
            )],
            "scopes = [\"network\", \"edge\", \"app\"]\ncatalog {\n  load-balancer = \"edge\"\n}\n",
        );
        assert_eq!(scope_of(&g, &c, "aws_vpc.v").0, "network");
        assert_eq!(scope_of(&g, &c, "aws_lb.edge").0, "edge");
        assert_eq!(scope_of(&g, &c, "aws_ecs_service.app").0, "app");
        assert_eq!(scope_of(&g, &c, "random_id.suffix").0, "edge");
    }
}
