//! Phased plans: for a scope (or all) and an action, the ordered phases Terraform will run
//! (destroy runs in reverse scope order), each with its targets, its resources grouped by module,
//! the exact terraform command, and the blast radius: what else Terraform touches and why.
//! Owns the plan data type; rendering is in `report`.

use crate::classify::config::ScopeId;
use crate::classify::Classification;
use crate::error::{Error, Warning};
use crate::eval::instances::Instances;
use crate::graph::{Direction, HubMemo, ResourceGraph, UnitId, UnitKind};
use crate::target::{self, Action, Selection, Targets};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, serde::Serialize)]
pub struct Plan {
    pub action: Action,
    pub scope: String,
    pub env: Option<String>,
    pub phases: Vec<Phase>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Phase {
    pub number: usize,
    pub scope: String,
    pub action: Action,
    pub targets: Vec<String>,
    /// The phase's own resources, by module (`""` is the root module).
    pub resources: BTreeMap<String, Vec<String>>,
    /// Every managed resource Terraform will create/update (apply) or delete (destroy).
    pub touches: Vec<String>,
    /// Apply: dependencies from earlier scopes pulled in. Destroy: dependents cascaded.
    pub also: Vec<Touch>,
    /// Destroy: stateful resources that this phase deletes.
    pub stateful_at_risk: Vec<Risk>,
    /// Destroy: what this phase deletes that `up` cannot simply create again (or that the
    /// destroy itself fails on), from the catalog's recreate hazards.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hazards: Vec<crate::classify::hazard::Hazard>,
    /// Resources of a scope this phase must not touch (only with violations).
    pub outside: Vec<Touch>,
    pub command: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Touch {
    pub address: String,
    pub scope: String,
    pub why: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Risk {
    pub address: String,
    pub scope: String,
    pub allow_destroy: bool,
}

/// What to plan: the scope selection, the action, and how to render commands.
pub struct PlanRequest<'a> {
    pub selection: Selection,
    pub action: Action,
    /// List every resource instead of the minimal targets.
    pub expand: bool,
    pub instances: &'a Instances,
    /// The command line a phase runs, from its action and targets (`run::invocation`).
    pub command: &'a dyn Fn(Action, &[String]) -> String,
    pub env: Option<String>,
}

/// Builds the phases of a request.
pub fn plan(
    graph: &ResourceGraph,
    class: &Classification,
    request: PlanRequest<'_>,
) -> Result<Plan, Error> {
    let (action, selection) = (request.action, request.selection);
    let mut phases = Vec::new();
    for scope in phase_scopes(action, selection, class.scopes.len()) {
        if let Some(mut phase) = phase(graph, class, scope, &request)? {
            phase.number = phases.len() + 1;
            phases.push(phase);
        }
    }
    Ok(Plan {
        action,
        scope: match selection {
            Selection::All => "all".into(),
            Selection::Scope(k) => class.scopes[k].clone(),
            Selection::Through(k) => format!("through {}", class.scopes[k]),
        },
        env: request.env,
        phases,
    })
}

/// The scopes that get a phase, in the order they run: destroy runs later scopes first.
fn phase_scopes(action: Action, selection: Selection, n: usize) -> Vec<ScopeId> {
    let all = ScopeId::all(n);
    match (action, selection) {
        (Action::Apply, Selection::Scope(k)) => vec![k],
        (Action::Apply, Selection::Through(k)) => all.filter(|&s| s <= k).collect(),
        (Action::Apply, Selection::All) => all.collect(),
        (Action::Destroy, Selection::Scope(k)) => all.rev().filter(|&s| s >= k).collect(),
        (Action::Destroy, Selection::All | Selection::Through(_)) => all.rev().collect(),
    }
}

/// The phase of one scope (numbered by the caller), or none when it has nothing to act on.
fn phase(
    graph: &ResourceGraph,
    class: &Classification,
    scope: ScopeId,
    request: &PlanRequest<'_>,
) -> Result<Option<Phase>, Error> {
    let action = request.action;
    let (want, allowed) = phase_want(graph, class, scope, action);
    if want.is_empty() {
        return Ok(None);
    }
    let t = target::compute(graph, want, allowed, action, request.expand);
    let targets = target::render(graph, &t.targets, request.instances)?;
    if targets.is_empty() {
        // Never print a command without -target: Terraform would act on everything.
        return Ok(None);
    }
    let mut resources: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for &u in &t.want {
        resources
            .entry(graph.units[u].module.to_string())
            .or_default()
            .push(graph.units[u].address.clone());
    }
    let touches = t
        .closure
        .iter()
        .filter(|&&u| graph.units[u].kind != UnitKind::Data)
        .map(|&u| graph.units[u].address.clone())
        .collect();
    let (also, outside) = blast_radius(graph, class, &t, action);
    let (stateful_at_risk, hazards) = match action {
        Action::Apply => (Vec::new(), Vec::new()),
        Action::Destroy => (
            stateful_at_risk(graph, class, &t),
            crate::classify::hazard::hazards(graph, class, t.closure.iter().copied()),
        ),
    };
    Ok(Some(Phase {
        number: 0,
        scope: class.scopes[scope].clone(),
        action,
        command: (request.command)(action, &targets),
        targets,
        resources,
        touches,
        also,
        stateful_at_risk,
        hazards,
        outside,
    }))
}

/// What a phase touches beyond its own resources (`also`), and what it touches of a scope it
/// must not (`outside`), each with the first address that explains why.
fn blast_radius(
    graph: &ResourceGraph,
    class: &Classification,
    t: &Targets,
    action: Action,
) -> (Vec<Touch>, Vec<Touch>) {
    // The first address, among the units of the closure next to a unit, that explains why
    // it is touched; what each hub leads to is computed once per phase.
    let mut first_behind = HubMemo::default();
    let mut why = |u: UnitId| -> String {
        let leaf = |d: UnitId| {
            t.closure
                .contains(&d)
                .then(|| graph.units[d].address.as_str())
        };
        let (direction, verb) = match action {
            Action::Apply => (Direction::Dependents, "needed by"),
            Action::Destroy => (Direction::Dependencies, "depends on"),
        };
        let first = graph.fold_adjacent(direction, u, &leaf, &std::cmp::min, &mut first_behind);
        format!("{verb} {}", first.unwrap_or("?"))
    };
    let mut touch = |u: UnitId| Touch {
        address: graph.units[u].address.clone(),
        scope: class.scope_name(u).to_string(),
        why: why(u),
    };
    let outside_set: BTreeSet<UnitId> = t.outside.iter().copied().collect();
    let also = t
        .closure
        .iter()
        .copied()
        .filter(|u| !t.want.contains(u) && !outside_set.contains(u))
        .filter(|&u| action == Action::Apply || graph.units[u].kind != UnitKind::Data)
        .map(&mut touch)
        .collect();
    let outside = t.outside.iter().map(|&u| touch(u)).collect();
    (also, outside)
}

/// Destroy: the stateful managed resources of the closure.
fn stateful_at_risk(graph: &ResourceGraph, class: &Classification, t: &Targets) -> Vec<Risk> {
    t.closure
        .iter()
        .filter(|&&u| class.units[u].stateful && graph.units[u].kind == UnitKind::Managed)
        .map(|&u| Risk {
            address: graph.units[u].address.clone(),
            scope: class.scope_name(u).to_string(),
            allow_destroy: class.units[u].allow_destroy,
        })
        .collect()
}

impl Plan {
    /// Why `up`/`down` (`command`) ran nothing: the selection has no resources.
    pub fn nothing_to(&self, command: &str) -> Warning {
        Warning {
            location: None,
            message: format!(
                "nothing to {command}: scope {} has no resources",
                self.scope
            ),
        }
    }

    /// Before `down`: what it destroys that `up` cannot simply bring back, as warnings.
    pub fn hazard_warnings(&self) -> impl Iterator<Item = Warning> + '_ {
        self.phases
            .iter()
            .flat_map(|p| &p.hazards)
            .map(|h| Warning {
                location: Some(h.location.clone()),
                message: h.message.clone(),
            })
    }
}

/// One phase covers exactly one scope; destroy phases may reach later scopes (already gone when
/// phases run in order), apply phases earlier ones.
fn phase_want<'a>(
    graph: &'a ResourceGraph,
    class: &'a Classification,
    scope: ScopeId,
    action: Action,
) -> (BTreeSet<UnitId>, impl Fn(UnitId) -> bool + 'a) {
    let want = graph
        .unit_ids()
        .filter(|&u| class.units[u].scope == scope)
        .filter(|&u| action == Action::Apply || graph.units[u].kind != UnitKind::Data)
        .collect();
    let allowed = move |u: UnitId| match action {
        Action::Apply => class.units[u].scope <= scope,
        Action::Destroy => class.units[u].scope >= scope,
    };
    (want, allowed)
}

#[cfg(test)]
pub(crate) mod tests {
    //! Phases in scope order, with their own resources and what they touch.

    use super::*;

    pub(crate) fn plan_of(selection: Selection, action: Action) -> Plan {
        let a = crate::testing::analysis(
            &[(
                "main.tf",
                "resource \"aws_db_instance\" \"db\" {}\nresource \"aws_ecs_cluster\" \"app\" {\n  name = aws_db_instance.db.address\n}\n",
            )],
            "",
        );
        let request = PlanRequest {
            selection,
            action,
            expand: false,
            instances: &a.instances,
            command: &|action, targets| {
                format!("terraform {} {}", action.verb(), targets.join(" "))
            },
            env: None,
        };
        plan(&a.graph, &a.class, request).unwrap()
    }

    #[test]
    fn through_applies_every_scope_up_to_one_in_order() {
        let p = plan_of(Selection::Through(ScopeId::at(1)), Action::Apply);
        let scopes: Vec<&str> = p.phases.iter().map(|p| p.scope.as_str()).collect();
        assert_eq!(scopes, ["base", "runtime"]);
        assert_eq!(p.scope, "through runtime");
        let p = plan_of(Selection::Through(ScopeId::at(0)), Action::Apply);
        let scopes: Vec<&str> = p.phases.iter().map(|p| p.scope.as_str()).collect();
        assert_eq!(scopes, ["base"]);
        assert_eq!(p.phases[0].touches, ["aws_db_instance.db"]);
    }
}
