//! Terraform's own plan against tfscope's promise. A phase is planned with
//! `terraform plan [-destroy] -out=FILE -target=...`; `terraform show -json FILE` lists every
//! resource instance the plan changes. This module reads that document and compares it, instance
//! by instance, with what the phase promised:
//!
//! - destroy phase of scope S: the deletes are exactly the instances of S and later scopes that
//!   exist in state; nothing of an earlier scope, nothing the configuration does not know;
//! - apply phase of scope S: creates and updates stay inside S and earlier scopes; an earlier
//!   scope's object is never replaced or deleted unless `--allow-replace` names it; every instance
//!   of S that tfscope knows exists is in the plan.
//!
//! Updates of earlier-scope objects are allowed but reported (`cross_scope_updates`). Owns the
//! comparison; running Terraform is `runner`'s, rendering is `report`'s.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::Value;

use crate::classify::config::ScopeId;
use crate::classify::Classification;
use crate::eval::instances::Instances;
use crate::graph::{ResourceGraph, UnitKind};
use crate::load::address::resource_address;
use crate::target::plan::Phase;
use crate::target::Action;

/// What Terraform plans for one resource instance (`change.actions` in the plan JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Planned {
    Create,
    Update,
    Delete,
    /// `["delete","create"]` or `["create","delete"]`.
    Replace,
    Read,
    NoOp,
    /// Removed from state without destroying (`removed` blocks, Terraform 1.7+).
    Forget,
    /// An action list this version of tfscope does not know.
    Unknown,
}

impl Planned {
    fn from_actions(actions: &[&str]) -> Planned {
        match actions {
            ["create"] => Planned::Create,
            ["update"] => Planned::Update,
            ["delete"] => Planned::Delete,
            ["delete", "create"] | ["create", "delete"] => Planned::Replace,
            ["read"] => Planned::Read,
            ["no-op"] => Planned::NoOp,
            ["forget"] => Planned::Forget,
            _ => Planned::Unknown,
        }
    }

    /// Whether the change does anything to real infrastructure or state.
    pub fn changes(self) -> bool {
        !matches!(self, Planned::NoOp | Planned::Read)
    }

    pub fn verb(self) -> &'static str {
        match self {
            Planned::Create => "create",
            Planned::Update => "update",
            Planned::Delete => "delete",
            Planned::Replace => "replace",
            Planned::Read => "read",
            Planned::NoOp => "no-op",
            Planned::Forget => "forget",
            Planned::Unknown => "unknown",
        }
    }
}

/// One managed resource instance in a saved plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedChange {
    /// Instance address: `module.a["k"].aws_x.y[0]`.
    pub address: String,
    pub action: Planned,
}

/// The parts of `terraform show -json PLANFILE` that verification reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SavedPlan {
    /// Managed resource instances only, in the plan's order.
    pub changes: Vec<PlannedChange>,
    /// Managed instances in the state the plan starts from (`prior_state`).
    pub in_state: BTreeSet<String>,
    /// Each instance's recorded dependencies (`depends_on` in `prior_state`), config addresses.
    pub state_deps: BTreeMap<String, Vec<String>>,
}

impl SavedPlan {
    /// Reads `terraform show -json PLANFILE` output (format 0.1 to 1.x).
    pub fn parse(json: &str) -> Result<SavedPlan, String> {
        let doc: Value = serde_json::from_str(json).map_err(|e| format!("not JSON: {e}"))?;
        if doc.get("format_version").is_none() || doc.get("planned_values").is_none() {
            return Err(
                "not the output of `terraform show -json PLANFILE` (no format_version or planned_values)"
                    .into(),
            );
        }
        let mut plan = SavedPlan::default();
        for rc in array(&doc["resource_changes"]) {
            if rc["mode"] != "managed" {
                continue;
            }
            let address = rc["address"]
                .as_str()
                .ok_or("a resource change without an address")?;
            let actions: Vec<&str> = array(&rc["change"]["actions"])
                .iter()
                .filter_map(Value::as_str)
                .collect();
            plan.changes.push(PlannedChange {
                address: address.to_string(),
                action: Planned::from_actions(&actions),
            });
        }
        fn walk(module: &Value, plan: &mut SavedPlan) {
            for r in array(&module["resources"]) {
                if r["mode"] != "managed" {
                    continue;
                }
                let Some(address) = r["address"].as_str() else {
                    continue;
                };
                plan.in_state.insert(address.to_string());
                let deps: Vec<String> = array(&r["depends_on"])
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect();
                if !deps.is_empty() {
                    plan.state_deps.insert(address.to_string(), deps);
                }
            }
            for child in array(&module["child_modules"]) {
                walk(child, plan);
            }
        }
        walk(&doc["prior_state"]["values"]["root_module"], &mut plan);
        Ok(plan)
    }

    /// Whether applying the plan would change anything.
    pub fn is_empty(&self) -> bool {
        !self.changes.iter().any(|c| c.action.changes())
    }
}

fn array(v: &Value) -> &[Value] {
    v.as_array().map(Vec::as_slice).unwrap_or_default()
}

/// One instance in a comparison, with its scope (none: the configuration does not have it) and
/// why it is there.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Item {
    pub address: String,
    pub action: Planned,
    pub scope: Option<String>,
    pub why: String,
}

/// One phase's promise against Terraform's plan for it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PhaseCheck {
    pub number: usize,
    pub scope: String,
    pub action: Action,
    /// Destroy: the instances in state the phase must delete (its scope, and later-scope
    /// dependents). Apply: the resources (config
    /// addresses) it may create or update.
    pub promised: Vec<String>,
    /// Every managed change in Terraform's plan (no-ops and reads left out).
    pub planned: Vec<Item>,
    /// Promised, but not in Terraform's plan.
    pub missing: Vec<Item>,
    /// In Terraform's plan, but outside the promise: the reason to refuse.
    pub unexpected: Vec<Item>,
    /// Objects of an earlier scope the phase updates in place: allowed, never silent.
    pub cross_scope_updates: Vec<Item>,
    /// Replaces of earlier-scope objects that `--allow-replace` accepted.
    pub allowed_replaces: Vec<Item>,
}

impl PhaseCheck {
    /// One line after a phase's plan was checked, and the earlier-scope objects it updates.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        let changes = self.planned.len();
        let _ = writeln!(
            out,
            "tfscope: phase {}: Terraform's plan keeps the promise ({})",
            self.number,
            match changes {
                1 => "1 change".to_string(),
                n => format!("{n} changes"),
            }
        );
        for u in &self.cross_scope_updates {
            let _ = writeln!(
                out,
                "tfscope: phase {}: updates {} of scope {} in place",
                self.number,
                u.address,
                u.scope.as_deref().unwrap_or("?")
            );
        }
        for r in &self.allowed_replaces {
            let _ = writeln!(
                out,
                "tfscope: phase {}: {}: {}",
                self.number, r.address, r.why
            );
        }
        out
    }
}

impl PhaseCheck {
    /// Terraform's plan keeps the promise.
    pub fn agrees(&self) -> bool {
        self.missing.is_empty() && self.unexpected.is_empty()
    }
}

/// Every phase of a plan checked: what `tfscope verify` reports.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Verification {
    pub action: Action,
    pub scope: String,
    pub env: Option<String>,
    /// Terraform's plans keep every phase's promise.
    pub agrees: bool,
    pub phases: Vec<PhaseCheck>,
}

impl Verification {
    pub fn new(plan: &crate::target::plan::Plan, phases: Vec<PhaseCheck>) -> Verification {
        Verification {
            action: plan.action,
            scope: plan.scope.clone(),
            env: plan.env.clone(),
            agrees: phases.iter().all(PhaseCheck::agrees),
            phases,
        }
    }
}

/// What a phase is checked against: the analysis it was planned from.
pub struct Verifier<'a> {
    pub graph: &'a ResourceGraph,
    pub class: &'a Classification,
    pub instances: &'a Instances,
    /// `--allow-replace`: instance or resource addresses whose replacement an apply may include.
    pub allow_replace: &'a [String],
}

impl Verifier<'_> {
    /// The scope index and name of the managed resource an instance belongs to.
    fn scope_of(&self, instance: &str) -> Option<ScopeId> {
        let u = self.graph.find(&resource_address(instance)?)?;
        (self.graph.units[u].kind == UnitKind::Managed).then(|| self.class.units[u].scope)
    }

    fn item(&self, address: &str, action: Planned, why: String) -> Item {
        Item {
            address: address.to_string(),
            action,
            scope: self.scope_of(address).map(|s| self.class.scopes[s].clone()),
            why,
        }
    }

    /// Compares Terraform's saved plan for `phase` with the phase's promise.
    pub fn check(&self, phase: &Phase, saved: &SavedPlan) -> PhaseCheck {
        let (k, _) = self
            .class
            .each_scope()
            .find(|(_, s)| **s == phase.scope)
            .expect("a phase's scope is a configured scope");
        let mut check = PhaseCheck {
            number: phase.number,
            scope: phase.scope.clone(),
            action: phase.action,
            promised: Vec::new(),
            planned: Vec::new(),
            missing: Vec::new(),
            unexpected: Vec::new(),
            cross_scope_updates: Vec::new(),
            allowed_replaces: Vec::new(),
        };
        match phase.action {
            Action::Destroy => self.check_destroy(k, phase, saved, &mut check),
            Action::Apply => self.check_apply(k, phase, saved, &mut check),
        }
        check.missing.sort();
        check.unexpected.sort();
        check.cross_scope_updates.sort();
        check.allowed_replaces.sort();
        check
    }

    fn check_destroy(&self, k: ScopeId, phase: &Phase, saved: &SavedPlan, check: &mut PhaseCheck) {
        // The instances in state of what the phase destroys: its scope and the later-scope
        // resources that depend on it (in a run, earlier phases have already removed the rest of
        // the later scopes; `verify` plans every phase against the same state).
        let touches: BTreeSet<&str> = phase.touches.iter().map(String::as_str).collect();
        let promised: BTreeSet<&str> = saved
            .in_state
            .iter()
            .filter(|i| {
                self.scope_of(i).is_some_and(|s| s >= k)
                    && resource_address(i).is_some_and(|r| touches.contains(r.as_str()))
            })
            .map(String::as_str)
            .collect();
        let deleted: BTreeSet<String> = saved
            .changes
            .iter()
            .filter(|c| c.action == Planned::Delete)
            .filter_map(|c| resource_address(&c.address))
            .collect();
        let mut planned_deletes = BTreeSet::new();
        for c in saved.changes.iter().filter(|c| c.action.changes()) {
            let scope = self.scope_of(&c.address);
            if c.action == Planned::Delete
                && (promised.contains(c.address.as_str()) || scope > Some(k))
            {
                planned_deletes.insert(c.address.as_str());
                let why = if scope == Some(k) {
                    "in scope".to_string()
                } else {
                    "dependent: a later scope".to_string()
                };
                check.planned.push(self.item(&c.address, c.action, why));
                continue;
            }
            let why = match (c.action, scope) {
                (Planned::Delete, None) => {
                    "drift: in the state, not in this environment's configuration".to_string()
                }
                (Planned::Delete, Some(_)) => {
                    // An earlier scope: Terraform destroys it because its state records a
                    // dependency on something this phase destroys.
                    let on = saved
                        .state_deps
                        .get(&c.address)
                        .into_iter()
                        .flatten()
                        .find(|d| deleted.contains(*d));
                    match on {
                        Some(d) => format!("dependent: its state records a dependency on {d}"),
                        None => "dependent: Terraform destroys it with what it depends on".into(),
                    }
                }
                (action, _) => format!("a destroy plan that does not delete ({})", action.verb()),
            };
            let item = self.item(&c.address, c.action, why);
            check.planned.push(item.clone());
            check.unexpected.push(item);
        }
        check.promised = promised.iter().map(|s| s.to_string()).collect();
        for p in promised.difference(&planned_deletes) {
            check.missing.push(self.item(
                p,
                Planned::Delete,
                "in the state, but Terraform's plan does not delete it".into(),
            ));
        }
    }

    fn check_apply(&self, k: ScopeId, phase: &Phase, saved: &SavedPlan, check: &mut PhaseCheck) {
        let allowed = |address: &str| {
            self.allow_replace
                .iter()
                .any(|a| a == address || resource_address(address).is_some_and(|r| *a == r))
        };
        for c in &saved.changes {
            if !c.action.changes() {
                continue;
            }
            let scope = self.scope_of(&c.address);
            let this = self.class.scopes[k].as_str();
            let outcome: Result<String, String> = match (c.action, scope) {
                (_, None) => Err("drift: not in this environment's configuration".into()),
                (Planned::Forget | Planned::Unknown, Some(_)) => Err(format!(
                    "Terraform plans to {} it; tfscope only applies creates and updates",
                    c.action.verb()
                )),
                (_, Some(s)) if s > k => Err(format!(
                    "dependency: scope {} comes after {this}; applying {this} must not apply it",
                    self.class.scopes[s]
                )),
                (Planned::Create | Planned::Update, Some(s)) if s == k => Ok("in scope".into()),
                (Planned::Create, Some(_)) => Ok("dependency: an earlier scope".into()),
                (Planned::Update, Some(_)) => {
                    let item =
                        self.item(&c.address, c.action, "dependency: an earlier scope".into());
                    check.cross_scope_updates.push(item);
                    Ok("dependency: an earlier scope, updated in place".into())
                }
                (_, Some(s)) if s == k => Ok("in scope".into()),
                (_, Some(s)) if allowed(&c.address) => {
                    let why = format!(
                        "{} of scope {} accepted by --allow-replace",
                        c.action.verb(),
                        self.class.scopes[s]
                    );
                    check
                        .allowed_replaces
                        .push(self.item(&c.address, c.action, why.clone()));
                    Ok(why)
                }
                (_, Some(s)) => Err(format!(
                    "Terraform would {} an object of scope {}; pass --allow-replace {} to accept it",
                    c.action.verb(),
                    self.class.scopes[s],
                    c.address
                )),
            };
            match outcome {
                Ok(why) => check.planned.push(self.item(&c.address, c.action, why)),
                Err(why) => {
                    let item = self.item(&c.address, c.action, why);
                    check.planned.push(item.clone());
                    check.unexpected.push(item);
                }
            }
        }
        check.promised = phase.touches.clone();
        self.check_apply_complete(k, phase, saved, check);
    }

    /// Every instance of the phase's own resources that tfscope knows exists must be in the
    /// plan, as a change or a no-op.
    fn check_apply_complete(
        &self,
        k: ScopeId,
        phase: &Phase,
        saved: &SavedPlan,
        check: &mut PhaseCheck,
    ) {
        // Where the keys are known only after apply, Terraform
        // decides how many there are (none, perhaps): nothing is expected.
        let listed: BTreeSet<&str> = saved.changes.iter().map(|c| c.address.as_str()).collect();
        for address in phase.resources.values().flatten() {
            let Some(u) = self.graph.find(address) else {
                continue;
            };
            let unit = &self.graph.units[u];
            if unit.kind != UnitKind::Managed || self.class.units[u].scope != k {
                continue;
            }
            let local = address
                .strip_prefix(&unit.module.prefix())
                .unwrap_or(address);
            let expected = self
                .instances
                .get(address)
                .and_then(|e| e.addresses(local))
                .unwrap_or_default();
            for i in expected.iter().filter(|i| !listed.contains(i.as_str())) {
                check.missing.push(self.item(
                    i,
                    Planned::Create,
                    "tfscope expects it in this environment; Terraform's plan leaves it out".into(),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    //! Saved plans against the promise: exact deletes agree, anything else is named with its cause.

    use super::*;
    use crate::analysis::Analysis;
    use crate::run::invocation::Invocation;
    use crate::target::plan::{Plan, PlanRequest};
    use crate::target::Selection;

    const TREE: &str = r#"
resource "aws_vpc" "main" {}
resource "aws_security_group" "web" {
  vpc_id = aws_vpc.main.id
}
resource "aws_ecs_cluster" "app" {}
resource "aws_ecs_service" "app" {
  for_each        = toset(["api", "worker"])
  cluster         = aws_ecs_cluster.app.id
  security_groups = [aws_security_group.web.id]
}
"#;

    fn fixture() -> Analysis {
        crate::testing::analysis(&[("main.tf", TREE)], "")
    }

    fn plan_of(a: &Analysis, scope: &str, action: Action) -> Plan {
        let invocation = Invocation::new(std::path::Path::new("."), None);
        let request = PlanRequest {
            selection: Selection::Scope(a.config.require_scope(scope).unwrap()),
            action,
            expand: false,
            instances: &a.instances,
            command: &|action, targets| invocation.command(action, targets),
            env: None,
        };
        crate::target::plan::plan(&a.graph, &a.class, request).unwrap()
    }

    fn verify(a: &Analysis, phase: &Phase, saved: &SavedPlan, allow: &[&str]) -> PhaseCheck {
        let allow: Vec<String> = allow.iter().map(|s| s.to_string()).collect();
        Verifier {
            graph: &a.graph,
            class: &a.class,
            instances: &a.instances,
            allow_replace: &allow,
        }
        .check(phase, saved)
    }

    const STATE: &[(&str, &[&str])] = &[
        ("aws_vpc.main", &[]),
        ("aws_security_group.web", &["aws_vpc.main"]),
        ("aws_ecs_cluster.app", &[]),
        (
            "aws_ecs_service.app[\"api\"]",
            &["aws_ecs_cluster.app", "aws_security_group.web"],
        ),
        (
            "aws_ecs_service.app[\"worker\"]",
            &["aws_ecs_cluster.app", "aws_security_group.web"],
        ),
    ];
    const DELETE: &[&str] = &["delete"];
    const CREATE: &[&str] = &["create"];
    const UPDATE: &[&str] = &["update"];
    const NO_OP: &[&str] = &["no-op"];

    fn addresses(items: &[Item]) -> Vec<&str> {
        items.iter().map(|i| i.address.as_str()).collect()
    }

    #[test]
    fn a_destroy_plan_that_deletes_exactly_the_scope_in_state_agrees() {
        let a = fixture();
        let plan = plan_of(&a, "runtime", Action::Destroy);
        let saved = saved(
            &[
                ("aws_ecs_cluster.app", DELETE),
                ("aws_ecs_service.app[\"api\"]", DELETE),
                ("aws_ecs_service.app[\"worker\"]", DELETE),
            ],
            STATE,
        );
        let check = verify(&a, &plan.phases[0], &saved, &[]);
        assert!(check.agrees(), "{check:#?}");
        assert_eq!(check.promised.len(), 3);
        assert_eq!(check.planned.len(), 3);
    }

    #[test]
    fn deleting_an_earlier_scope_is_unexpected_and_names_the_recorded_dependency() {
        let a = fixture();
        let plan = plan_of(&a, "runtime", Action::Destroy);
        // The state says the security group depends on the cluster (drifted configuration).
        let mut state = STATE.to_vec();
        state[1] = ("aws_security_group.web", &["aws_ecs_cluster.app"]);
        let saved = saved(
            &[
                ("aws_ecs_cluster.app", DELETE),
                ("aws_ecs_service.app[\"api\"]", DELETE),
                ("aws_ecs_service.app[\"worker\"]", DELETE),
                ("aws_security_group.web", DELETE),
            ],
            &state,
        );
        let check = verify(&a, &plan.phases[0], &saved, &[]);
        assert!(!check.agrees());
        assert_eq!(
            check.unexpected,
            vec![Item {
                address: "aws_security_group.web".into(),
                action: Planned::Delete,
                scope: Some("base".into()),
                why: "dependent: its state records a dependency on aws_ecs_cluster.app".into(),
            }]
        );
    }

    #[test]
    fn deleting_an_object_the_configuration_does_not_have_is_drift() {
        let a = fixture();
        let plan = plan_of(&a, "runtime", Action::Destroy);
        let mut state = STATE.to_vec();
        state.push(("aws_db_instance.legacy", &["aws_ecs_cluster.app"]));
        let saved = saved(
            &[
                ("aws_ecs_cluster.app", DELETE),
                ("aws_ecs_service.app[\"api\"]", DELETE),
                ("aws_ecs_service.app[\"worker\"]", DELETE),
                ("aws_db_instance.legacy", DELETE),
            ],
            &state,
        );
        let check = verify(&a, &plan.phases[0], &saved, &[]);
        assert_eq!(addresses(&check.unexpected), ["aws_db_instance.legacy"]);
        assert_eq!(check.unexpected[0].scope, None);
        assert!(check.unexpected[0].why.starts_with("drift"), "{check:#?}");
    }

    #[test]
    fn an_instance_in_state_that_terraform_keeps_is_missing() {
        let a = fixture();
        let plan = plan_of(&a, "runtime", Action::Destroy);
        let saved = saved(
            &[
                ("aws_ecs_cluster.app", DELETE),
                ("aws_ecs_service.app[\"api\"]", DELETE),
            ],
            STATE,
        );
        let check = verify(&a, &plan.phases[0], &saved, &[]);
        assert!(check.unexpected.is_empty());
        assert_eq!(
            addresses(&check.missing),
            ["aws_ecs_service.app[\"worker\"]"]
        );
    }

    #[test]
    fn a_later_phase_checked_before_the_earlier_ones_ran_promises_its_closure() {
        // `verify --scope base --destroy` plans phase 2 (base) while runtime is still up: Terraform
        // deletes base and the runtime services that depend on it, not the cluster.
        let a = fixture();
        let plan = plan_of(&a, "base", Action::Destroy);
        assert_eq!(plan.phases.len(), 2);
        let saved = saved(
            &[
                ("aws_vpc.main", DELETE),
                ("aws_security_group.web", DELETE),
                ("aws_ecs_service.app[\"api\"]", DELETE),
                ("aws_ecs_service.app[\"worker\"]", DELETE),
            ],
            STATE,
        );
        let check = verify(&a, &plan.phases[1], &saved, &[]);
        assert!(check.agrees(), "{check:#?}");
        assert_eq!(check.promised.len(), 4);
    }

    #[test]
    fn an_apply_may_create_dependencies_and_reports_updates_of_earlier_scopes() {
        let a = fixture();
        let plan = plan_of(&a, "runtime", Action::Apply);
        let saved = saved(
            &[
                ("aws_vpc.main", NO_OP),
                ("aws_security_group.web", UPDATE),
                ("aws_ecs_cluster.app", CREATE),
                ("aws_ecs_service.app[\"api\"]", CREATE),
                ("aws_ecs_service.app[\"worker\"]", NO_OP),
            ],
            STATE,
        );
        let check = verify(&a, &plan.phases[0], &saved, &[]);
        assert!(check.agrees(), "{check:#?}");
        assert_eq!(
            addresses(&check.cross_scope_updates),
            ["aws_security_group.web"]
        );
        assert_eq!(check.planned.len(), 3, "no-ops are not listed");
    }

    #[test]
    fn replacing_an_earlier_scope_object_needs_allow_replace() {
        let a = fixture();
        let plan = plan_of(&a, "runtime", Action::Apply);
        let saved = saved(
            &[
                ("aws_vpc.main", &["delete", "create"]),
                ("aws_security_group.web", &["create", "delete"]),
                ("aws_ecs_cluster.app", CREATE),
                ("aws_ecs_service.app[\"api\"]", CREATE),
                ("aws_ecs_service.app[\"worker\"]", CREATE),
            ],
            STATE,
        );
        let refused = verify(&a, &plan.phases[0], &saved, &[]);
        assert_eq!(
            addresses(&refused.unexpected),
            ["aws_security_group.web", "aws_vpc.main"]
        );
        assert!(refused.unexpected[1]
            .why
            .contains("pass --allow-replace aws_vpc.main"));
        let accepted = verify(
            &a,
            &plan.phases[0],
            &saved,
            &["aws_vpc.main", "aws_security_group.web"],
        );
        assert!(accepted.agrees(), "{accepted:#?}");
        assert_eq!(accepted.allowed_replaces.len(), 2);
    }

    #[test]
    fn applying_a_later_scope_is_unexpected() {
        let a = fixture();
        let plan = plan_of(&a, "base", Action::Apply);
        let saved = saved(
            &[
                ("aws_vpc.main", CREATE),
                ("aws_security_group.web", CREATE),
                ("aws_ecs_cluster.app", CREATE),
            ],
            &[],
        );
        let check = verify(&a, &plan.phases[0], &saved, &[]);
        assert_eq!(addresses(&check.unexpected), ["aws_ecs_cluster.app"]);
        assert_eq!(check.unexpected[0].scope.as_deref(), Some("runtime"));
    }

    #[test]
    fn an_apply_that_leaves_out_a_known_instance_misses_it() {
        let a = fixture();
        let plan = plan_of(&a, "runtime", Action::Apply);
        let saved = saved(
            &[
                ("aws_ecs_cluster.app", CREATE),
                ("aws_ecs_service.app[\"api\"]", CREATE),
            ],
            &[],
        );
        let check = verify(&a, &plan.phases[0], &saved, &[]);
        assert_eq!(
            addresses(&check.missing),
            ["aws_ecs_service.app[\"worker\"]"]
        );
    }

    #[test]
    fn instances_known_only_after_apply_are_not_expected() {
        // Keys from a data source: Terraform may plan any number of instances, none included.
        let a = crate::testing::analysis(
            &[(
                "main.tf",
                "data \"aws_subnets\" \"all\" {}\nresource \"aws_ecs_service\" \"app\" {\n  for_each = toset(data.aws_subnets.all.ids)\n  name     = each.key\n}\n",
            )],
            "",
        );
        let plan = plan_of(&a, "runtime", Action::Apply);
        let check = verify(&a, &plan.phases[0], &saved(&[], &[]), &[]);
        assert!(check.agrees(), "{check:#?}");
    }

    #[test]
    fn the_plan_document_is_read_by_action_and_mode() {
        let doc = serde_json::json!({
            "format_version": "1.2",
            "planned_values": {},
            "resource_changes": [
                {"address": "data.aws_ami.x", "mode": "data", "change": {"actions": ["read"]}},
                {"address": "aws_vpc.a", "mode": "managed", "change": {"actions": ["create", "delete"]}},
                {"address": "aws_vpc.b", "mode": "managed", "change": {"actions": ["no-op"]}},
                {"address": "aws_vpc.c", "mode": "managed", "change": {"actions": ["forget"]}},
            ],
            "prior_state": {"values": {"root_module": {"child_modules": [
                {"resources": [{"address": "module.m.aws_vpc.d", "mode": "managed", "depends_on": ["module.m.aws_vpc.e"]}]}
            ]}}},
        });
        let plan = SavedPlan::parse(&doc.to_string()).unwrap();
        let actions: Vec<(&str, Planned)> = plan
            .changes
            .iter()
            .map(|c| (c.address.as_str(), c.action))
            .collect();
        assert_eq!(
            actions,
            [
                ("aws_vpc.a", Planned::Replace),
                ("aws_vpc.b", Planned::NoOp),
                ("aws_vpc.c", Planned::Forget)
            ]
        );
        assert_eq!(
            plan.state_deps["module.m.aws_vpc.d"],
            ["module.m.aws_vpc.e"]
        );
        assert!(!plan.is_empty());
        let err = SavedPlan::parse(r#"{"version": 4}"#).unwrap_err();
        assert!(err.contains("terraform show -json PLANFILE"), "{err}");
    }

    /// A plan JSON with these (address, actions) changes over a state holding `state`, each
    /// with its recorded dependencies.
    fn saved(changes: &[(&str, &[&str])], state: &[(&str, &[&str])]) -> SavedPlan {
        let rc: Vec<Value> = changes
            .iter()
            .map(|(a, actions)| {
                serde_json::json!({"address": a, "mode": "managed", "change": {"actions": actions}})
            })
            .collect();
        let resources: Vec<Value> = state
            .iter()
            .map(|(a, deps)| serde_json::json!({"address": a, "mode": "managed", "depends_on": deps}))
            .collect();
        let doc = serde_json::json!({
            "format_version": "1.2",
            "planned_values": {},
            "resource_changes": rc,
            "prior_state": {"values": {"root_module": {"resources": resources}}},
        });
        SavedPlan::parse(&doc.to_string()).unwrap()
    }
}
